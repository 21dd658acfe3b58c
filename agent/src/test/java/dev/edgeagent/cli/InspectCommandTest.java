package dev.edgeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeagent.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

/** inspect end to end, in-process, on the committed crop-anomaly model and synthetic-defect set. */
class InspectCommandTest {
  static final Path DEFECTS = ConfigLoader.home().resolve("models/anomaly/defects");
  /** A pasted foreign object (see defects.json for its box) and a clean crop of the same photo. */
  static final String DEFECT = "027_foreign.jpg";
  static final String CLEAN = "051_clean.jpg";

  @TempDir
  Path tmp;

  static JsonNode defectEntry(String file) throws Exception {
    for (JsonNode it : new ObjectMapper().readTree(DEFECTS.resolve("defects.json").toFile()).path("items")) {
      if (it.path("file").asText().equals("images/" + file)) {
        return it;
      }
    }
    throw new AssertionError(file + " not in defects.json");
  }

  static boolean overlaps(JsonNode box, JsonNode bbox) {
    int x = box.get(0).asInt();
    int y = box.get(1).asInt();
    int bx = bbox.get(0).asInt();
    int by = bbox.get(1).asInt();
    return x < bx + bbox.get(2).asInt() && bx < x + box.get(2).asInt()
        && y < by + bbox.get(3).asInt() && by < y + box.get(3).asInt();
  }

  @Test
  void flagsARegionOnTheDefectAndWritesTheHeatmapAndRegionsFile() throws Exception {
    Path out = tmp.resolve("out");
    CliRunner.Run r = CliRunner.run("inspect", "--input", DEFECTS.resolve("images/" + DEFECT).toString(),
        "--output", out.toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.OK);
    JsonNode j = new ObjectMapper().readTree(r.lastLine());
    assertThat(j.path("images")).hasSize(1);
    JsonNode img = j.path("images").get(0);
    assertThat(img.path("file").asText()).isEqualTo(DEFECT);
    assertThat(img.path("score").asDouble()).isGreaterThan(j.path("threshold").asDouble());
    JsonNode bbox = defectEntry(DEFECT).path("bbox_xywh");
    JsonNode top = img.path("regions").get(0);
    assertThat(overlaps(top.path("box"), bbox)).as("top region " + top + " vs defect " + bbox).isTrue();
    assertThat(j.path("model").asText()).isEqualTo("crop-flow");
    assertThat(j.path("sha256").asText()).hasSize(64);

    String stem = DEFECT.substring(0, DEFECT.lastIndexOf('.'));
    Mat heat = Imgcodecs.imread(out.resolve(stem + ".heatmap.png").toString());
    assertThat(heat.cols()).isEqualTo(192);
    assertThat(heat.rows()).isEqualTo(192);
    JsonNode file = new ObjectMapper().readTree(out.resolve(stem + ".regions.json").toFile());
    assertThat(file.path("regions").size()).isEqualTo(img.path("regions").size());
    assertThat(file.path("grid").path("rows").asInt()).isEqualTo(23);
    assertThat(file.path("score_rule").asText()).isNotBlank();
  }

  @Test
  void aCleanCropOfTheSamePhotoScoresLowerWithNoMoreRegions() throws Exception {
    JsonNode defect = new ObjectMapper().readTree(CliRunner.run("inspect", "--input",
        DEFECTS.resolve("images/" + DEFECT).toString(), "--output", tmp.resolve("a").toString()).lastLine());
    CliRunner.Run r = CliRunner.run("inspect", "--input", DEFECTS.resolve("images/" + CLEAN).toString(),
        "--output", tmp.resolve("b").toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.OK);
    JsonNode clean = new ObjectMapper().readTree(r.lastLine()).path("images").get(0);
    JsonNode bad = defect.path("images").get(0);
    assertThat(clean.path("score").asDouble()).isLessThan(bad.path("score").asDouble());
    assertThat(clean.path("regions").size()).isLessThanOrEqualTo(bad.path("regions").size());
  }

  @Test
  void aFolderGivesOneSummaryEntryPerImageAndAnUndecodableOneExits65() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    Files.copy(DEFECTS.resolve("images/" + DEFECT), in.resolve("a.jpg"));
    Files.copy(DEFECTS.resolve("images/" + CLEAN), in.resolve("b.jpg"));
    CliRunner.Run ok = CliRunner.run("inspect", "--input", in.toString(), "--output", tmp.resolve("o").toString());
    assertThat(ok.exit()).as(ok.err()).isEqualTo(ExitCodes.OK);
    JsonNode j = new ObjectMapper().readTree(ok.lastLine());
    assertThat(j.path("inspected").asInt()).isEqualTo(2);
    for (JsonNode e : j.path("images")) {
      assertThat(e.has("file") && e.has("score") && e.path("regions").isArray()).as(e.toString()).isTrue();
    }
    assertThat(tmp.resolve("o/a.heatmap.png")).exists();
    assertThat(tmp.resolve("o/b.regions.json")).exists();

    Files.writeString(in.resolve("c.png"), "not an image");
    CliRunner.Run bad = CliRunner.run("inspect", "--input", in.toString(), "--output", tmp.resolve("o2").toString());
    assertThat(bad.exit()).isEqualTo(ExitCodes.DATA_ERR);
    JsonNode jb = new ObjectMapper().readTree(bad.lastLine());
    assertThat(jb.path("inspected").asInt()).isEqualTo(2);
    assertThat(jb.path("unreadable").asInt()).isEqualTo(1);
    assertThat(bad.err()).contains("could not be decoded");
  }

  @Test
  void aVideoIsSampledEveryNthFrame() throws Exception {
    Path out = tmp.resolve("v");
    CliRunner.Run r = CliRunner.run("inspect", "--input", dev.edgeagent.TestAssets.media("vtest.avi").toString(),
        "--output", out.toString(), "--every", "400");
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.OK);
    JsonNode images = new ObjectMapper().readTree(r.lastLine()).path("images");
    assertThat(images).hasSize(2);   // 795 frames: 0 and 400
    assertThat(images.get(0).path("file").asText()).endsWith("vtest.avi#0");
    assertThat(images.get(1).path("file").asText()).endsWith("vtest.avi#400");
    assertThat(out.resolve("vtest_f000400.heatmap.png")).exists();
    assertThat(out.resolve("vtest_f000400.regions.json")).exists();
    assertThat(CliRunner.run("inspect", "--input", "x.avi", "--output", out.toString(), "--every", "0").exit())
        .isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void missingInputExits66AndUndecodableImageExits65() throws Exception {
    CliRunner.Run missing = CliRunner.run("inspect", "--input", tmp.resolve("nope.jpg").toString(),
        "--output", tmp.resolve("o").toString());
    assertThat(missing.exit()).isEqualTo(ExitCodes.NO_INPUT);
    Path junk = tmp.resolve("junk.png");
    Files.writeString(junk, "not an image");
    CliRunner.Run bad = CliRunner.run("inspect", "--input", junk.toString(), "--output", tmp.resolve("o").toString());
    assertThat(bad.exit()).isEqualTo(ExitCodes.DATA_ERR);
    assertThat(new ObjectMapper().readTree(bad.lastLine()).path("images")).isEmpty();
  }

  @Test
  void aModelFileThatDoesNotMatchItsPinExits78() throws Exception {
    Path home = tmp.resolve("home");
    Path model = home.resolve("models/anomaly/crop_flow.onnx");
    Files.createDirectories(model.getParent());
    byte[] bytes = Files.readAllBytes(ConfigLoader.home().resolve("models/anomaly/crop_flow.onnx"));
    bytes[bytes.length / 2] ^= 1;
    Files.write(model, bytes);
    String old = System.getProperty("edgeagent.home");
    CliRunner.Run r;
    try {
      System.setProperty("edgeagent.home", home.toString());
      r = CliRunner.run("inspect", "--input", DEFECTS.resolve("images/" + DEFECT).toString(),
          "--output", tmp.resolve("o").toString());
    } finally {
      System.setProperty("edgeagent.home", old);
    }
    assertThat(r.exit()).isEqualTo(ExitCodes.CONFIG);
    assertThat(r.err()).contains("sha256").contains("refusing to run on unverified weights");
    assertThat(tmp.resolve("o")).doesNotExist();
  }
}
