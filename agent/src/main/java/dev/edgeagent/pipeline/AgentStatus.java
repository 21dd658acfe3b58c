package dev.edgeagent.pipeline;

import dev.edgeagent.detect.OnnxModel;
import dev.edgeagent.health.AgentMetrics;
import dev.edgeagent.health.HealthServer;
import dev.edgeagent.publish.KafkaPublishing;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/**
 * What the status page shows of the running agent: {@code /health/ready}'s details (each
 * camera's state, the broker link, the spool), reshaped, plus what readiness does not carry:
 * each camera's counters (drops by reason included), where the broker is, the age of the spool's
 * oldest record and every model's hash. Readiness and the spool take the spool's lock briefly,
 * so it is called on a worker, never on the event loop.
 */
final class AgentStatus implements Supplier<JsonObject> {
  private final Supplier<HealthServer.Readiness> readiness;
  private final Supplier<Components> components;
  private final Supplier<KafkaPublishing> publishing;
  private final AgentMetrics metrics;

  AgentStatus(Supplier<HealthServer.Readiness> readiness, Supplier<Components> components,
      Supplier<KafkaPublishing> publishing, AgentMetrics metrics) {
    this.readiness = readiness;
    this.components = components;
    this.publishing = publishing;
    this.metrics = metrics;
  }

  @Override
  public JsonObject get() {
    HealthServer.Readiness r = readiness.get();
    JsonObject d = r.details();
    JsonObject cameras = new JsonObject();
    d.getJsonObject("camera_states", new JsonObject()).forEach(e -> {
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
      out.put("broker", new JsonObject().put("state", d.getString("kafka")).put("link", d.getString("kafka_link"))
              .put("bootstrap", p.bootstrapServers()).put("topic", p.topic())
              .put("last_error", d.getString("kafka_error")))
          .put("spool", new JsonObject().put("pending", d.getLong("spool_pending"))
              .put("bytes", d.getLong("spool_bytes")).put("oldest_age_ms", p.spool().oldestPendingAgeMillis())
              .put("full", d.getBoolean("spool_full")).put("disk_full", d.getBoolean("spool_disk_full"))
              .put("dropped_oldest", d.getLong("spool_dropped_oldest")));
    }
    JsonObject reload = d.getJsonObject("reload");
    if (reload != null) {
      out.put("reload", reload);
    }
    return out;
  }
}
