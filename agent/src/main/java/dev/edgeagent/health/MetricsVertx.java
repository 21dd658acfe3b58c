package dev.edgeagent.health;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;

/**
 * The agent's Vert.x instance, reporting its own metrics into the agent's Prometheus registry,
 * so {@code /metrics} also shows the event loops and worker pools ({@code vertx_pool_*}: queue
 * delay, usage, in use) and the health server's requests ({@code vertx_http_server_*}).
 * The event bus and clients are off: the agent uses neither, so they would only be noise.
 */
public final class MetricsVertx {
  private MetricsVertx() {}

  public static Vertx create(AgentMetrics metrics) {
    MicrometerMetricsOptions options = new MicrometerMetricsOptions().setEnabled(true)
        .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS)
        .addDisabledMetricsCategory(MetricsDomain.HTTP_CLIENT)
        .addDisabledMetricsCategory(MetricsDomain.NET_CLIENT)
        .addDisabledMetricsCategory(MetricsDomain.DATAGRAM_SOCKET);
    return Vertx.builder().with(new VertxOptions().setMetricsOptions(options))
        .withMetrics(new MicrometerMetricsFactory(metrics.registry())).build();
  }
}
