package dev.edgeagent.health;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.Map;

/**
 * The agent's Vert.x instance, reporting its own metrics into the agent's Prometheus registry,
 * so {@code /metrics} also shows the event loops ({@code netty_eventexecutor_tasks_pending}:
 * a backlog there means something blocks a loop), the worker pools ({@code vertx_pool_*}:
 * queue time, usage, in use) and the health server's requests ({@code vertx_http_server_*}).
 * The event bus and clients are off: the agent uses neither, so they would only be noise.
 */
public final class MetricsVertx {
  /** Netty's meters come without help text, which promtool (rightly) warns about. */
  private static final Map<String, String> NETTY_HELP = Map.of(
      "netty.eventexecutor.tasks.pending", "Tasks waiting on each Netty event executor (Vert.x event loops)",
      "netty.allocator.memory.used", "Memory Netty's buffer allocator holds",
      "netty.allocator.memory.pinned", "Memory of Netty buffers in use",
      "netty.allocator.pooled.arenas", "Arenas of Netty's pooled allocator",
      "netty.allocator.pooled.cache.size", "Cache size of Netty's pooled allocator",
      "netty.allocator.pooled.chunk.size", "Chunk size of Netty's pooled allocator",
      "netty.allocator.pooled.threadlocal.caches", "Thread-local caches of Netty's pooled allocator");

  private MetricsVertx() {}

  public static Vertx create(AgentMetrics metrics) {
    MicrometerMetricsOptions options = new MicrometerMetricsOptions().setEnabled(true).setNettyMetricsEnabled(true)
        .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS)
        .addDisabledMetricsCategory(MetricsDomain.HTTP_CLIENT)
        .addDisabledMetricsCategory(MetricsDomain.NET_CLIENT)
        .addDisabledMetricsCategory(MetricsDomain.DATAGRAM_SOCKET);
    return Vertx.builder().with(new VertxOptions().setMetricsOptions(options))
        .withMetrics(new MicrometerMetricsFactory(metrics.registry())).build();
  }

  /**
   * Help text for Netty's meters. {@link AgentMetrics} installs it before its first meter:
   * Micrometer warns (and may not apply it everywhere) when a filter comes after meters exist.
   */
  static MeterFilter describeNetty() {
    return new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        if (id.getDescription() != null || !id.getName().startsWith("netty.")) {
          return id;
        }
        String help = NETTY_HELP.getOrDefault(id.getName(), "Netty " + id.getName().substring(6).replace('.', ' '));
        return new Meter.Id(id.getName(), Tags.of(id.getTags()), id.getBaseUnit(), help, id.getType());
      }
    };
  }
}
