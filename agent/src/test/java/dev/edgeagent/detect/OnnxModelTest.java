package dev.edgeagent.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgeagent.TestAssets;
import org.junit.jupiter.api.Test;

class OnnxModelTest {

  @Test
  void askingForCudaWithoutAGpuFallsBackToCpuAndStillDetects() throws Exception {
    // The test classpath carries the CPU runtime, which has no CUDA provider: the same path a
    // GPU build takes on a machine without a GPU or CUDA libraries.
    try (OnnxModel m = OnnxModel.load(ModelManifest.load(), TestAssets.modelsDir(), "blazeface-back-256",
        InferenceProvider.CUDA, 1)) {
      assertThat(m.provider()).isEqualTo(InferenceProvider.CPU);
      FaceDetector d = new FaceDetector(m, 0.5, 1, 0.2, (a, b) -> { });
      assertThat(d.detect(TestAssets.image("messi5.jpg"))).isNotEmpty();
    }
  }

  @Test
  void aModelNotInTheManifestIsRefused() {
    assertThatThrownBy(() -> OnnxModel.load(ModelManifest.load(), TestAssets.modelsDir(), "made-up",
        InferenceProvider.CPU, 1)).isInstanceOf(ModelLoadException.class).hasMessageContaining("manifest");
  }

  @Test
  void theManifestPinsEveryModelWithASha256() {
    assertThat(ModelManifest.load().entries().values()).isNotEmpty().allSatisfy(e -> {
      assertThat(e.sha256()).matches("[0-9a-f]{64}");
      assertThat(e.licence()).isNotBlank();
    });
  }
}
