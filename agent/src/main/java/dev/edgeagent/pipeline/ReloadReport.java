package dev.edgeagent.pipeline;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * How the last reload went, for the log and {@code /health/ready}: applied (what was started,
 * stopped, restarted, and which changed settings wait for a restart) or rejected (why; the
 * previous config runs on).
 */
public record ReloadReport(boolean applied, String error, ReloadPlan plan, String note, long atMillis) {

  static ReloadReport applied(ReloadPlan plan, String note) {
    return new ReloadReport(true, null, plan, note, System.currentTimeMillis());
  }

  static ReloadReport rejected(String error) {
    return new ReloadReport(false, error, null, null, System.currentTimeMillis());
  }

  public JsonObject toJson() {
    JsonObject j = new JsonObject().put("status", applied ? "applied" : "rejected").put("at_ms", atMillis);
    if (error != null) {
      j.put("error", error);
    }
    if (note != null) {
      j.put("note", note);
    }
    if (plan != null) {
      j.put("started", new JsonArray(List.copyOf(plan.start()))).put("stopped", new JsonArray(List.copyOf(plan.stop())))
          .put("restarted", new JsonArray(List.copyOf(plan.restart()))).put("stages_rebuilt", plan.rebuildStages())
          .put("needs_restart", new JsonArray(List.copyOf(plan.needsRestart())));
    }
    return j;
  }

  /** key=value fields for the reload_applied log line. */
  String logFields() {
    return "started=" + plan.start() + " stopped=" + plan.stop() + " restarted=" + plan.restart() + " stages_rebuilt="
        + plan.rebuildStages() + " needs_restart=" + plan.needsRestart() + (note == null ? "" : " note=\"" + note + "\"");
  }
}
