package dev.edgeagent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeagent.TestAssets;
import dev.edgeagent.health.AgentMetrics;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Asking for CUDA on this CPU build: the metric and the health field say the model runs on the CPU. */
class ModelProviderReportTest {

  @Test
  void theProviderEachModelActuallyRunsOnIsExposed() throws Exception {
    AgentMetrics metrics = new AgentMetrics();
    try (Components c = Components.build(TestAssets.config(Map.of("inference.provider", "cuda",
        "detect.plates", false, "detect.plate_map", false)), metrics)) {
      assertThat(c.providers()).containsExactly(Map.entry("yunet-n", "cpu"));
      assertThat(metrics.scrape())
          .contains("# HELP edgeagent_model_provider_info Execution provider each model runs on")
          .contains("edgeagent_model_provider_info{model=\"yunet-n\",provider=\"cpu\",requested=\"cuda\"} 1\n");
    }
  }
}
