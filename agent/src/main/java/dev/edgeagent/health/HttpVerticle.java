package dev.edgeagent.health;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.ext.web.Router;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The HTTP server as a verticle on an event loop: health, metrics and whatever else is mounted
 * on its router. Its handlers read in-memory state only.
 */
public final class HttpVerticle extends VerticleBase {
  private final AgentMetrics metrics;
  private final Supplier<HealthServer.Readiness> readiness;
  private final String host;
  private final int port;
  private final Consumer<Router> extraRoutes;
  private HealthServer server;
  private volatile int actualPort = -1;

  public HttpVerticle(AgentMetrics metrics, Supplier<HealthServer.Readiness> readiness, String host, int port,
      Consumer<Router> extraRoutes) {
    this.metrics = metrics;
    this.readiness = readiness;
    this.host = host;
    this.port = port;
    this.extraRoutes = extraRoutes;
  }

  /** The port it listens on (useful with port 0); -1 before start. */
  public int port() {
    return actualPort;
  }

  @Override
  public Future<?> start() {
    server = new HealthServer(vertx, metrics, readiness);
    return server.start(host, port, extraRoutes).onSuccess(p -> actualPort = p);
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.stop();
  }
}
