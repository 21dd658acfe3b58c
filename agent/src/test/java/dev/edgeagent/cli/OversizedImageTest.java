package dev.edgeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeagent.TestAssets;
import dev.edgeagent.capture.CraftedPng;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: a few hundred bytes of PNG whose header claims 50000 x 50000 pixels took the
 * decoder down (exit 70, a half-written folder, a stopped camera). It is bad input, refused on
 * its header: counted as unreadable while the rest of the input is processed.
 */
class OversizedImageTest {
  @TempDir
  Path tmp;

  Path folderWithBomb() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    CraftedPng.write(in.resolve("a-bomb.png"), 50_000, 50_000);
    Files.copy(TestAssets.media("messi5.jpg"), in.resolve("b-messi.jpg"));
    return in;
  }

  @Test
  void anonymizeOnTheBombAloneExits65NamingTheLimitWithoutAStackTrace() throws Exception {
    Path bomb = CraftedPng.write(tmp.resolve("bomb.png"), 50_000, 50_000);
    CliRunner.Run r = CliRunner.run("anonymize", "--input", bomb.toString(), "--output",
        tmp.resolve("clean.png").toString(), "--models-dir", AnonymizeCommandTest.models(), "--no-plates");
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.DATA_ERR);
    assertThat(r.err()).contains("bomb.png").contains("50000 x 50000").contains("capture.max_image_side")
        .doesNotContain("\tat ");
    JsonNode s = new ObjectMapper().readTree(r.lastLine());
    assertThat(s.get("unreadable").asInt()).isEqualTo(1);
    assertThat(s.get("written").asInt()).isZero();
    assertThat(tmp.resolve("clean.png")).doesNotExist();
  }

  @Test
  void anonymizeOnAFolderSkipsTheBombAndAnonymizesTheRest() throws Exception {
    Path out = tmp.resolve("out");
    CliRunner.Run r = CliRunner.run("anonymize", "--input", folderWithBomb().toString(), "--output", out.toString(),
        "--models-dir", AnonymizeCommandTest.models(), "--no-plates");
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.DATA_ERR);
    JsonNode s = new ObjectMapper().readTree(r.lastLine());
    assertThat(s.get("unreadable").asInt()).isEqualTo(1);
    assertThat(s.get("written").asInt()).isEqualTo(1);
    assertThat(s.get("faces").asInt()).as("messi5.jpg shows a face").isPositive();
    assertThat(s.get("complete").asBoolean()).isFalse();
    assertThat(s.get("unreadable_files").get(0).asText()).contains("a-bomb.png").contains("capture.max_image_side");
    assertThat(out.resolve("b-messi.jpg")).exists();
    assertThat(out.resolve("a-bomb.png")).doesNotExist();
  }

  @Test
  void runOnAFolderCameraSkipsAndCountsTheBombAndKeepsTheCameraGoing() throws Exception {
    Path out = tmp.resolve("frames");
    CliRunner.Run r = CliRunner.run("run", "--input", folderWithBomb().toString(), "--camera-id", "cam0",
        "--output-dir", out.toString(), "--models-dir", AnonymizeCommandTest.models(),
        "--set", "http.enabled=false", "--set", "detect.plates=false");
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.OK);
    JsonNode s = new ObjectMapper().readTree(r.lastLine());
    assertThat(s.get("unreadable").asInt()).isEqualTo(1);
    assertThat(s.get("anonymized").asInt()).as("the camera went on to the real image").isEqualTo(1);
    assertThat(s.get("cameras").get(0).get("unreadable").asInt()).isEqualTo(1);
    try (Stream<Path> files = Files.walk(out)) {
      assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(1);
    }
  }
}
