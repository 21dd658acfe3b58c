package dev.edgeagent.pipeline;

import dev.edgeagent.events.CameraStateEvent;
import dev.edgeagent.events.FrameEvents;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each camera's latest state (running, retrying, failed, ended), for health, the run summary
 * and the event bus. Cameras write it from their own threads; readers get a consistent view of
 * each camera's latest state.
 */
public final class CameraStates {
  public static final String RUNNING = "running";
  public static final String RETRYING = "retrying";
  public static final String FAILED = "failed";
  public static final String ENDED = "ended";

  private final Clock clock;
  private final FrameEvents events;
  private final Map<String, CameraStateEvent> latest = new ConcurrentHashMap<>();

  public CameraStates(Clock clock, FrameEvents events) {
    this.clock = clock;
    this.events = events;
  }

  /** Every camera starts as "retrying" at attempt 0 until it is first opened. */
  public void declare(Collection<String> cameras) {
    for (String c : cameras) {
      latest.putIfAbsent(c, new CameraStateEvent(c, RETRYING, 0, "not opened yet", 0, clock.millis()));
    }
  }

  public void running(String camera, int attempt) {
    set(new CameraStateEvent(camera, RUNNING, attempt, null, 0, clock.millis()));
  }

  public void retrying(String camera, int attempt, String why, long retryInMillis) {
    long now = clock.millis();
    set(new CameraStateEvent(camera, RETRYING, attempt, why, now + retryInMillis, now));
  }

  public void failed(String camera, int attempt, String why) {
    set(new CameraStateEvent(camera, FAILED, attempt, why, 0, clock.millis()));
  }

  public void ended(String camera, int attempt) {
    set(new CameraStateEvent(camera, ENDED, attempt, null, 0, clock.millis()));
  }

  public String state(String camera) {
    CameraStateEvent e = latest.get(camera);
    return e == null ? null : e.state();
  }

  public long count(String state) {
    return latest.values().stream().filter(e -> e.state().equals(state)).count();
  }

  /** camera -> {state, attempt, detail, retry_at_ms}, for /health/ready. */
  public JsonObject toJson() {
    JsonObject j = new JsonObject();
    latest.keySet().stream().sorted().forEach(c -> {
      JsonObject e = latest.get(c).toJson();
      e.remove("camera");
      j.put(c, e);
    });
    return j;
  }

  private void set(CameraStateEvent e) {
    latest.put(e.camera(), e);
    events.cameraState(e);
  }
}
