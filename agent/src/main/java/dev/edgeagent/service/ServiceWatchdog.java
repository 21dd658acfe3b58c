package dev.edgeagent.service;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds systemd's watchdog ({@code WatchdogSec=}) at half the interval systemd asks for in
 * {@code $WATCHDOG_USEC}, but only while every running camera makes progress: a camera stuck
 * for longer than the stall limit stops the pings, so systemd kills and restarts the agent.
 * Each tick also reports frames/s in {@code STATUS=} ({@code systemctl status} shows it).
 * Runs on its own daemon thread, so a blocked event loop or camera cannot feed it by accident.
 */
public final class ServiceWatchdog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceWatchdog.class);

  private final SystemdNotifier notifier;
  private final CameraProgress progress;
  private final Duration stallLimit;
  private ScheduledExecutorService timer;
  private long lastFrames;
  private long lastMillis;
  private boolean stalledLogged;

  public ServiceWatchdog(SystemdNotifier notifier, CameraProgress progress, Duration stallLimit) {
    this.notifier = notifier;
    this.progress = progress;
    this.stallLimit = stallLimit;
    this.lastMillis = progress.clock().millis();
  }

  /**
   * The ping interval systemd asks for: half of {@code $WATCHDOG_USEC}, or null when there is no
   * watchdog for this process ({@code $WATCHDOG_PID}, when set, must be this process).
   */
  public static Duration interval(Map<String, String> env, long pid) {
    String usec = env.get("WATCHDOG_USEC");
    String forPid = env.get("WATCHDOG_PID");
    if (usec == null || usec.isBlank() || (forPid != null && !forPid.isBlank() && !forPid.equals(Long.toString(pid)))) {
      return null;
    }
    try {
      long us = Long.parseLong(usec.trim());
      return us > 0 ? Duration.ofNanos(us * 1000 / 2) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Starts ticking when systemd asked for a watchdog, otherwise only reports STATUS= now and then. */
  public ServiceWatchdog start(Map<String, String> env) {
    if (!notifier.enabled()) {
      return this;
    }
    Duration every = interval(env, ProcessHandle.current().pid());
    boolean watched = every != null;
    long ms = Math.max(100, watched ? every.toMillis() : 10_000);
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sd-watchdog");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleAtFixedRate(() -> tick(watched), ms, ms, TimeUnit.MILLISECONDS);
    LOG.info("event=watchdog_started interval_ms={} watched={} stall_limit_s={}", ms, watched, stallLimit.toSeconds());
    return this;
  }

  /** One tick: WATCHDOG=1 with the status while nothing is stuck, only the status otherwise. */
  void tick(boolean watched) {
    List<String> stalled = progress.stalled(stallLimit);
    String status = status(stalled);
    if (stalled.isEmpty()) {
      stalledLogged = false;
      if (watched) {
        notifier.watchdog(status);
      } else {
        notifier.status(status);
      }
    } else {
      if (!stalledLogged) {
        stalledLogged = true;
        LOG.error("event=camera_stalled cameras={} stall_limit_s={} effect=watchdog_not_fed", stalled,
            stallLimit.toSeconds());
      }
      notifier.status(status);
    }
  }

  String status(List<String> stalled) {
    long now = progress.clock().millis();
    long frames = progress.frames();
    double fps = now > lastMillis ? (frames - lastFrames) * 1000.0 / (now - lastMillis) : 0;
    lastFrames = frames;
    lastMillis = now;
    String s = String.format(Locale.ROOT, "%.1f frames/s, %d camera(s) running", fps, progress.running());
    return stalled.isEmpty() ? s : s + ", stalled: " + String.join(" ", stalled);
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
