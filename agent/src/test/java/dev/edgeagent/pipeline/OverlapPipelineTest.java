package dev.edgeagent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.edgeagent.TestAssets;
import dev.edgeagent.capture.TrackedSource;
import dev.edgeagent.detect.Box;
import dev.edgeagent.detect.Detection;
import dev.edgeagent.detect.Detector;
import dev.edgeagent.detect.ModelInfo;
import dev.edgeagent.detect.ObjectClass;
import dev.edgeagent.encode.FrameSink;
import dev.edgeagent.health.AgentMetrics;
import dev.edgeagent.redact.AnonymizedFrame;
import dev.edgeagent.track.TrackOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opencv.core.Mat;

/**
 * ADR 0022 through the real pipeline: with overlap a file's next frame is decoded, and the
 * previous frame redacted, while a frame is searched; frames still leave in order, every one
 * redacted, and every frame's pixels are released exactly once, whether the camera ends, is
 * stopped, or its detector or its redaction fails.
 */
class OverlapPipelineTest {
  static final Box FACE = new Box(20, 10, 24, 24);
  /** Long enough for any machine; only a deadlock (no overlap) reaches it. */
  static final Duration GUARD = Duration.ofSeconds(30);

  /** Finds the face on every frame; {@link #onFrame} runs inside the search of each frame first. */
  static class FaceDetector implements Detector {
    final AtomicInteger frame = new AtomicInteger();

    @Override
    public ModelInfo model() {
      return new ModelInfo("face", "0".repeat(64));
    }

    @Override
    public List<Detection> detect(Mat bgr) {
      onFrame(frame.getAndIncrement());
      return List.of(new Detection(ObjectClass.FACE, FACE, 0.9));
    }

    void onFrame(int n) {}
  }

  /** What reached the sink: sequence and whether the face was redacted, in arrival order. */
  static final class Sink implements FrameSink {
    final List<Long> sequences = new CopyOnWriteArrayList<>();
    final List<Boolean> faceRedacted = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();
    String aborted;

    @Override
    public void accept(AnonymizedFrame f) {
      sequences.add(f.meta().sequence());
      faceRedacted.add(f.redactions().stream().anyMatch(r -> r.redacted().intersection(FACE) >= FACE.area() * 0.99));
    }

    @Override
    public void close() {}

    @Override
    public void abort(String why) {
      aborted = why;
    }
  }

  private final AgentMetrics metrics = new AgentMetrics();
  private final Sink sink = new Sink();

  private Components components(Detector d) throws Exception {
    return Components.build(TestAssets.config(Map.of("detect.faces", false, "detect.plates", false,
        "inference.timeout_ms", 60_000)), metrics, List.of(d));
  }

  private static void assertEveryFrameReleasedOnce(TrackedSource source) {
    assertThat(source.releases()).as("releases per frame").allSatisfy((seq, n) -> assertThat(n).as("frame " + seq).isOne());
    assertThat(source.closes).hasValue(1);
  }

  /** Waits for a condition a deadlock would never reach; false after a generous guard instead of hanging. */
  private static boolean reached(BooleanSupplier condition) {
    try {
      await().atMost(GUARD).pollInterval(Duration.ofMillis(1)).until(condition::getAsBoolean);
      return true;
    } catch (ConditionTimeoutException e) {
      return false;
    }
  }

  @Test
  void theNextFrameIsDecodedAndThePreviousRedactedWhileAFrameIsSearched() throws Exception {
    TrackedSource source = new TrackedSource(8);
    List<Integer> notReadAhead = new CopyOnWriteArrayList<>();
    List<Long> notRedactedMeanwhile = new CopyOnWriteArrayList<>();
    FaceDetector probe = new FaceDetector() {
      @Override
      void onFrame(int n) {
        // Inside the search of frame n, frame n+1 (or the end) gets decoded; one thread doing
        // both in turn would wait here for ever.
        if (!reached(() -> source.calls.get() >= n + 2)) {
          notReadAhead.add(n);
        }
      }
    };
    // Inside the redaction of frame k, the search of frame k+1 starts; likewise.
    RegionReview waitsForTheNextSearch = (meta, pixels, region, removed) -> {
      long k = meta.sequence();
      if (k < 7 && !reached(() -> probe.frame.get() >= k + 2)) {
        notRedactedMeanwhile.add(k);
      }
      return null;
    };
    CameraPipeline.Result r;
    try (Components c = components(probe)) {
      r = new CameraPipeline(source, c, sink, TrackOptions.holdOnly(0), 4, 0, null).overlap(true)
          .review(waitsForTheNextSearch).run();
    }
    assertThat(notReadAhead).as("frames searched without the next one decoded meanwhile").isEmpty();
    assertThat(notRedactedMeanwhile).as("frames redacted without the next one searched meanwhile").isEmpty();
    assertThat(sink.sequences).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
    assertThat(sink.faceRedacted).containsOnly(true);
    assertThat(r.anonymized()).isEqualTo(8);
    assertEveryFrameReleasedOnce(source);
  }

  @ParameterizedTest(name = "overlap {0}")
  @ValueSource(booleans = {true, false})
  void framesLeaveInOrderEveryOneRedactedAndReleasedOnce(boolean overlap) throws Exception {
    TrackedSource source = new TrackedSource(40);
    CameraPipeline.Result r;
    try (Components c = components(new FaceDetector())) {
      r = new CameraPipeline(source, c, sink, new TrackOptions(0, 4, 0), 2, 0, null).overlap(overlap).run();
    }
    assertThat(sink.sequences).containsExactlyElementsOf(LongStream.range(0, 40).boxed().toList());
    assertThat(sink.faceRedacted).hasSize(40).containsOnly(true);
    assertThat(r.captured()).isEqualTo(40);
    assertThat(r.anonymized()).isEqualTo(40);
    assertThat(r.dropped()).isZero();
    assertEveryFrameReleasedOnce(source);
    assertThat(source.made()).isEqualTo(40);
  }

  @Test
  void aStopMidStreamRedactsWhatIsInHandAndReleasesTheFrameReadAheadUnused() throws Exception {
    TrackedSource source = new TrackedSource(1_000);
    AtomicReference<CameraPipeline> pipeline = new AtomicReference<>();
    FaceDetector stopping = new FaceDetector() {
      @Override
      void onFrame(int n) {
        if (n == 5) {
          pipeline.get().stop();
        }
      }
    };
    CameraPipeline.Result r;
    try (Components c = components(stopping)) {
      pipeline.set(new CameraPipeline(source, c, sink, new TrackOptions(0, 8, 2), 4, 0, null).overlap(true));
      r = pipeline.get().run();
    }
    assertThat(r.captured()).isEqualTo(6);
    assertThat(r.anonymized()).as("every frame in hand and in the line came out, redacted").isEqualTo(6);
    assertThat(sink.sequences).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
    assertThat(sink.faceRedacted).containsOnly(true);
    assertThat(source.made()).as("at most one frame decoded ahead").isBetween(6L, 7L);
    assertEveryFrameReleasedOnce(source);
  }

  @Test
  void anInterruptedSearchReleasesItsFrameAndTheFramesBeforeItStillLeaveRedacted() throws Exception {
    TrackedSource source = new TrackedSource(1_000);
    java.util.concurrent.CountDownLatch searching = new java.util.concurrent.CountDownLatch(1);
    FaceDetector hanging = new FaceDetector() {
      @Override
      void onFrame(int n) {
        if (n == 5) {
          searching.countDown();
          try {
            Thread.sleep(120_000); // until the camera thread gives up and the call is terminated
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }
    };
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    try (Components c = components(hanging)) {
      CameraPipeline p = new CameraPipeline(source, c, sink, new TrackOptions(0, 4, 0), 4, 0, null).overlap(true);
      Thread camera = new Thread(() -> {
        try {
          p.run();
        } catch (Throwable t) {
          thrown.set(t);
        }
      }, "camera-under-test");
      camera.start();
      searching.await();
      camera.interrupt(); // what CameraVerticle does when the stop timeout runs out
      camera.join();
    }
    assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    assertThat(sink.sequences).as("the frames before it, out of the line, redacted").containsExactly(0L, 1L, 2L, 3L, 4L);
    assertThat(sink.faceRedacted).containsOnly(true);
    assertEveryFrameReleasedOnce(source);
  }

  @Test
  void framesTheDetectorFailsOnAreDroppedAndReleasedOnceTheOthersGoOnInOrder() throws Exception {
    TrackedSource source = new TrackedSource(12);
    FaceDetector failing = new FaceDetector() {
      @Override
      void onFrame(int n) {
        if (n == 3 || n == 7) {
          throw new IllegalStateException("injected crash");
        }
      }
    };
    CameraPipeline.Result r;
    try (Components c = components(failing)) {
      r = new CameraPipeline(source, c, sink, new TrackOptions(0, 4, 0), 4, 0, null).overlap(true).run();
    }
    assertThat(r.dropped()).isEqualTo(2);
    assertThat(sink.sequences).containsExactly(0L, 1L, 2L, 4L, 5L, 6L, 8L, 9L, 10L, 11L);
    assertThat(sink.faceRedacted).containsOnly(true);
    assertThat(metrics.total("dropped.detector_error")).isEqualTo(2);
    assertEveryFrameReleasedOnce(source);
  }

  @Test
  void abortWritesTheFramesBeforeTheFailedOneRedactedAndReleasesEveryFrameOnce() throws Exception {
    TrackedSource source = new TrackedSource(12);
    FaceDetector failing = new FaceDetector() {
      @Override
      void onFrame(int n) {
        if (n == 3 || n == 4) { // frame 3 and its retry
          throw new IllegalStateException("injected crash");
        }
      }
    };
    CameraPipeline.Result r;
    try (Components c = components(failing)) {
      r = new CameraPipeline(source, c, sink, new TrackOptions(0, 4, 0), 4, 0, null).overlap(true)
          .onDetectorFailure(CameraPipeline.OnFailure.ABORT, 10_000).run();
    }
    assertThat(r.aborted()).startsWith("frame 3 ");
    assertThat(sink.aborted).isEqualTo(r.aborted());
    assertThat(sink.sequences).as("the frames in the line before it, redacted").containsExactly(0L, 1L, 2L);
    assertThat(sink.faceRedacted).containsOnly(true);
    assertEveryFrameReleasedOnce(source);
  }

  @Test
  void aRedactionThreadThatDiesLetsNothingOutRawAndFailsTheCamera() throws Exception {
    TrackedSource source = new TrackedSource(30);
    List<Long> reviewed = new ArrayList<>();
    RegionReview dying = (meta, pixels, region, removed) -> {
      reviewed.add(meta.sequence());
      if (meta.sequence() == 3) {
        throw new AssertionError("injected fault in the redaction thread");
      }
      return null;
    };
    try (Components c = components(new FaceDetector())) {
      CameraPipeline p = new CameraPipeline(source, c, sink, new TrackOptions(0, 2, 0), 4, 0, null).overlap(true)
          .review(dying);
      // an Error stays what it was, as when this thread redacted itself
      assertThatThrownBy(p::run).isInstanceOf(AssertionError.class).hasMessageContaining("injected fault");
    }
    assertThat(sink.sequences).containsExactly(0L, 1L, 2L);
    assertThat(reviewed).as("nothing after the fault was redacted").doesNotContain(4L, 5L, 6L);
    assertThat(metrics.total("dropped.pipeline_error")).isPositive();
    assertEveryFrameReleasedOnce(source);
  }

  @Test
  void aFailingSinkStopsTheCameraAndEveryFrameIsStillReleasedOnce() throws Exception {
    TrackedSource source = new TrackedSource(1_000);
    FrameSink failing = new FrameSink() {
      int taken;

      @Override
      public void accept(AnonymizedFrame f) throws java.io.IOException {
        if (taken++ == 3) {
          throw new java.io.IOException("disk gone");
        }
        sink.accept(f);
      }

      @Override
      public void close() {}
    };
    CameraPipeline.Result r;
    try (Components c = components(new FaceDetector())) {
      r = new CameraPipeline(source, c, failing, new TrackOptions(0, 4, 0), 2, 0, null).overlap(true).run();
    }
    assertThat(r.sinkFailure()).hasMessage("disk gone");
    assertThat(sink.sequences).containsExactly(0L, 1L, 2L);
    assertThat(r.sinkErrors()).as("the failed frame and those after it").isEqualTo(r.captured() - 3);
    assertThat(r.anonymized()).isEqualTo(3);
    assertEveryFrameReleasedOnce(source);
  }

  @Test
  void overlapOnAndOffRedactTheSameBoxes() throws Exception {
    Set<Integer> misses = Set.of(2, 3, 9);
    List<List<Object>> results = new ArrayList<>();
    for (boolean overlap : new boolean[] {true, false}) {
      List<Object> boxes = new CopyOnWriteArrayList<>();
      FrameSink recording = new FrameSink() {
        @Override
        public void accept(AnonymizedFrame f) {
          boxes.add(f.meta().sequence() + ":" + f.redactions().stream().map(x -> x.redacted().toString()).toList());
        }

        @Override
        public void close() {}
      };
      FaceDetector blinking = new FaceDetector() {
        @Override
        public List<Detection> detect(Mat bgr) {
          return misses.contains(frame.getAndIncrement()) ? List.of() : List.of(new Detection(ObjectClass.FACE, FACE, 0.9));
        }
      };
      try (Components c = components(blinking)) {
        new CameraPipeline(new TrackedSource(14), c, recording, new TrackOptions(2, 3, 0), 4, 0, null).overlap(overlap)
            .run();
      }
      results.add(boxes);
    }
    assertThat(results.get(0)).hasSize(14).isEqualTo(results.get(1));
  }
}
