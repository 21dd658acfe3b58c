package dev.edgeagent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeagent.TestAssets;
import dev.edgeagent.capture.FrameSource;
import dev.edgeagent.capture.Sources;
import dev.edgeagent.config.AgentConfig;
import dev.edgeagent.detect.Box;
import dev.edgeagent.detect.Detection;
import dev.edgeagent.detect.Detector;
import dev.edgeagent.detect.DetectorException;
import dev.edgeagent.detect.DropReason;
import dev.edgeagent.detect.ModelInfo;
import dev.edgeagent.detect.ObjectClass;
import dev.edgeagent.encode.FrameSink;
import dev.edgeagent.health.AgentMetrics;
import dev.edgeagent.redact.AnonymizedFrame;
import dev.edgeagent.track.TrackOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;

/**
 * A detector that throws, hangs, or answers NaN on chosen frames: those frames never reach the
 * sink, every other frame does, and the drop counter says why.
 */
class FailClosedTest {

  /** Faults on chosen calls (0-based, one call per frame). */
  static final class FaultyDetector implements Detector {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public ModelInfo model() {
      return new ModelInfo("faulty", "0".repeat(64));
    }

    @Override
    public List<Detection> detect(Mat bgr) throws DetectorException {
      int n = calls.getAndIncrement();
      switch (n) {
        case 2 -> throw new IllegalStateException("injected crash");
        case 4 -> {
          try {
            Thread.sleep(5_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return List.of();
        }
        case 6 -> {
          return List.of(new Detection(ObjectClass.FACE, new Box(Double.NaN, 0, 10, 10), 0.9));
        }
        case 8 -> throw new DetectorException(DropReason.DETECTOR_BAD_OUTPUT, "injected shape error");
        default -> {
          return List.of();
        }
      }
    }
  }

  /** Keeps the sequence numbers the sink was given. */
  static final class CollectingSink implements FrameSink {
    final List<Long> sequences = new ArrayList<>();

    @Override
    public void accept(AnonymizedFrame frame) {
      sequences.add(frame.meta().sequence());
    }

    @Override
    public void close() {}
  }

  @Test
  void framesADetectorFailsOnAreDroppedAndCountedByReason() throws Exception {
    AgentConfig cfg = TestAssets.config(Map.of("detect.plates", false, "inference.timeout_ms", 500));
    AgentMetrics metrics = new AgentMetrics();
    CollectingSink sink = new CollectingSink();
    try (Components c = Components.build(cfg, metrics, List.of(new FaultyDetector()))) {
      FrameSource source = Sources.open("cam", TestAssets.media("Megamind.avi").toString(), 2);
      CameraPipeline.Result r = new CameraPipeline(source, c, sink, TrackOptions.holdOnly(0), 4, 12, null).run();
      assertThat(r.captured()).isEqualTo(12);
      assertThat(r.dropped()).isEqualTo(4);
    }
    assertThat(sink.sequences).containsExactly(0L, 1L, 3L, 5L, 7L, 9L, 10L, 11L);
    assertThat(metrics.total("dropped.detector_error")).isEqualTo(1);
    assertThat(metrics.total("dropped.detector_timeout")).isEqualTo(1);
    assertThat(metrics.total("dropped.detector_bad_output")).isEqualTo(2);
    assertThat(metrics.scrape()).contains("edgeagent_frames_dropped_total{camera=\"cam\",reason=\"detector_timeout\"} 1.0");
  }
}
