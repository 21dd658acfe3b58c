package dev.edgeagent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeagent.TestAssets;
import dev.edgeagent.capture.Sources;
import dev.edgeagent.config.AgentConfig;
import dev.edgeagent.detect.Detection;
import dev.edgeagent.detect.Detector;
import dev.edgeagent.detect.DetectorException;
import dev.edgeagent.detect.ModelInfo;
import dev.edgeagent.encode.FrameSink;
import dev.edgeagent.health.AgentMetrics;
import dev.edgeagent.redact.AnonymizedFrame;
import dev.edgeagent.track.TrackOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opencv.core.Core;
import org.opencv.core.Mat;

/** A batch never loses a frame silently: retried, then blacked out or the run stops. */
class BatchFailurePolicyTest {

  /** Fails on call 3 always (both tries of frame 3) and times out once on frame 6's first try. */
  static final class Faulty implements Detector {
    final AtomicInteger calls = new AtomicInteger();
    final List<Integer> frameOfCall = new ArrayList<>();

    @Override
    public ModelInfo model() {
      return new ModelInfo("faulty", "0".repeat(64));
    }

    @Override
    public List<Detection> detect(Mat bgr) throws DetectorException {
      int n = calls.getAndIncrement();
      if (n == 3 || n == 4) {
        throw new IllegalStateException("injected crash");
      }
      if (n == 7) {
        try {
          Thread.sleep(2_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return List.of();
    }
  }

  static final class Sink implements FrameSink {
    final List<Long> seq = new ArrayList<>();
    final List<Boolean> black = new ArrayList<>();
    String aborted;
    boolean closed;

    @Override
    public void accept(AnonymizedFrame f) {
      seq.add(f.meta().sequence());
      black.add(Core.countNonZero(f.pixels().reshape(1)) == 0);
    }

    @Override
    public void close() {
      closed = true;
    }

    @Override
    public void abort(String why) {
      aborted = why;
    }
  }

  private static CameraPipeline.Result run(CameraPipeline.OnFailure policy, Sink sink, AgentMetrics m, boolean overlap)
      throws Exception {
    AgentConfig cfg = TestAssets.config(Map.of("detect.plates", false, "detect.faces", false, "inference.timeout_ms", 300));
    try (Components c = Components.build(cfg, m, List.of(new Faulty()))) {
      return new CameraPipeline(Sources.open("cam", TestAssets.media("Megamind.avi").toString(), 2), c, sink,
          TrackOptions.holdOnly(0), 4, 10, null).onDetectorFailure(policy, 10_000).overlap(overlap).run();
    }
  }

  @ParameterizedTest(name = "overlap {0}")
  @ValueSource(booleans = {true, false})
  void blackWritesEveryFrameAndBlacksOutOnlyTheOneThatFailedTwice(boolean overlap) throws Exception {
    Sink sink = new Sink();
    AgentMetrics m = new AgentMetrics();
    CameraPipeline.Result r = run(CameraPipeline.OnFailure.BLACK, sink, m, overlap);
    assertThat(r.dropped()).isZero();
    assertThat(r.aborted()).isNull();
    assertThat(sink.seq).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    // (the film opens on a black frame 0, so only frames after the fade-in say anything)
    assertThat(sink.black.subList(1, 10)).containsExactly(false, false, true, false, false, false, false, false, false);
    assertThat(m.total("edgeagent.frames.blacked_out")).isEqualTo(1);
    assertThat(m.total("edgeagent.frames.detector_retried")).isEqualTo(2); // frame 3, and frame 6's timeout
    assertThat(sink.closed).isTrue();
  }

  @ParameterizedTest(name = "overlap {0}")
  @ValueSource(booleans = {true, false})
  void abortStopsAtTheFrameAndAbortsTheSinkNamingIt(boolean overlap) throws Exception {
    Sink sink = new Sink();
    CameraPipeline.Result r = run(CameraPipeline.OnFailure.ABORT, sink, new AgentMetrics(), overlap);
    assertThat(r.aborted()).startsWith("frame 3 ").contains("detector_error");
    assertThat(sink.aborted).isEqualTo(r.aborted());
    assertThat(sink.closed).isFalse();
    assertThat(sink.seq).containsExactly(0L, 1L, 2L);
    assertThat(r.captured()).isEqualTo(4);
  }
}
