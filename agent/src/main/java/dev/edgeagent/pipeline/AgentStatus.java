package dev.edgeagent.pipeline;

import dev.edgeagent.detect.OnnxModel;
import dev.edgeagent.health.AgentMetrics;
import dev.edgeagent.health.HealthServer;
import dev.edgeagent.publish.KafkaPublishing;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/**
 * What the status page shows of the running agent, read from the same sources as
 * {@code /health/ready} and {@code /metrics}: the overall status, each camera's state and
 * counters (drops by reason included), the broker link, the spool (depth, bytes, age of the
 * oldest record) and every model with its hash and the provider it runs on. Reads locks the
 * spool briefly, so it is called on a worker, never on the event loop.
 */
final class AgentStatus implements Supplier<JsonObject> {
  private final Supplier<HealthServer.Readiness> readiness;
  private final Supplier<Components> components;
  private final Supplier<KafkaPublishing> publishing;
  private final CameraStates states;
  private final AgentMetrics metrics;

  AgentStatus(Supplier<HealthServer.Readiness> readiness, Supplier<Components> components,
      Supplier<KafkaPublishing> publishing, CameraStates states, AgentMetrics metrics) {
    this.readiness = readiness;
    this.components = components;
    this.publishing = publishing;
    this.states = states;
    this.metrics = metrics;
  }

  @Override
  public JsonObject get() {
    HealthServer.Readiness r = readiness.get();
    JsonObject cameras = new JsonObject();
    states.toJson().forEach(e -> {
      JsonObject cam = ((JsonObject) e.getValue()).copy().mergeIn(metrics.cameraCounts(e.getKey()));
      cameras.put(e.getKey(), cam);
    });
    JsonArray models = new JsonArray();
    Components c = components.get();
    for (OnnxModel m : c.models()) {
      models.add(new JsonObject().put("id", m.info().id()).put("sha256", m.info().sha256())
          .put("provider", m.provider().label()));
    }
    JsonObject out = new JsonObject().put("status", r.status()).put("cameras", cameras).put("models", models);
    KafkaPublishing p = publishing.get();
    if (p != null) {
      out.put("broker", new JsonObject().put("state", r.details().getString("kafka"))
              .put("link", p.security()).put("bootstrap", p.bootstrapServers()).put("topic", p.topic())
              .put("last_error", p.stats().lastError()))
          .put("spool", new JsonObject().put("pending", p.spool().pending()).put("bytes", p.spool().bytes())
              .put("oldest_age_ms", p.spool().oldestPendingAgeMillis()).put("full", p.spool().full())
              .put("disk_full", p.spool().diskFull()).put("dropped_oldest", p.spool().droppedOldest()));
    }
    JsonObject reload = r.details().getJsonObject("reload");
    if (reload != null) {
      out.put("reload", reload);
    }
    return out;
  }
}
