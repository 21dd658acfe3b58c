package dev.edgeagent.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeagent.events.EventAddresses;
import dev.edgeagent.events.FrameEvents;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The page's routes on a real Vert.x HTTP server, fed through the event bus as cameras feed it. */
class StatusPageTest {
  private Vertx vertx;
  private final AtomicInteger port = new AtomicInteger();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    FrameEvents events = new FrameEvents(vertx.eventBus(), null, 2);
    JsonObject facts = new JsonObject().put("status", "UP")
        .put("cameras", new JsonObject().put("front", new JsonObject().put("state", "running")))
        .put("models", new JsonArray().add(new JsonObject().put("id", "yunet-n").put("sha256", "ab".repeat(32))));
    StatusPage page = new StatusPage(vertx, StatusAccess.open(), events, facts::copy, new RecentErrors());
    // mounted inside a verticle, as the HTTP server does, so its timer and consumers share that event loop
    vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        Router router = Router.router(vertx);
        page.mount(router);
        return vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
            .onSuccess(s -> port.set(s.actualPort()));
      }
    }).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void thePageAndItsAssetsComeFromTheJarWithAStrictPolicy() throws Exception {
    HttpResponse<String> page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(page.headers().firstValue("content-security-policy")).hasValue(StatusPage.CSP);
    assertThat(page.body()).contains("<script src=\"/status/status.js\"").doesNotContain("http://", "https://");
    assertThat(get("/status/status.js").body()).contains("new EventSource(\"/status/stream\")")
        .doesNotContain("innerHTML");
    assertThat(get("/status/status.css").statusCode()).isEqualTo(200);
  }

  @Test
  void theSnapshotMergesTheAgentsFactsWithEachCamerasRates() throws Exception {
    publishFrame("front", 7, 2, 1);
    publishFrame("front", 8, 1, 0);
    // the bus delivers on the server's event loop, a moment later
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> new JsonObject(
        get("/status/snapshot").body()).getJsonObject("cameras").getJsonObject("front").getLong("frames", 0L) == 2);
    JsonObject s = new JsonObject(get("/status/snapshot").body());
    JsonObject front = s.getJsonObject("cameras").getJsonObject("front");
    assertThat(front.getString("state")).isEqualTo("running");
    assertThat(front.getLong("frames")).isEqualTo(2);
    assertThat(front.getLong("faces_per_min")).isEqualTo(3);
    assertThat(front.getLong("plates_per_min")).isEqualTo(1);
    assertThat(front.getLong("last_seq")).isEqualTo(8);
    assertThat(s.getJsonArray("models").getJsonObject(0).getString("id")).isEqualTo("yunet-n");
    assertThat(s.getJsonArray("errors")).isNotNull();
  }

  @Test
  void theStreamCarriesStatusEachSecondAndEveryPreviewThatArrives() throws Exception {
    publishFrame("front", 1, 0, 0); // the page learns of the camera from its first frame
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> new JsonObject(
        get("/status/snapshot").body()).getJsonObject("cameras").getJsonObject("front").getLong("frames", 0L) == 1);
    HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(uri("/status/stream"))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(stream.headers().firstValue("content-type")).hasValue("text/event-stream");
    byte[] jpeg = {(byte) 0xff, (byte) 0xd8, 1, 2, 3, (byte) 0xff, (byte) 0xd9};
    try (BufferedReader in = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
      Map<String, JsonObject> seen = new HashMap<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      String event = null;
      boolean previewSent = false;
      while (seen.size() < 2 && System.nanoTime() < deadline) {
        if (!previewSent && seen.containsKey("status")) {
          // published as FrameEvents publishes previews: a JPEG buffer with camera and seq headers
          vertx.eventBus().publish(EventAddresses.preview("front"), Buffer.buffer(jpeg),
              new DeliveryOptions().addHeader("camera", "front").addHeader("seq", "41"));
          previewSent = true;
        }
        String line = in.readLine();
        if (line == null) {
          break;
        }
        if (line.startsWith("event: ")) {
          event = line.substring(7);
        } else if (line.startsWith("data: ") && event != null) {
          seen.put(event, new JsonObject(line.substring(6)));
        }
      }
      assertThat(seen).containsKeys("status", "preview");
      assertThat(seen.get("status").getJsonObject("cameras").getJsonObject("front").getLong("frames")).isEqualTo(1);
      assertThat(seen.get("preview").getString("camera")).isEqualTo("front");
      assertThat(seen.get("preview").getLong("seq")).isEqualTo(41);
      assertThat(Base64.getDecoder().decode(seen.get("preview").getString("jpeg"))).isEqualTo(jpeg);
    }
  }

  private void publishFrame(String camera, long seq, long faces, long plates) {
    vertx.eventBus().publish(EventAddresses.FRAMES, new JsonObject().put("camera", camera).put("seq", seq)
        .put("faces", faces).put("plates", plates).put("latency_ms", 12.0));
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port.get() + path);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
