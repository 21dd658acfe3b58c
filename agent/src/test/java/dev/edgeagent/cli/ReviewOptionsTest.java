package dev.edgeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeagent.TestAssets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.imgcodecs.Imgcodecs;

/** anonymize --boxes, --review and --keep: what they refuse and what --boxes writes. */
class ReviewOptionsTest {
  @TempDir
  Path tmp;

  private static String models() {
    return TestAssets.modelsDir().toString();
  }

  @Test
  void boxesDrawsWhatWasFoundLeavesTheFaceVisibleAndSaysTheOutputIsNotAnonymized() throws Exception {
    Path out = tmp.resolve("boxes.jpg");
    CliRunner.Run r = CliRunner.run("anonymize", "--input", TestAssets.media("messi5.jpg").toString(), "--output",
        out.toString(), "--models-dir", models(), "--boxes", "--no-plates");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode s = new ObjectMapper().readTree(r.lastLine());
    assertThat(s.get("anonymized").asBoolean()).isFalse();
    assertThat(s.get("faces").asLong()).isPositive();
    assertThat(r.err()).contains("NOT anonymized");

    Mat in = TestAssets.image("messi5.jpg");
    Mat drawn = Imgcodecs.imread(out.toString());
    // messi's face (about 227,93 30x39): inside the outline the pixels are the input's (JPEG aside)
    Rect face = new Rect(232, 100, 20, 25);
    Mat d = new Mat();
    Core.absdiff(in.submat(face), drawn.submat(face), d);
    assertThat(Core.sumElems(d).val[0] / (3.0 * face.area())).isLessThan(8);
    Core.absdiff(in, drawn, d);
    assertThat(Core.sumElems(d).val[1]).as("the outline and label are drawn").isPositive();
  }

  @Test
  void refusesWhatWouldMixUpReviewAndOutput() {
    String input = TestAssets.media("messi5.jpg").toString();
    CliRunner.Run both = CliRunner.run("anonymize", "--input", input, "--output", tmp.resolve("o.jpg").toString(),
        "--models-dir", models(), "--boxes", "--mode", "blur");
    assertThat(both.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(both.err()).contains("--boxes").contains("--mode blur");

    Path out = tmp.resolve("out");
    CliRunner.Run inside = CliRunner.run("anonymize", "--input", input, "--output", out.toString(),
        "--models-dir", models(), "--review", out.resolve("review").toString());
    assertThat(inside.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(inside.err()).contains("inside --output");

    CliRunner.Run missing = CliRunner.run("anonymize", "--input", input, "--output", out.toString(),
        "--models-dir", models(), "--keep", tmp.resolve("nope.txt").toString());
    assertThat(missing.exit()).isEqualTo(ExitCodes.NO_INPUT);
    assertThat(missing.err()).contains("nope.txt cannot be read");
  }

  @Test
  void aMalformedKeepListNamesItsLine() throws Exception {
    Path keep = tmp.resolve("keep.txt");
    Files.writeString(keep, "# made by hand\nkeep frame=0 class=face box=1,2,3\n");
    CliRunner.Run r = CliRunner.run("anonymize", "--input", TestAssets.media("messi5.jpg").toString(), "--output",
        tmp.resolve("o.jpg").toString(), "--models-dir", models(), "--keep", keep.toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.DATA_ERR);
    assertThat(r.err()).contains("keep.txt line 2").contains("is not X,Y,W,H");
    assertThat(tmp.resolve("o.jpg")).doesNotExist();
  }
}
