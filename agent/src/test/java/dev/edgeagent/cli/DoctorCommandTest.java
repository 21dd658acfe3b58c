package dev.edgeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeagent.TestAssets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** doctor on this box: no GPU, the CPU build of ONNX Runtime. */
class DoctorCommandTest {
  @TempDir
  Path tmp;

  private static JsonNode json(CliRunner.Run r) throws Exception {
    return new ObjectMapper().readTree(r.lastLine());
  }

  @Test
  void theDefaultProfileRunsHereAndEveryModelIsTimedOnTheCpu() throws Exception {
    CliRunner.Run r = CliRunner.run("doctor", "--json", "--models-dir", TestAssets.modelsDir().toString(),
        "--set", "spool.dir=" + tmp.resolve("spool"));
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.OK);
    JsonNode j = json(r);
    assertThat(j.get("ok").asBoolean()).isTrue();
    assertThat(j.get("problems")).isEmpty();
    assertThat(j.at("/host/arch").asText()).isEqualTo(System.getProperty("os.arch"));
    assertThat(j.at("/host/cpu_cores").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(j.at("/host/memory_total_bytes").asLong()).isPositive();
    assertThat(j.at("/gpu").has("visible")).isTrue();
    assertThat(j.at("/gpu_libraries").has("cudnn")).isTrue();
    assertThat(j.at("/onnxruntime/native_version").asText()).isEqualTo(j.at("/onnxruntime/java_api_version").asText());
    assertThat(j.at("/spool/free_bytes").asLong()).isPositive();
    assertThat(j.at("/cameras/devices").isArray()).isTrue();
    JsonNode models = j.at("/models/configured");
    assertThat(models).extracting(m -> m.get("model").asText()).containsExactly("yunet-n", "ppocr-v4-rec", "ppocr-v4-det");
    for (JsonNode m : models) {
      assertThat(m.at("/providers/cpu/loads").asBoolean()).isTrue();
      assertThat(m.at("/providers/cpu/run_ms").asDouble()).isPositive();
      assertThat(m.at("/providers/cuda/loads").asBoolean()).isFalse();
      assertThat(m.at("/providers/cuda/reason").asText()).contains("not in this ONNX Runtime build");
      assertThat(m.get("inputs").size()).isPositive();
    }
    assertThat(models.get(0).at("/inputs/input").asText()).isEqualTo("[-1, 3, -1, -1]");
  }

  @Test
  void aProfileThatRequiresAGpuExits78WithTheReason() throws Exception {
    CliRunner.Run r = CliRunner.run("doctor", "--json", "--set", "inference.provider=auto",
        "--set", "inference.require_gpu=true", "--set", "detect.plates=false", "--set", "spool.dir=" + tmp);
    assertThat(r.exit()).isEqualTo(ExitCodes.CONFIG);
    JsonNode j = json(r);
    assertThat(j.get("ok").asBoolean()).isFalse();
    assertThat(j.get("problems")).singleElement().extracting(JsonNode::asText).asString()
        .startsWith("inference.require_gpu: true, but no GPU provider (cuda, tensorrt) loads a model on this box");
  }

  @Test
  void aMissingModelFileIsAProblemNamingItsSettingAndTheTextSaysSo() {
    CliRunner.Run r = CliRunner.run("doctor", "--models-dir", tmp.resolve("no-models").toString(),
        "--set", "detect.faces=false", "--set", "spool.dir=" + tmp);
    assertThat(r.exit()).isEqualTo(ExitCodes.CONFIG);
    assertThat(r.out()).contains("PROBLEMS:").contains("- models.plate_reader: model file ")
        .contains("ppocr-v4-rec.onnx is missing").contains("host:\n  os: ");
  }
}
