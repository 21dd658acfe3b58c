package dev.edgeagent.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import dev.edgeagent.TestAssets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Provider fallback on this CPU-only build of ONNX Runtime: what a GPU build does on a box whose
 * GPU or CUDA libraries are missing. The warnings go to a list instead of the log, so the test
 * sees exactly what an operator would read.
 */
class SessionOpenerTest {
  private static final Path YUNET = TestAssets.home().resolve("models/yunet/yunet_n_dynamic.onnx");
  private final List<String> warnings = new ArrayList<>();

  private SessionOpener realOpener() throws Exception {
    OrtRuntime.environment();
    return new SessionOpener(OrtEnvironment.getAvailableProviders(), new ProviderWarnings(warnings::add));
  }

  @Test
  void cudaOnTheCpuBuildRunsOnCpuWithOneWarningForAllModels() throws Exception {
    SessionOpener opener = realOpener();
    InferenceConfig cuda = InferenceConfig.of(InferenceProvider.CUDA, 1);
    OpenedSession first = opener.open("face", YUNET, cuda);
    OpenedSession second = opener.open("plate", YUNET, cuda);
    try (OrtSession s1 = first.session(); OrtSession s2 = second.session()) {
      assertThat(first.provider()).isEqualTo(InferenceProvider.CPU);
      assertThat(second.provider()).isEqualTo(InferenceProvider.CPU);
      assertThat(first.refused()).containsOnlyKeys(InferenceProvider.CUDA);
      assertThat(warnings).hasSize(1);
      assertThat(warnings.get(0)).startsWith("event=provider_unavailable provider=cuda requested=cuda fallback=cpu")
          .contains("not in this ONNX Runtime build");
    }
  }

  @Test
  void requireGpuRefusesInsteadOfFallingBackAndNamesTheSetting() throws Exception {
    SessionOpener opener = realOpener();
    InferenceConfig cfg = new InferenceConfig(ProviderRequest.AUTO, true, 1, GpuOptions.DEFAULTS);
    assertThatThrownBy(() -> opener.open("face", YUNET, cfg)).isInstanceOf(ModelLoadException.class)
        .hasMessageStartingWith("inference.require_gpu: model face would run on the CPU")
        .hasMessageContaining("tensorrt: not in this ONNX Runtime build")
        .hasMessageContaining("cuda: not in this ONNX Runtime build")
        .hasMessageContaining("inference.require_gpu: false");
    assertThat(warnings).as("the refusal is the one message, not a fallback warning too")
        .noneMatch(w -> w.contains("fallback=cpu"));
  }

  @Test
  void autoTakesTheFirstProviderThatLoadsInTheDocumentedOrder() throws Exception {
    // A build with both GPU providers where TensorRT's libraries are missing: auto lands on CUDA.
    SessionOpener opener = new SessionOpener(EnumSet.of(OrtProvider.CPU, OrtProvider.CUDA, OrtProvider.TENSOR_RT),
        new ProviderWarnings(warnings::add));
    List<InferenceProvider> tried = new ArrayList<>();
    InferenceConfig auto = new InferenceConfig(ProviderRequest.AUTO, false, 1, GpuOptions.DEFAULTS);
    OpenedSession s = opener.open("face", auto, p -> {
      tried.add(p);
      if (p == InferenceProvider.TENSORRT) {
        throw new ai.onnxruntime.OrtException("libnvinfer.so.10: cannot open shared object file\nmore detail");
      }
      return OrtRuntime.environment().createSession(YUNET.toString()); // stands in for the CUDA session
    });
    try (OrtSession session = s.session()) {
      assertThat(tried).containsExactly(InferenceProvider.TENSORRT, InferenceProvider.CUDA);
      assertThat(s.provider()).isEqualTo(InferenceProvider.CUDA);
      assertThat(warnings).singleElement().asString()
          .contains("provider=tensorrt requested=auto fallback=cuda")
          .contains("reason=\"libnvinfer.so.10: cannot open shared object file\"");
    }
  }

  @Test
  void anExplicitGpuProviderFallsBackStraightToTheCpu() {
    assertThat(ProviderRequest.TENSORRT.candidates()).containsExactly(InferenceProvider.TENSORRT, InferenceProvider.CPU);
    assertThat(ProviderRequest.CUDA.candidates()).containsExactly(InferenceProvider.CUDA, InferenceProvider.CPU);
    assertThat(ProviderRequest.AUTO.candidates())
        .containsExactly(InferenceProvider.TENSORRT, InferenceProvider.CUDA, InferenceProvider.CPU);
  }
}
