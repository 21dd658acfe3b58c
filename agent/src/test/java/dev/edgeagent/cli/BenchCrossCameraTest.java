package dev.edgeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeagent.TestAssets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench --batch-window-ms} runs N cameras' detection with batching across cameras off and
 * on, on the same frames, and reports both sides. Only the report's shape is checked: how many
 * runs merge depends on timing, which a test must not.
 */
class BenchCrossCameraTest {
  @Test
  void reportsBothSidesForEachCameraCount(@TempDir Path tmp) throws Exception {
    Path frames = Files.createDirectories(tmp.resolve("frames"));
    Files.copy(TestAssets.media("messi5.jpg"), frames.resolve("a.jpg"));
    Files.copy(TestAssets.media("messi5.jpg"), frames.resolve("b.jpg"));
    CliRunner.Run r = CliRunner.run("bench", "--input", frames.toString(), "--frames", "2", "--warmup", "1",
        "--rounds", "1", "--cameras", "2", "--batch-window-ms", "20", "--set", "detect.plates=false",
        "--models-dir", TestAssets.modelsDir().toString());
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode x = new ObjectMapper().readTree(r.lastLine()).get("cross_camera");
    assertThat(x.get("batch_window_ms").asDouble()).isEqualTo(20);
    JsonNode row = x.get("runs").get(0);
    assertThat(row.get("cameras").asInt()).isEqualTo(2);
    for (String side : new String[] {"off", "on"}) {
      JsonNode s = row.get(side);
      assertThat(s.get("frames").asInt()).as(side).isEqualTo(4);
      assertThat(s.get("dropped").asInt()).as(side).isZero();
      assertThat(s.get("fps").asDouble()).as(side).isPositive();
      assertThat(s.get("p95_ms").asDouble()).as(side).isGreaterThanOrEqualTo(s.get("p50_ms").asDouble());
      assertThat(s.get("model_runs_per_frame").get("yunet-n").asDouble()).as(side).isPositive();
    }
    assertThat(row.get("off").get("model_runs_per_frame").get("yunet-n").asDouble())
        .as("off: every frame makes its own search run").isGreaterThanOrEqualTo(1);
    assertThat(r.err()).contains("cross-camera batching").contains("on/off");
  }
}
