package dev.edgeagent.events;

import io.vertx.core.json.JsonObject;

/**
 * A camera's state as its supervisor sees it.
 *
 * @param state {@code running}, {@code retrying} (failed; the next attempt is at
 *     {@code retryAtMillis}), {@code failed} (given up), {@code ended} (its input ended or it was
 *     stopped)
 * @param detail why, for retrying and failed; null otherwise
 */
public record CameraStateEvent(String camera, String state, int attempt, String detail, long retryAtMillis,
    long atMillis) {

  public JsonObject toJson() {
    JsonObject j = new JsonObject().put("camera", camera).put("state", state).put("attempt", attempt)
        .put("at_ms", atMillis);
    if (detail != null) {
      j.put("detail", detail);
    }
    if (retryAtMillis > 0) {
      j.put("retry_at_ms", retryAtMillis);
    }
    return j;
  }
}
