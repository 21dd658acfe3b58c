package dev.edgeagent.pipeline;

import dev.edgeagent.config.AgentConfig;
import java.time.Duration;

/**
 * When a failed camera is opened again. A live camera (device or stream) is retried after a
 * back-off that doubles with each failure in a row, from {@code initial} up to {@code max}; a
 * run that delivered frames resets the count. After {@code maxFailures} failures in a row
 * (0: never) it is given up. Files and folders are never retried: a missing or damaged file
 * does not heal, and retrying one would publish its frames twice.
 */
public record CameraRetry(int maxFailures, Duration initial, Duration max) {

  public CameraRetry {
    if (maxFailures < 0) {
      throw new IllegalArgumentException("maxFailures must be >= 0 (0: never give up), not " + maxFailures);
    }
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("back-off must be positive and max >= initial: " + initial + ", " + max);
    }
  }

  public static CameraRetry from(AgentConfig cfg) {
    Duration initial = Duration.ofMillis(cfg.integer("pipeline.camera_retry_initial_ms"));
    Duration max = Duration.ofMillis(cfg.integer("pipeline.camera_retry_max_ms"));
    return new CameraRetry(cfg.integer("pipeline.camera_retry_attempts"), initial, max.compareTo(initial) < 0 ? initial : max);
  }

  /** Whether a camera that just failed for the {@code failuresInARow}-th time is opened again. */
  public boolean retries(boolean live, int failuresInARow) {
    return live && (maxFailures == 0 || failuresInARow < maxFailures);
  }

  /** The wait before the next attempt after {@code failuresInARow} failures (1 = the first). */
  public Duration delayAfter(int failuresInARow) {
    int doublings = Math.min(Math.max(0, failuresInARow - 1), 30);
    long millis = initial.toMillis() << doublings;
    return millis <= 0 || millis > max.toMillis() ? max : Duration.ofMillis(millis);
  }
}
