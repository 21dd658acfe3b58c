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
 * {@code bench --overlap} runs one camera with pipeline.overlap off and on and reports both sides
 * and their ratios. (Counts are checked, not times: those depend on the machine.)
 */
class BenchOverlapTest {
  @Test
  void reportsBothSidesOnTheSameFrames(@TempDir Path tmp) throws Exception {
    Path frames = Files.createDirectories(tmp.resolve("frames"));
    Files.copy(TestAssets.media("messi5.jpg"), frames.resolve("a.jpg"));
    Files.copy(TestAssets.media("licenseplate_motion.jpg"), frames.resolve("b.jpg"));
    CliRunner.Run r = CliRunner.run("bench", "--input", frames.toString(), "--frames", "2", "--warmup", "1",
        "--rounds", "1", "--size", "320x240", "--overlap", "--models-dir", TestAssets.modelsDir().toString());
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode o = new ObjectMapper().readTree(r.lastLine()).get("overlap");
    for (String side : new String[] {"off", "on"}) {
      assertThat(o.get(side).get("frames").asInt()).as(side).isEqualTo(2);
      assertThat(o.get(side).get("fps").asDouble()).as(side).isPositive();
      assertThat(o.get(side).get("latency_p50_ms").asDouble()).as(side).isPositive();
    }
    assertThat(o.get("on_over_off").get("fps").asDouble()).isPositive();
    assertThat(r.err()).contains("frames/s").contains("latency p50 ms");
  }
}
