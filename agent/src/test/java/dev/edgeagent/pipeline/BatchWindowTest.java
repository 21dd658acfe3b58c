package dev.edgeagent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgeagent.config.AgentConfig;
import dev.edgeagent.config.ConfigException;
import dev.edgeagent.config.ConfigLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * inference.batch_window_ms (ADR 0023): off by default, and off where no run could be shared,
 * so the window never adds latency for nothing.
 */
class BatchWindowTest {
  static AgentConfig with(Map<String, Object> values) throws ConfigException {
    return ConfigLoader.defaults().with(values, null);
  }

  @Test
  void theWindowIsOffByDefault() throws Exception {
    assertThat(Components.batchWindowNanos(ConfigLoader.defaults())).isZero();
  }

  @Test
  void aWindowIsKeptWhereCallsCanMeet() throws Exception {
    assertThat(Components.batchWindowNanos(with(Map.of("inference.batch_window_ms", 2.5)))).isEqualTo(2_500_000);
  }

  @Test
  void withOneInferenceSlotOrBatchesOfOneTheWindowIsOff() throws Exception {
    assertThat(Components.batchWindowNanos(with(Map.of("inference.batch_window_ms", 5, "inference.max_concurrent", 1))))
        .as("one slot: no two calls are ever in flight together").isZero();
    assertThat(Components.batchWindowNanos(with(Map.of("inference.batch_window_ms", 5, "inference.max_batch", 1))))
        .as("batches of one image").isZero();
  }

  @Test
  void aWindowOutOfRangeIsRefusedWhenTheConfigIsRead() {
    assertThatThrownBy(() -> with(Map.of("inference.batch_window_ms", 101))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("inference.batch_window_ms");
    assertThatThrownBy(() -> with(Map.of("inference.batch_window_ms", -1))).isInstanceOf(ConfigException.class);
  }
}
