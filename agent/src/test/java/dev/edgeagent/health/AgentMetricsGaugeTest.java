package dev.edgeagent.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A gauge follows the latest object registered under its name and tag (a restarted camera's new queue). */
class AgentMetricsGaugeTest {

  @Test
  void theLatestRegistrationOfASeriesIsTheOneItReads() {
    AgentMetrics metrics = new AgentMetrics();
    AtomicInteger oldQueue = new AtomicInteger(3);
    AtomicInteger newQueue = new AtomicInteger(7);
    metrics.gauge("edgeagent.queue.depth", "Redacted frames waiting for the sink thread", null, "camera", "front",
        oldQueue::get);
    assertThat(metrics.scrape()).contains("edgeagent_queue_depth{camera=\"front\"} 3.0");

    metrics.gauge("edgeagent.queue.depth", "Redacted frames waiting for the sink thread", null, "camera", "front",
        newQueue::get);
    newQueue.set(5);
    oldQueue.set(9);
    assertThat(metrics.scrape()).contains("edgeagent_queue_depth{camera=\"front\"} 5.0")
        .doesNotContain("edgeagent_queue_depth{camera=\"front\"} 9.0");

    metrics.gauge("edgeagent.queue.depth", "Redacted frames waiting for the sink thread", null, "camera", "rear",
        () -> 1);
    assertThat(metrics.scrape()).contains("edgeagent_queue_depth{camera=\"rear\"} 1.0")
        .contains("edgeagent_queue_depth{camera=\"front\"} 5.0");
  }
}
