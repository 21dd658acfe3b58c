package dev.edgeagent.status;

import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Per-camera rates over the last minute, from the frame events cameras announce: frames per
 * second over the last {@link #FPS_WINDOW_MS}, faces and plates removed over the last
 * {@link #MINUTE_MS}, the latest sequence and latency. Bounded: a window never holds more than
 * one minute of frames, and whole-minute buckets are not kept at all.
 *
 * <p>Thread-safe; the status page feeds it from the event loop and reads it on a worker.
 */
final class FrameTally {
  static final long FPS_WINDOW_MS = 5_000;
  static final long MINUTE_MS = 60_000;
  /** More frames a minute than any camera delivers; past this the oldest are forgotten early. */
  private static final int MAX_FRAMES_KEPT = 60 * 240;

  private final LongSupplier clock;
  private final Map<String, Window> cameras = new LinkedHashMap<>();

  FrameTally(LongSupplier clockMillis) {
    this.clock = clockMillis;
  }

  /** One {@link dev.edgeagent.events.FrameEvent} as published on the bus. */
  synchronized void add(JsonObject frame) {
    Window w = cameras.computeIfAbsent(frame.getString("camera"), c -> new Window());
    long now = clock.getAsLong();
    w.frames.addLast(new long[] {now, frame.getLong("faces", 0L), frame.getLong("plates", 0L)});
    if (w.frames.size() > MAX_FRAMES_KEPT) {
      w.frames.removeFirst();
    }
    w.total++;
    w.lastSeq = frame.getLong("seq", -1L);
    w.lastLatencyMs = frame.getDouble("latency_ms", 0.0);
    w.lastFrameAt = now;
  }

  /** Each camera seen so far: fps, faces_per_min, plates_per_min, frames, last_seq, latency_ms, last_frame_age_ms. */
  synchronized JsonObject snapshot() {
    long now = clock.getAsLong();
    JsonObject out = new JsonObject();
    cameras.forEach((id, w) -> {
      while (!w.frames.isEmpty() && now - w.frames.peekFirst()[0] > MINUTE_MS) {
        w.frames.removeFirst();
      }
      long recent = 0;
      long faces = 0;
      long plates = 0;
      for (long[] f : w.frames) {
        if (now - f[0] <= FPS_WINDOW_MS) {
          recent++;
        }
        faces += f[1];
        plates += f[2];
      }
      out.put(id, new JsonObject()
          .put("fps", Math.round(recent * 10_000.0 / FPS_WINDOW_MS) / 10.0)
          .put("faces_per_min", faces)
          .put("plates_per_min", plates)
          .put("frames", w.total)
          .put("last_seq", w.lastSeq)
          .put("latency_ms", w.lastLatencyMs)
          .put("last_frame_age_ms", now - w.lastFrameAt));
    });
    return out;
  }

  private static final class Window {
    /** {at millis, faces, plates} per frame, oldest first. */
    final Deque<long[]> frames = new ArrayDeque<>();
    long total;
    long lastSeq = -1;
    double lastLatencyMs;
    long lastFrameAt;
  }
}
