package dev.edgeagent.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeagent.detect.DropReason;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HealthServerTest {

  static HttpResponse<String> get(int port, String path) throws Exception {
    // Bounded: a server that never answers fails the test instead of hanging the build (CI once
    // ran out of time inside this test's scrape). HTTP/1.1: no h2c upgrade attempt on plain http.
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
        .build().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30))
            .build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void liveReadyAndMetricsAnswerOnLocalhost() throws Exception {
    Vertx vertx = Vertx.vertx();
    AgentMetrics metrics = new AgentMetrics();
    metrics.frameCaptured("front");
    metrics.frameDropped("front", DropReason.DETECTOR_TIMEOUT);
    metrics.inference("blazeface-back-256", 8_000_000);
    AtomicReference<HealthServer.Readiness> state = new AtomicReference<>(
        new HealthServer.Readiness(true, "DEGRADED", new JsonObject().put("kafka", "unreachable_or_refusing")));
    try {
      HealthServer server = new HealthServer(vertx, metrics, state::get);
      int port = server.start("127.0.0.1", 0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

      assertThat(get(port, "/health/live").statusCode()).isEqualTo(200);
      HttpResponse<String> ready = get(port, "/health/ready");
      assertThat(ready.statusCode()).as("a broker that is away is degraded, not not-ready").isEqualTo(200);
      assertThat(new JsonObject(ready.body()).getString("status")).isEqualTo("DEGRADED");

      state.set(new HealthServer.Readiness(false, "DOWN", new JsonObject()));
      assertThat(get(port, "/health/ready").statusCode()).isEqualTo(503);

      String text = get(port, "/metrics").body();
      assertThat(text).contains("edgeagent_frames_captured_total{camera=\"front\"} 1.0")
          .contains("edgeagent_frames_dropped_total{camera=\"front\",reason=\"detector_timeout\"} 1.0")
          .contains("edgeagent_inference_seconds_bucket{model=\"blazeface-back-256\"");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void healthAnswersWhatReadyAnswers() throws Exception {
    Vertx vertx = Vertx.vertx();
    AtomicReference<HealthServer.Readiness> state = new AtomicReference<>(
        new HealthServer.Readiness(true, "UP", new JsonObject().put("kafka", "ok")));
    try {
      HealthServer server = new HealthServer(vertx, new AgentMetrics(), state::get);
      int port = server.start("127.0.0.1", 0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

      HttpResponse<String> health = get(port, "/health");
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.headers().firstValue("content-type")).hasValue("application/json");
      assertThat(health.body()).isEqualTo(get(port, "/health/ready").body());
      assertThat(new JsonObject(health.body()).getString("status")).isEqualTo("UP");
      assertThat(new JsonObject(health.body()).getJsonObject("details").getString("kafka")).isEqualTo("ok");

      state.set(new HealthServer.Readiness(false, "DOWN", new JsonObject().put("spool", "full")));
      HttpResponse<String> down = get(port, "/health");
      assertThat(down.statusCode()).isEqualTo(503).isEqualTo(get(port, "/health/ready").statusCode());
      assertThat(new JsonObject(down.body()).getString("status")).isEqualTo("DOWN");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
