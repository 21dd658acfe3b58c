package dev.edgeagent.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The watchdog is fed only while every running camera finishes frames. */
class ServiceWatchdogTest {
  /** A clock the test moves by hand. */
  static final class ManualClock extends Clock {
    long millis = 1_000_000;

    @Override
    public long millis() {
      return millis;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  /** Records what would have gone to systemd. */
  static final class Recording extends SystemdNotifier {
    final List<String> sent = new ArrayList<>();

    Recording() {
      super("@unused");
    }

    @Override
    public void send(String state) {
      sent.add(state);
    }
  }

  final ManualClock clock = new ManualClock();
  final CameraProgress progress = new CameraProgress(clock);
  final Recording systemd = new Recording();
  final ServiceWatchdog watchdog = new ServiceWatchdog(systemd, progress, Duration.ofSeconds(30));

  @Test
  void aStalledCameraStopsThePingsAndAResumedOneRestartsThem() {
    progress.started("front");
    progress.started("rear");
    for (int s = 0; s < 40; s++) { // both cameras at 1 frame/s
      clock.millis += 1000;
      progress.frameFinished("front");
      progress.frameFinished("rear");
    }
    watchdog.tick(true);
    assertThat(systemd.sent).last().asString().startsWith("WATCHDOG=1\nSTATUS=").contains("camera(s) running");

    for (int s = 0; s < 31; s++) { // rear hangs: no frame for 31 s while front goes on
      clock.millis += 1000;
      progress.frameFinished("front");
    }
    watchdog.tick(true);
    assertThat(systemd.sent).last().asString().doesNotContain("WATCHDOG=1").contains("stalled: rear");

    progress.frameFinished("rear");
    watchdog.tick(true);
    assertThat(systemd.sent).last().asString().startsWith("WATCHDOG=1");
  }

  @Test
  void aCameraWhoseInputEndedIsNotStuck() {
    progress.started("file");
    progress.frameFinished("file");
    progress.ended("file");
    clock.millis += 3_600_000;
    assertThat(progress.stalled(Duration.ofSeconds(30))).isEmpty();
    watchdog.tick(true);
    assertThat(systemd.sent).last().asString().startsWith("WATCHDOG=1");
  }

  @Test
  void theLimitCountsFromTheStartUntilTheFirstFrame() {
    progress.started("slow");
    clock.millis += 29_000;
    assertThat(progress.stalled(Duration.ofSeconds(30))).isEmpty();
    clock.millis += 2_000;
    assertThat(progress.stalled(Duration.ofSeconds(30))).containsExactly("slow");
  }

  @Test
  void statusReportsFramesPerSecond() {
    progress.started("front");
    clock.millis += 10_000;
    for (int i = 0; i < 50; i++) {
      progress.frameFinished("front");
    }
    watchdog.tick(true);
    assertThat(systemd.sent).last().asString().contains("STATUS=5.0 frames/s, 1 camera(s) running");
  }

  @Test
  void pingsAtHalfOfWatchdogUsecAndOnlyForThisProcess() {
    assertThat(ServiceWatchdog.interval(Map.of("WATCHDOG_USEC", "30000000"), 42)).isEqualTo(Duration.ofSeconds(15));
    assertThat(ServiceWatchdog.interval(Map.of("WATCHDOG_USEC", "30000000", "WATCHDOG_PID", "42"), 42))
        .isEqualTo(Duration.ofSeconds(15));
    assertThat(ServiceWatchdog.interval(Map.of("WATCHDOG_USEC", "30000000", "WATCHDOG_PID", "7"), 42))
        .as("the watchdog is for another process (a parent that passed its environment on)").isNull();
    assertThat(ServiceWatchdog.interval(Map.of(), 42)).isNull();
    assertThat(ServiceWatchdog.interval(Map.of("WATCHDOG_USEC", "nonsense"), 42)).isNull();
  }
}
