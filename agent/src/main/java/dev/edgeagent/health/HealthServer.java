package dev.edgeagent.health;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/**
 * /health/live, /health/ready (also at /health) and /metrics on the Vert.x event loop. Handlers only read
 * in-memory state (no I/O, no inference), so they never block the loop.
 */
public final class HealthServer {

  /** What /health/ready reports: ready or not, the overall status word and details. */
  public record Readiness(boolean ready, String status, JsonObject details) {}

  private final Vertx vertx;
  private final AgentMetrics metrics;
  private final Supplier<Readiness> readiness;
  private HttpServer server;

  public HealthServer(Vertx vertx, AgentMetrics metrics, Supplier<Readiness> readiness) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.readiness = readiness;
  }

  public Future<Integer> start(String host, int port) {
    return start(host, port, r -> { });
  }

  /** As {@link #start(String, int)}, with {@code extraRoutes} mounted after the health routes. */
  public Future<Integer> start(String host, int port, java.util.function.Consumer<Router> extraRoutes) {
    Router router = Router.router(vertx);
    router.get("/health/live").handler(ctx -> ctx.response()
        .putHeader("content-type", "application/json").end(new JsonObject().put("status", "UP").encode()));
    // /health is what probes and people try first: it answers exactly what /health/ready does
    for (String path : new String[] {"/health/ready", "/health"}) {
      router.get(path).handler(ctx -> {
        Readiness r = readiness.get();
        ctx.response().setStatusCode(r.ready() ? 200 : 503).putHeader("content-type", "application/json")
            .end(new JsonObject().put("status", r.status()).put("details", r.details()).encode());
      });
    }
    router.get("/metrics").handler(ctx -> ctx.response()
        .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(metrics.scrape()));
    extraRoutes.accept(router);
    return vertx.createHttpServer().requestHandler(router).listen(port, host).map(s -> {
      server = s;
      return s.actualPort();
    });
  }

  public Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
