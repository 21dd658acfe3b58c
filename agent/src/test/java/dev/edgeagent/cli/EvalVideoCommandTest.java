package dev.edgeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeagent.TestAssets;
import dev.edgeagent.capture.OpenCv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

/** eval-video on a clip made here: a real face moving across a plain frame, and a box on nothing. */
class EvalVideoCommandTest {
  static {
    OpenCv.ensureLoaded();
  }

  @TempDir
  Path tmp;

  static final int FRAMES = 12;
  static final int SPEED = 12;
  /** messi5.jpg's face, and the window around it that is pasted (wider ones take in part of another player). */
  static final Rect FACE = new Rect(218, 86, 44, 50);
  static final int PAD = 20;

  /** A MOT clip: track 1 the moving face, track 2 a box on plain grey that nothing can cover. */
  Path clip() throws Exception {
    Path dir = tmp.resolve("moving-face");
    Files.createDirectories(dir.resolve("img1"));
    Files.createDirectories(dir.resolve("gt"));
    Mat messi = Imgcodecs.imread(TestAssets.media("messi5.jpg").toString());
    Mat window = messi.submat(new Rect(FACE.x - PAD, FACE.y - PAD, FACE.width + 2 * PAD, FACE.height + 2 * PAD));
    StringBuilder gt = new StringBuilder();
    for (int f = 1; f <= FRAMES; f++) {
      Mat frame = new Mat(360, 640, CvType.CV_8UC3, new Scalar(120, 125, 130));
      int x = 40 + SPEED * (f - 1);
      window.copyTo(frame.submat(new Rect(x, 100, window.cols(), window.rows())));
      Imgcodecs.imwrite(dir.resolve(String.format(Locale.ROOT, "img1/%06d.jpg", f)).toString(), frame);
      gt.append(String.format(Locale.ROOT, "%d,1,%d,%d,%d,%d,1,1,1%n", f, x + PAD, 100 + PAD, FACE.width, FACE.height));
      gt.append(String.format(Locale.ROOT, "%d,2,560,20,30,30,1,1,1%n", f));
      frame.release();
    }
    Files.writeString(dir.resolve("gt/gt.txt"), gt);
    Files.writeString(dir.resolve("seqinfo.ini"), "[Sequence]\nname=moving-face\nimDir=img1\nframeRate=25\nseqLength="
        + FRAMES + "\nimWidth=640\nimHeight=360\nimExt=.jpg\n");
    return dir;
  }

  @Test
  void scoresEveryFrameOfAClipThroughThePipeline() throws Exception {
    Path dir = clip();
    Path leaks = tmp.resolve("leaks.json");
    // Faces only: the clip holds no plates, and the pasted window's hard edges are not the point here.
    CliRunner.Run r = CliRunner.run("eval-video", "--clips", tmp.toString(), "--models-dir",
        TestAssets.modelsDir().toString(), "--set", "detect.plates=false", "--report", tmp.resolve("r.json").toString(), "--leaks", leaks.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode s = new ObjectMapper().readTree(r.lastLine());
    assertThat(s.get("clips").asInt()).isEqualTo(1);
    assertThat(s.get("frames").asInt()).isEqualTo(FRAMES);
    assertThat(s.get("scored_frames").asInt()).isEqualTo(FRAMES);
    assertThat(s.get("object_frames").asInt()).isEqualTo(2 * FRAMES);
    assertThat(s.get("tracks").asInt()).isEqualTo(2);
    // The box on plain grey is never covered: every frame of it leaks, in one run.
    JsonNode leaked = new ObjectMapper().readTree(leaks.toFile());
    assertThat(leaked).filteredOn(l -> l.get("track").asInt() == 2).hasSize(FRAMES);
    assertThat(s.get("longest_leak_frames").asInt()).isEqualTo(FRAMES);
    assertThat(s.at("/longest_leak/track").asInt()).isEqualTo(2);
    // The real face, moving 12 px a frame, is covered on every frame.
    assertThat(leaked).filteredOn(l -> l.get("track").asInt() == 1).isEmpty();
    assertThat(s.get("leaked_object_frames").asInt()).isEqualTo(FRAMES);
    assertThat(s.get("leaked_tracks").asInt()).isEqualTo(1);
    assertThat(s.get("precision").asDouble()).as(s.toPrettyString()).isEqualTo(1.0);
    assertThat(s.at("/by_clip/moving-face/frames").asInt()).isEqualTo(FRAMES);
    assertThat(s.get("lookahead_frames").asInt()).isEqualTo(8);
    assertThat(tmp.resolve("r.json")).exists();
    assertThat(dir.resolve("img1")).isDirectory();
  }

  @Test
  void aClipWithoutFramesOrAnnotationIsRefusedBeforeAnyWork() throws Exception {
    Path dir = tmp.resolve("empty");
    Files.createDirectories(dir.resolve("gt"));
    Files.writeString(dir.resolve("gt/gt.txt"), "1,1,10,10,20,20,1,1,1\n");
    CliRunner.Run r = CliRunner.run("eval-video", "--clips", dir.toString(), "--models-dir",
        TestAssets.modelsDir().toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.DATA_ERR);
    assertThat(r.err()).contains("no frames folder img1");
    CliRunner.Run none = CliRunner.run("eval-video", "--clips", tmp.resolve("missing").toString());
    assertThat(none.exit()).isEqualTo(ExitCodes.DATA_ERR);
    assertThat(none.err()).contains("is not a folder");
  }
}
