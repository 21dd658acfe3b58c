package dev.edgeagent.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgeagent.TestAssets;
import dev.edgeagent.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InferenceConfigTest {
  @TempDir
  Path tmp;

  @Test
  void gpuOptionsAreReadFromTheirSettings() throws Exception {
    InferenceConfig c = InferenceConfig.from(TestAssets.config(Map.of("inference.provider", "tensorrt",
        "inference.device_id", 1, "inference.cuda_mem_limit", "2 GiB", "inference.tensorrt_fp16", true,
        "inference.tensorrt_engine_cache", tmp.resolve("engines").toString())));
    assertThat(c.request()).isEqualTo(ProviderRequest.TENSORRT);
    assertThat(c.gpu()).isEqualTo(new GpuOptions(1, 2L << 30, true, tmp.resolve("engines")));
  }

  @Test
  void requireGpuWithTheCpuProviderIsRefusedWhenTheConfigIsRead() {
    assertThatThrownBy(() -> InferenceConfig.from(TestAssets.config(Map.of("inference.provider", "cpu",
        "inference.require_gpu", true)))).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("inference.require_gpu: true cannot be met with inference.provider: cpu")
        .hasMessageContaining("cuda, tensorrt or auto");
  }

  @Test
  void anEngineCacheThatIsAFileIsRefused() throws Exception {
    Path file = Files.writeString(tmp.resolve("not-a-folder"), "x");
    assertThatThrownBy(() -> InferenceConfig.from(TestAssets.config(Map.of(
        "inference.tensorrt_engine_cache", file.resolve("sub").toString()))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("inference.tensorrt_engine_cache: " + file + " is not a folder");
  }

  @Test
  void anUnknownProviderNamesTheChoices() {
    assertThatThrownBy(() -> TestAssets.config(Map.of("inference.provider", "rocm")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("inference.provider: 'rocm' is not one of [auto, cpu, cuda, tensorrt]");
  }
}
