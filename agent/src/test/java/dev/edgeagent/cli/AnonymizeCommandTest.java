package dev.edgeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeagent.TestAssets;
import dev.edgeagent.capture.FrameSource;
import dev.edgeagent.capture.RawFrame;
import dev.edgeagent.capture.Sources;
import dev.edgeagent.detect.Detection;
import dev.edgeagent.detect.FaceDetector;
import dev.edgeagent.detect.InferenceProvider;
import dev.edgeagent.detect.ModelManifest;
import dev.edgeagent.detect.OnnxModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfPoint;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

class AnonymizeCommandTest {
  @TempDir
  Path tmp;

  static String models() {
    return TestAssets.modelsDir().toString();
  }

  @Test
  void aVideoInGivesAVideoOutWithNoDetectableFaceLeft() throws Exception {
    Path out = tmp.resolve("clean.avi");
    CliRunner.Run r = CliRunner.run("anonymize", "--input", TestAssets.media("Megamind.avi").toString(),
        "--output", out.toString(), "--models-dir", models(), "--set", "pipeline.max_frames=24");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode s = new ObjectMapper().readTree(r.lastLine());
    assertThat(s.get("frames").asLong()).isEqualTo(24);
    assertThat(s.get("written").asLong()).isEqualTo(24);
    assertThat(s.get("faces").asLong()).as("Megamind shows a face in its opening frames").isPositive();
    assertThat(s.get("dropped").asLong()).isZero();
    assertThat(s.get("fps").asDouble()).isPositive();

    try (OnnxModel m = OnnxModel.load(ModelManifest.load(), TestAssets.modelsDir(), "blazeface-back-256",
        InferenceProvider.CPU, 1);
         FrameSource cleaned = Sources.open("check", out.toString(), 2);
         FrameSource original = Sources.open("orig", TestAssets.media("Megamind.avi").toString(), 2)) {
      FaceDetector faces = new FaceDetector(m, 0.5, 1, 0.2, (a, b) -> { });
      int frames = 0;
      int known = 0;
      for (RawFrame next = cleaned.next(); next != null; next = cleaned.next()) {
        try (RawFrame f = next; RawFrame o = original.next()) {
          assertThat(f.meta().width()).isEqualTo(720);
          assertThat(f.meta().height()).isEqualTo(528);
          List<Detection> before = faces.detect(o.pixels());
          List<Detection> after = faces.detect(f.pixels());
          known += before.size();
          // Every face the detector finds in the input is gone from the output: nothing found
          // there overlaps it. (Inpainting can leave a face-like smudge elsewhere, which is no
          // face of anyone, so the check is per known face.)
          for (Detection face : before) {
            assertThat(after).as("frame " + frames + ": face at " + face.box() + " still detectable")
                .noneMatch(d -> d.box().iou(face.box()) > 0.4);
          }
          frames++;
        }
      }
      assertThat(known).as("faces in the input frames").isGreaterThan(10);
      assertThat(frames).isEqualTo(24);
    }
  }

  @Test
  void aFolderInGivesAFolderOutWithTheSameNamesAndSizes() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    for (String n : new String[] {"messi5.jpg", "scenetext01.jpg", "licenseplate_motion.jpg"}) {
      Files.copy(TestAssets.media(n), in.resolve(n));
    }
    Path out = tmp.resolve("out");
    CliRunner.Run r = CliRunner.run("anonymize", "--input", in.toString(), "--output", out.toString(),
        "--models-dir", models(), "--mode", "pixelate", "--report", tmp.resolve("r.json").toString());
    assertThat(r.exit()).as(r.err()).isZero();
    try (Stream<Path> files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("messi5.jpg", "scenetext01.jpg", "licenseplate_motion.jpg");
    }
    for (String n : new String[] {"messi5.jpg", "scenetext01.jpg"}) {
      Mat a = Imgcodecs.imread(in.resolve(n).toString());
      Mat b = Imgcodecs.imread(out.resolve(n).toString());
      assertThat(b.size()).isEqualTo(a.size());
    }
    JsonNode report = new ObjectMapper().readTree(tmp.resolve("r.json").toFile());
    assertThat(report.get("frames").asInt()).isEqualTo(3);
    assertThat(report.get("faces").asInt()).isPositive();
    assertThat(report.get("plates").asInt()).isPositive();
  }

  @Test
  void aDetectorSwitchedOffInTheConfigStaysOffWithoutAFlag() throws Exception {
    Path out = tmp.resolve("plates-off");
    CliRunner.Run r = CliRunner.run("anonymize", "--input", TestAssets.media("scenetext01.jpg").toString(),
        "--output", out.resolve("x.jpg").toString(), "--models-dir", models(), "--set", "detect.plates=false");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(new ObjectMapper().readTree(r.lastLine()).get("plates").asInt()).isZero();
    CliRunner.Run on = CliRunner.run("anonymize", "--input", TestAssets.media("scenetext01.jpg").toString(),
        "--output", out.resolve("y.jpg").toString(), "--models-dir", models(), "--set", "detect.plates=false",
        "--plates");
    assertThat(on.exit()).as(on.err()).isZero();
    assertThat(new ObjectMapper().readTree(on.lastLine()).get("plates").asInt()).isPositive();
  }

  @Test
  void anUnreadableImageInAFolderIsReportedAndTheRestIsStillDone() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    Files.copy(TestAssets.media("messi5.jpg"), in.resolve("a.jpg"));
    Files.write(in.resolve("b.jpg"), new byte[] {1, 2, 3, 4, 5});
    Path out = tmp.resolve("out");
    CliRunner.Run r = CliRunner.run("anonymize", "--input", in.toString(), "--output", out.toString(),
        "--models-dir", models(), "--no-plates");
    assertThat(r.exit()).isEqualTo(ExitCodes.DATA_ERR);
    assertThat(r.err()).contains("could not be read");
    assertThat(new ObjectMapper().readTree(r.lastLine()).get("unreadable").asInt()).isEqualTo(1);
    assertThat(out.resolve("a.jpg")).exists();
    assertThat(out.resolve("b.jpg")).doesNotExist();
  }

  /** A folder of a photo with a face, then a plain grey picture of the same size (lossless PNG). */
  Path faceThenPlain(String name) throws Exception {
    Path in = Files.createDirectories(tmp.resolve(name));
    Files.copy(TestAssets.media("messi5.jpg"), in.resolve("a.jpg"));
    Mat a = Imgcodecs.imread(in.resolve("a.jpg").toString());
    Imgcodecs.imwrite(in.resolve("b.png").toString(), new Mat(a.size(), CvType.CV_8UC3, new Scalar(128, 128, 128)));
    return in;
  }

  /** Bounding box of {@link #changedMask}, or null when nothing changed. */
  static Rect changed(Path before, Path after, int level) {
    Mat mask = changedMask(before, after, level);
    return Core.countNonZero(mask) == 0 ? null : Imgproc.boundingRect(new MatOfPoint(nonZero(mask)));
  }

  private static Mat nonZero(Mat mask) {
    Mat pts = new Mat();
    Core.findNonZero(mask, pts);
    return pts;
  }

  @Test
  void aFolderOfUnrelatedPhotosDoesNotCarryAFaceBoxIntoTheNextPhoto() throws Exception {
    Path in = faceThenPlain("photos");
    Path out = tmp.resolve("photos-out");
    CliRunner.Run r = CliRunner.run("anonymize", "--input", in.toString(), "--output", out.toString(),
        "--models-dir", models(), "--no-plates", "--mode", "solid");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(new ObjectMapper().readTree(r.lastLine()).get("faces").asInt()).as("faces on a.jpg").isPositive();
    assertThat(changed(in.resolve("a.jpg"), out.resolve("a.jpg"), 60)).as("a.jpg's face was filled").isNotNull();
    assertThat(changed(in.resolve("b.png"), out.resolve("b.png"), 0))
        .as("b.png has no face: not one pixel of it may change, least of all where a.jpg's face was").isNull();
  }

  @Test
  void aFolderDeclaredASequenceHoldsTheFaceBoxOntoTheNextFrame() throws Exception {
    Path in = faceThenPlain("frames");
    Path out = tmp.resolve("frames-out");
    CliRunner.Run r = CliRunner.run("anonymize", "--input", in.toString(), "--output", out.toString(),
        "--models-dir", models(), "--no-plates", "--mode", "solid", "--sequence");
    assertThat(r.exit()).as(r.err()).isZero();
    // a.jpg may have several faces (the player, a face in the crowd): compare masks, not boxes.
    Mat face = changedMask(in.resolve("a.jpg"), out.resolve("a.jpg"), 60);
    Mat held = changedMask(in.resolve("b.png"), out.resolve("b.png"), 0);
    assertThat(Core.countNonZero(face)).as("a.jpg's faces were filled").isPositive();
    // The held box is the face's predicted box grown with its uncertainty (one detection: the
    // speed is unknown), so it covers where the faces were and more, within a few face sizes.
    Mat heldGrown = new Mat();
    Imgproc.dilate(held, heldGrown, Imgproc.getStructuringElement(Imgproc.MORPH_RECT, new Size(17, 17)));
    Mat uncovered = new Mat();
    Core.subtract(face, heldGrown, uncovered);
    assertThat(Core.countNonZero(uncovered)).as("a.jpg's face pixels not held on b.png (track.hold_frames)")
        .isZero();
    assertThat(Core.countNonZero(held)).as("the held area stays within a few face sizes")
        .isLessThan(Core.countNonZero(face) * 25);
    Mat b = Imgcodecs.imread(out.resolve("b.png").toString());
    assertThat(Core.mean(b, held).val[0]).as("filled solid").isLessThan(10);
  }

  /** 255 where the pixels differ by more than {@code level} (grey level of the difference). */
  static Mat changedMask(Path before, Path after, int level) {
    Mat d = new Mat();
    Core.absdiff(Imgcodecs.imread(before.toString()), Imgcodecs.imread(after.toString()), d);
    Mat gray = new Mat();
    Imgproc.cvtColor(d, gray, Imgproc.COLOR_BGR2GRAY);
    Mat mask = new Mat();
    Imgproc.threshold(gray, mask, level, 255, Imgproc.THRESH_BINARY);
    return mask;
  }
}
