package dev.edgeagent.service;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * When each running camera last finished a frame (published, dropped or refused: any frame
 * that left the capture loop). A camera that has finished none for longer than the stall limit
 * is stuck (a hung device, a detector that never returns, a sink that blocks); one whose input
 * ended is not watched any more. The clock is injected so tests can move time.
 */
public final class CameraProgress {
  private final Clock clock;
  private final Map<String, Long> lastFrameMillis = new ConcurrentHashMap<>();
  private final AtomicLong frames = new AtomicLong();

  public CameraProgress(Clock clock) {
    this.clock = clock;
  }

  /** The camera runs from now; the stall limit counts from here until its first frame. */
  public void started(String camera) {
    lastFrameMillis.put(camera, clock.millis());
  }

  public void frameFinished(String camera) {
    lastFrameMillis.put(camera, clock.millis());
    frames.incrementAndGet();
  }

  /** Its input ended or it stopped: not stuck, just done. */
  public void ended(String camera) {
    lastFrameMillis.remove(camera);
  }

  /** Cameras with no finished frame for longer than {@code limit}, sorted. */
  public List<String> stalled(Duration limit) {
    long now = clock.millis();
    return lastFrameMillis.entrySet().stream().filter(e -> now - e.getValue() > limit.toMillis())
        .map(Map.Entry::getKey).sorted().toList();
  }

  public int running() {
    return lastFrameMillis.size();
  }

  /** Frames finished by every camera since start (for the frames/s in STATUS=). */
  public long frames() {
    return frames.get();
  }

  Clock clock() {
    return clock;
  }
}
