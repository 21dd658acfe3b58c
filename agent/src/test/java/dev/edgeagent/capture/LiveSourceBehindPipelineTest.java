package dev.edgeagent.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.edgeagent.TestAssets;
import dev.edgeagent.detect.Box;
import dev.edgeagent.detect.Detection;
import dev.edgeagent.detect.Detector;
import dev.edgeagent.detect.ModelInfo;
import dev.edgeagent.detect.ObjectClass;
import dev.edgeagent.encode.FrameSink;
import dev.edgeagent.health.AgentMetrics;
import dev.edgeagent.pipeline.CameraPipeline;
import dev.edgeagent.pipeline.Components;
import dev.edgeagent.redact.AnonymizedFrame;
import dev.edgeagent.track.TrackOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opencv.core.Mat;

/**
 * A live camera faster than its pipeline, with overlap on (ADR 0022) and off: the pipeline adds
 * no buffer in front of it, so it still drops its oldest frames (counted) and the frames alive
 * at once stay bounded; the overlap adds at most the redaction hand-off and the frame being
 * redacted. Every frame is taken or dropped, and released exactly once.
 */
class LiveSourceBehindPipelineTest {
  static final int LIVE_BUFFER = 2;
  static final int SINK_QUEUE = 2;
  static final int FRAMES = 300;

  @ParameterizedTest(name = "overlap {0}")
  @ValueSource(booleans = {true, false})
  void aLiveCameraStillDropsItsOldestFramesAndNoBacklogBuildsUp(boolean overlap) throws Exception {
    AtomicLong peakAlive = new AtomicLong();
    TrackedSource camera = new TrackedSource(FRAMES) {
      @Override
      protected RawFrame make(long seq) {
        RawFrame f = super.make(seq);
        peakAlive.accumulateAndGet(alive(), Math::max);
        return f;
      }
    };
    AtomicBoolean first = new AtomicBoolean(true);
    Detector slowAtFirst = new Detector() {
      @Override
      public ModelInfo model() {
        return new ModelInfo("face", "0".repeat(64));
      }

      @Override
      public List<Detection> detect(Mat bgr) {
        if (first.getAndSet(false)) {
          // the camera runs on while the first frame is searched: it must drop, not queue
          await().atMost(Duration.ofSeconds(30)).until(() -> camera.made() >= 40);
        }
        return List.of(new Detection(ObjectClass.FACE, new Box(10, 10, 20, 20), 0.9));
      }
    };
    List<Long> published = new CopyOnWriteArrayList<>();
    FrameSink sink = new FrameSink() {
      @Override
      public void accept(AnonymizedFrame f) {
        published.add(f.meta().sequence());
      }

      @Override
      public void close() {}
    };
    AgentMetrics metrics = new AgentMetrics();
    CameraPipeline.Result r;
    try (Components c = Components.build(TestAssets.config(Map.of("detect.faces", false, "detect.plates", false,
        "inference.timeout_ms", 60_000)), metrics, List.of(slowAtFirst))) {
      r = new CameraPipeline(new LiveSource(camera, LIVE_BUFFER), c, sink, new TrackOptions(0, 4, 0), SINK_QUEUE, 0,
          null).overlap(overlap).run();
    }
    assertThat(r.liveDropped()).as("oldest frames dropped").isPositive();
    assertThat(metrics.total("dropped.queue_full_drop_oldest")).isEqualTo(r.liveDropped());
    assertThat(r.captured() + r.liveDropped()).as("every frame taken or dropped").isEqualTo(FRAMES);
    assertThat(published).hasSize((int) r.captured()).isSorted().doesNotHaveDuplicates();
    // buffer + the frame being offered, the one searched, the sink queue and the one being written,
    // and with overlap the redaction hand-off and the frame being redacted
    long bound = LIVE_BUFFER + 1 + 1 + SINK_QUEUE + 1 + (overlap ? 2 : 0);
    assertThat(peakAlive.get()).as("frames alive at once").isLessThanOrEqualTo(bound);
    assertThat(camera.releases()).hasSize(FRAMES).allSatisfy((seq, n) -> assertThat(n).as("frame " + seq).isOne());
  }
}
