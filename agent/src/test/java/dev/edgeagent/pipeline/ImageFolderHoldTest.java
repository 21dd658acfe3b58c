package dev.edgeagent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeagent.TestAssets;
import dev.edgeagent.capture.FrameSource;
import dev.edgeagent.capture.SequencedSource;
import dev.edgeagent.capture.Sources;
import dev.edgeagent.config.AgentConfig;
import dev.edgeagent.config.ConfigLoader;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * An image folder is not a video: a box found on one photo must not be held onto the next,
 * unrelated one, unless the folder is declared a sequence (then it holds like a video).
 */
class ImageFolderHoldTest {
  static final Box FACE = new Box(300, 120, 80, 90);
  static final Rect FACE_RECT = new Rect(300, 120, 80, 90);
  static final String FIRST = "1-messi5.jpg";
  static final String SECOND = "2-scenetext06.jpg";

  @TempDir
  Path tmp;

  /** Sees a face on the first frame only. */
  static final class FirstFrameOnlyDetector implements Detector {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public ModelInfo model() {
      return new ModelInfo("first-frame-only", "0".repeat(64));
    }

    @Override
    public List<Detection> detect(Mat bgr) {
      return calls.getAndIncrement() == 0 ? List.of(new Detection(ObjectClass.FACE, FACE, 0.9)) : List.of();
    }
  }

  /** What reached the sink for one frame: its redactions and its pixels where the face was on frame 1. */
  record Seen(String name, List<Redaction> redactions, Mat faceRegion) {}

  Path folder() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    Files.copy(TestAssets.media("messi5.jpg"), in.resolve(FIRST));
    Files.copy(TestAssets.media("scenetext06.jpg"), in.resolve(SECOND));
    return in;
  }

  List<Seen> run(FrameSource source) throws Exception {
    List<Seen> seen = new ArrayList<>();
    FrameSink sink = new FrameSink() {
      @Override
      public void accept(AnonymizedFrame f) {
        seen.add(new Seen(f.meta().sourceName(), f.redactions(), f.pixels().submat(FACE_RECT).clone()));
      }

      @Override
      public void close() {}
    };
    try (Components c = Components.build(TestAssets.config(Map.of("detect.faces", false, "detect.plates", false,
        "detect.plate_map", false, "redact.mode", "solid")), new AgentMetrics(), List.of(new FirstFrameOnlyDetector()))) {
      CameraPipeline.Result r = new CameraPipeline(source, c, sink, TrackOptions.holdOnly(5), 4, 0, null).run();
      assertThat(r.dropped()).isZero();
    }
    assertThat(seen).extracting(Seen::name).containsExactly(FIRST, SECOND);
    return seen;
  }

  static boolean covered(List<Redaction> rs) {
    return rs.stream().anyMatch(r -> r.redacted().intersection(FACE) >= FACE.area() * 0.99);
  }

  static Mat inputRegion(String media) {
    return TestAssets.image(media).submat(FACE_RECT);
  }

  static double maxDiff(Mat a, Mat b) {
    Mat d = new Mat();
    Core.absdiff(a, b, d);
    return Core.norm(d, Core.NORM_INF);
  }

  @Test
  void unrelatedPhotosAreEachRedactedWithTheirOwnDetectionsOnly() throws Exception {
    List<Seen> seen = run(Sources.open("photos", folder().toString(), 2));
    assertThat(covered(seen.get(0).redactions())).as("photo 1 has its face redacted").isTrue();
    assertThat(maxDiff(seen.get(0).faceRegion(), inputRegion("messi5.jpg"))).isPositive();
    assertThat(seen.get(1).redactions()).as("nothing was found on photo 2, so nothing is redacted").isEmpty();
    assertThat(maxDiff(seen.get(1).faceRegion(), inputRegion("scenetext06.jpg")))
        .as("photo 2's pixels where photo 1 had a face are its own, untouched").isZero();
  }

  @Test
  void aFolderDeclaredASequenceHoldsTheBoxLikeAVideo() throws Exception {
    List<Seen> seen = run(Sources.open("frames", folder().toString(), 2, true));
    assertThat(covered(seen.get(0).redactions())).isTrue();
    assertThat(covered(seen.get(1).redactions())).as("frame 2 keeps frame 1's box (track.hold_frames)").isTrue();
    assertThat(maxDiff(seen.get(1).faceRegion(), Mat.zeros(FACE_RECT.size(), seen.get(1).faceRegion().type())))
        .as("the held box is filled solid on frame 2").isZero();
  }

  @Test
  void sourcesSayWhetherTheirFramesFormOneSequence() throws Exception {
    Path in = folder();
    try (FrameSource video = Sources.open("v", TestAssets.media("Megamind.avi").toString(), 2);
         FrameSource photos = Sources.open("p", in.toString(), 2);
         FrameSource frames = Sources.open("f", in.toString(), 2, true);
         FrameSource oneImage = Sources.open("i", in.resolve(FIRST).toString(), 2)) {
      assertThat(video.continuous()).isTrue();
      assertThat(photos.continuous()).isFalse();
      assertThat(frames.continuous()).isTrue();
      assertThat(oneImage.continuous()).isFalse();
      assertThat(new SequencedSource(photos, 0, (cam, seq) -> { }).continuous()).isFalse();
      assertThat(new SequencedSource(frames, 0, (cam, seq) -> { }).continuous()).isTrue();
    }
  }

  /** {@code run}'s path: the per-camera config key reaches the camera's pipeline (real face detector). */
  @Test
  void aRunCameraHoldsAcrossAFolderOnlyWhenItsConfigSaysSequence() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("mixed"));
    Files.copy(TestAssets.media("messi5.jpg"), in.resolve("a.jpg"));
    Mat a = Imgcodecs.imread(in.resolve("a.jpg").toString());
    Imgcodecs.imwrite(in.resolve("b.png").toString(), new Mat(a.size(), CvType.CV_8UC3, new Scalar(128, 128, 128)));
    Path out = tmp.resolve("out");
    Path yaml = tmp.resolve("agent.yaml");
    Files.writeString(yaml, "cameras:\n"
        + "  - id: photos\n    input: " + in + "\n"
        + "  - id: frames\n    input: " + in + "\n    sequence: true\n"
        + "models:\n  dir: " + TestAssets.modelsDir() + "\n"
        + "detect:\n  plates: false\n  plate_map: false\n"
        + "redact:\n  mode: solid\n"
        + "sink:\n  type: directory\n  directory: " + out + "\n"
        + "http:\n  enabled: false\n");
    AgentConfig cfg = new ConfigLoader().load(yaml);
    try (Agent agent = Agent.start(cfg, new AgentMetrics())) {
      assertThat(agent.awaitCameras()).allSatisfy(o -> assertThat(o.result().anonymized()).isEqualTo(2));
    }
    Mat grey = new Mat(a.size(), CvType.CV_8UC3, new Scalar(128, 128, 128));
    double photos = maxDiff(Imgcodecs.imread(out.resolve("photos/0000000001.jpg").toString()), grey);
    double frames = maxDiff(Imgcodecs.imread(out.resolve("frames/0000000001.jpg").toString()), grey);
    assertThat(photos).as("b.png of unrelated photos: only JPEG noise, no held box").isLessThan(16);
    assertThat(frames).as("b.png of a declared sequence: a.jpg's face box held and filled").isGreaterThan(100);
  }
}
