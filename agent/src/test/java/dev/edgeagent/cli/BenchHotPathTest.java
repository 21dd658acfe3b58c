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
 * {@code bench --hot-path} runs the old and the new hot path on the same frames and reports both:
 * the old one allocates its arrays on every frame, the new one, once its pools have grown, not.
 * (Allocation is counted, not timed: the figures are exact on any machine.)
 */
class BenchHotPathTest {
  @Test
  void reportsBothPathsAndTheNewOneAllocatesAFractionOfTheOld(@TempDir Path tmp) throws Exception {
    Path frames = Files.createDirectories(tmp.resolve("frames"));
    Files.copy(TestAssets.media("messi5.jpg"), frames.resolve("a.jpg"));
    Files.copy(TestAssets.media("licenseplate_motion.jpg"), frames.resolve("b.jpg"));
    // Four warm-up frames: each frame twice, since the recogniser pins its output from its second
    // run at a line width (the first learns the shape), and that pinned buffer is allocated then.
    CliRunner.Run r = CliRunner.run("bench", "--input", frames.toString(), "--frames", "2", "--warmup", "4",
        "--rounds", "1", "--hot-path", "--models-dir", TestAssets.modelsDir().toString());
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode hot = new ObjectMapper().readTree(r.lastLine()).get("hot_path");
    JsonNode before = hot.get("before");
    JsonNode after = hot.get("after");
    assertThat(hot.get("frames").asInt()).isEqualTo(2);
    assertThat(before.get("detector_ms_per_frame").has("yunet-n")).isTrue();
    assertThat(after.get("detector_ms_per_frame").has("ppocr-v4-det")).isTrue();
    assertThat(before.get("model_run_ms_per_frame").get("ppocr-v4-det").asDouble()).isPositive();
    // The old path allocates the text detector's frame-sized arrays on every frame.
    assertThat(before.get("heap_bytes_per_frame").asLong()).isGreaterThan(3_000_000);
    assertThat(before.get("direct_bytes_per_frame").asLong()).isGreaterThan(1_000_000);
    assertThat(after.get("heap_bytes_per_frame").asLong()).isLessThan(before.get("heap_bytes_per_frame").asLong() / 5);
    assertThat(after.get("direct_bytes_per_frame").asLong()).isZero();
    assertThat(r.err()).contains("heap bytes/frame").contains("ms/frame");
  }
}
