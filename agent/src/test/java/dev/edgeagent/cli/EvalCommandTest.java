package dev.edgeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeagent.TestAssets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EvalCommandTest {
  @TempDir
  Path tmp;

  static final String MESSI = """
      {"images": [{"id": 1, "file_name": "messi5.jpg", "width": 548, "height": 342},
                  {"id": 2, "file_name": "licenseplate_motion.jpg", "width": 600, "height": 482}],
       "annotations": [
         {"id": 1, "image_id": 1, "category_id": 1, "bbox": [218, 86, 44, 50]},
         {"id": 2, "image_id": 2, "category_id": 2, "bbox": [228, 228, 128, 62]}],
       "categories": [{"id": 1, "name": "face"}, {"id": 2, "name": "licence_plate"}]}
      """;

  @Test
  void measuresRecallOfTheRealRedactionOnAnnotatedImages() throws Exception {
    Files.copy(TestAssets.media("messi5.jpg"), tmp.resolve("messi5.jpg"));
    Files.copy(TestAssets.media("licenseplate_motion.jpg"), tmp.resolve("licenseplate_motion.jpg"));
    Files.writeString(tmp.resolve("annotations.json"), MESSI);
    CliRunner.Run r = CliRunner.run("eval", "--dataset", tmp.toString(), "--models-dir",
        TestAssets.modelsDir().toString(), "--report", tmp.resolve("r.json").toString(),
        "--misses", tmp.resolve("m.json").toString());
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode s = new ObjectMapper().readTree(r.lastLine());
    assertThat(s.get("frames").asInt()).isEqualTo(2);
    assertThat(s.at("/face/gt").asInt()).isEqualTo(1);
    // The face is found: BlazeFace boxes are tight (brow to mouth); the default 20% margin covers it.
    assertThat(s.at("/face/recall").asDouble()).isEqualTo(1.0);
    // The motion-blurred plate is not legible text: the text detector misses it (ADR 0002).
    assertThat(s.at("/plate/gt").asInt()).isEqualTo(1);
    assertThat(s.at("/plate/recall").asDouble()).isEqualTo(0.0);
    assertThat(s.get("fps").asDouble()).isPositive();
    assertThat(tmp.resolve("r.json")).exists();
    JsonNode misses = new ObjectMapper().readTree(tmp.resolve("m.json").toFile());
    assertThat(misses).hasSize(1);
    assertThat(misses.get(0).get("image").asText()).isEqualTo("licenseplate_motion.jpg");
    assertThat(misses.get(0).get("class").asText()).isEqualTo("plate");
    assertThat(misses.get(0).get("covered").asDouble()).isLessThan(0.9);
  }

  @Test
  void splitsAreReportedApartAndCanBeSelected() throws Exception {
    Files.copy(TestAssets.media("messi5.jpg"), tmp.resolve("messi5.jpg"));
    Files.copy(TestAssets.media("licenseplate_motion.jpg"), tmp.resolve("licenseplate_motion.jpg"));
    Files.writeString(tmp.resolve("annotations.json"), MESSI
        .replace("\"width\": 548", "\"split\": \"real\", \"width\": 548")
        .replace("\"width\": 600", "\"split\": \"synthetic\", \"width\": 600"));
    String models = TestAssets.modelsDir().toString();
    CliRunner.Run all = CliRunner.run("eval", "--dataset", tmp.toString(), "--models-dir", models);
    assertThat(all.exit()).as(all.err()).isZero();
    JsonNode s = new ObjectMapper().readTree(all.lastLine());
    assertThat(s.at("/by_split/real/face/recall").asDouble()).isEqualTo(1.0);
    assertThat(s.at("/by_split/real/plate/gt").asInt()).isZero();
    assertThat(s.at("/by_split/synthetic/plate/gt").asInt()).isEqualTo(1);
    CliRunner.Run one = CliRunner.run("eval", "--dataset", tmp.toString(), "--models-dir", models,
        "--split", "synthetic");
    assertThat(one.exit()).as(one.err()).isZero();
    JsonNode o = new ObjectMapper().readTree(one.lastLine());
    assertThat(o.get("frames").asInt()).isEqualTo(1);
    assertThat(o.at("/face/gt").asInt()).isZero();
    CliRunner.Run none = CliRunner.run("eval", "--dataset", tmp.toString(), "--models-dir", models,
        "--split", "drone");
    assertThat(none.exit()).isEqualTo(ExitCodes.DATA_ERR);
    assertThat(none.err()).contains("drone").contains("real").contains("synthetic");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "{not json",
      "{\"images\": 3, \"annotations\": []}",
      "{\"images\": [{\"id\": 1, \"file_name\": \"missing.jpg\"}], \"annotations\": []}",
      "{\"images\": [], \"annotations\": []}"})
  void brokenAnnotationsExit65WithAMessage(String json) throws Exception {
    if (!json.isEmpty()) {
      Files.writeString(tmp.resolve("annotations.json"), json);
    }
    CliRunner.Run r = CliRunner.run("eval", "--dataset", tmp.toString(), "--models-dir",
        TestAssets.modelsDir().toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.DATA_ERR);
    assertThat(r.err()).contains("annotations.json").doesNotContain("Exception");
  }

  @Test
  void anAnnotationWithABadCategoryOrBoxNamesIt() throws Exception {
    Files.copy(TestAssets.media("messi5.jpg"), tmp.resolve("messi5.jpg"));
    Files.writeString(tmp.resolve("annotations.json"), """
        {"images": [{"id": 1, "file_name": "messi5.jpg"}],
         "annotations": [{"id": 1, "image_id": 1, "category_id": 7, "bbox": [1, 2, 3, 4]}]}
        """);
    CliRunner.Run r = CliRunner.run("eval", "--dataset", tmp.toString(), "--models-dir",
        TestAssets.modelsDir().toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.DATA_ERR);
    assertThat(r.err()).contains("annotations[0]").contains("category_id");
  }
}
