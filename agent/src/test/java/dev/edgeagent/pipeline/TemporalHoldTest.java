package dev.edgeagent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeagent.TestAssets;
import dev.edgeagent.capture.Sources;
import dev.edgeagent.detect.Box;
import dev.edgeagent.detect.Detection;
import dev.edgeagent.detect.Detector;
import dev.edgeagent.detect.ModelInfo;
import dev.edgeagent.detect.ObjectClass;
import dev.edgeagent.encode.FrameSink;
import dev.edgeagent.health.AgentMetrics;
import dev.edgeagent.redact.AnonymizedFrame;
import dev.edgeagent.redact.Redaction;
import dev.edgeagent.track.TrackOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;

/** Through the real pipeline: a detector that misses a face on chosen frames does not leak them. */
class TemporalHoldTest {
  static final Box FACE = new Box(300, 120, 80, 90);

  /** Sees the face on every frame except the chosen ones. */
  static class BlinkingDetector implements Detector {
    final AtomicInteger frame = new AtomicInteger();
    final Set<Integer> misses;

    BlinkingDetector(Set<Integer> misses) {
      this.misses = misses;
    }

    @Override
    public ModelInfo model() {
      return new ModelInfo("blinking", "0".repeat(64));
    }

    @Override
    public List<Detection> detect(Mat bgr) {
      int n = frame.getAndIncrement();
      return misses.contains(n) ? List.of() : List.of(new Detection(ObjectClass.FACE, FACE, 0.9));
    }
  }

  List<List<Redaction>> run(int hold, Set<Integer> misses) throws Exception {
    return run(TrackOptions.holdOnly(hold), misses, 10);
  }

  List<Long> sequences = new ArrayList<>();

  List<List<Redaction>> run(TrackOptions track, Set<Integer> misses, int frames) throws Exception {
    List<List<Redaction>> perFrame = new ArrayList<>();
    FrameSink sink = new FrameSink() {
      @Override
      public void accept(AnonymizedFrame f) {
        perFrame.add(f.redactions());
        sequences.add(f.meta().sequence());
      }

      @Override
      public void close() {}
    };
    try (Components c = Components.build(TestAssets.config(Map.of("detect.faces", false, "detect.plates", false)),
        new AgentMetrics(), List.of(new BlinkingDetector(misses)))) {
      new CameraPipeline(Sources.open("cam", TestAssets.media("Megamind.avi").toString(), 2), c, sink, track, 4, frames,
          null).run();
    }
    return perFrame;
  }

  static boolean covered(List<Redaction> rs) {
    return rs.stream().anyMatch(r -> r.redacted().intersection(FACE) >= FACE.area() * 0.99);
  }

  @Test
  void missedFramesStayRedactedWithinTheHold() throws Exception {
    List<List<Redaction>> frames = run(3, Set.of(3, 4, 5));
    assertThat(frames).hasSize(10);
    for (int i = 0; i < frames.size(); i++) {
      assertThat(covered(frames.get(i))).as("frame " + i).isTrue();
    }
  }

  @Test
  void withoutAHoldTheMissedFramesWouldLeak() throws Exception {
    List<List<Redaction>> frames = run(0, Set.of(3, 4));
    assertThat(covered(frames.get(3))).isFalse();
    assertThat(covered(frames.get(4))).isFalse();
    assertThat(covered(frames.get(5))).isTrue();
  }

  @Test
  void aFaceFirstFoundLateIsAlsoRemovedFromTheFramesBeforeIt() throws Exception {
    List<List<Redaction>> frames = run(new TrackOptions(0, 4, 0), Set.of(0, 1, 2, 3), 10);
    assertThat(frames).hasSize(10);
    for (int i = 0; i < frames.size(); i++) {
      assertThat(covered(frames.get(i))).as("frame " + i).isTrue();
    }
  }

  @Test
  void withoutLookAheadTheFramesBeforeTheFirstDetectionLeak() throws Exception {
    List<List<Redaction>> frames = run(TrackOptions.holdOnly(0), Set.of(0, 1, 2, 3), 10);
    assertThat(covered(frames.get(3))).isFalse();
    assertThat(covered(frames.get(4))).isTrue();
  }

  @Test
  void framesStillInTheLineWhenTheStreamEndsAreRedactedWithWhatIsKnownAndNoneIsLost() throws Exception {
    // Found only on the last frame: frame 1 leaves the line as it comes in (with the unconfirmed
    // guess); no second detection can confirm it any more, so at the end it is run back through
    // every frame the line still holds (2 to 8). Frame 0 had left before.
    Set<Integer> misses = Set.of(0, 1, 2, 3, 4, 5, 6, 7, 8);
    List<List<Redaction>> frames = run(new TrackOptions(0, 8, 2), misses, 10);
    assertThat(frames).hasSize(10);
    assertThat(sequences).isSorted().doesNotHaveDuplicates();
    assertThat(covered(frames.get(0))).as("frame 0 had left the line").isFalse();
    for (int i = 1; i < frames.size(); i++) {
      assertThat(covered(frames.get(i))).as("frame " + i).isTrue();
    }
  }

  @Test
  void aFaceSeenTwiceIsRunBackThroughTheWholeLine() throws Exception {
    List<List<Redaction>> frames = run(new TrackOptions(0, 6, 0), Set.of(0, 1, 2, 3, 4, 5), 10);
    for (int i = 0; i < frames.size(); i++) {
      assertThat(covered(frames.get(i))).as("frame " + i).isTrue();
    }
  }

  @Test
  void aGapBetweenDetectionsIsFilledWithoutAHold() throws Exception {
    List<List<Redaction>> frames = run(new TrackOptions(0, 4, 0), Set.of(3, 4, 5), 10);
    for (int i = 0; i < frames.size(); i++) {
      assertThat(covered(frames.get(i))).as("frame " + i).isTrue();
    }
  }

  @Test
  void aStopRedactsTheFramesStillInTheLineWithWhatIsKnown() throws Exception {
    AtomicReference<CameraPipeline> pipeline = new AtomicReference<>();
    // Finds the face only on frame 5, and asks the camera to stop right then.
    Detector stopping = new BlinkingDetector(Set.of(0, 1, 2, 3, 4)) {
      @Override
      public List<Detection> detect(Mat bgr) {
        List<Detection> out = super.detect(bgr);
        if (!out.isEmpty()) {
          pipeline.get().stop();
        }
        return out;
      }
    };
    List<List<Redaction>> perFrame = new ArrayList<>();
    FrameSink sink = new FrameSink() {
      @Override
      public void accept(AnonymizedFrame f) {
        perFrame.add(f.redactions());
      }

      @Override
      public void close() {}
    };
    CameraPipeline.Result r;
    try (Components c = Components.build(TestAssets.config(Map.of("detect.faces", false, "detect.plates", false)),
        new AgentMetrics(), List.of(stopping))) {
      pipeline.set(new CameraPipeline(Sources.open("cam", TestAssets.media("Megamind.avi").toString(), 2), c, sink,
          new TrackOptions(0, 8, 2), 4, 0, null));
      r = pipeline.get().run();
    }
    assertThat(r.captured()).isEqualTo(6);
    assertThat(r.anonymized()).as("every frame in the line came out, redacted").isEqualTo(6);
    for (int i = 0; i < perFrame.size(); i++) {
      assertThat(covered(perFrame.get(i))).as("frame " + i).isTrue();
    }
  }
}
