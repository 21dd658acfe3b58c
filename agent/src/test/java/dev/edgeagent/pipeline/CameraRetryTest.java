package dev.edgeagent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CameraRetryTest {
  final CameraRetry retry = new CameraRetry(0, Duration.ofMillis(500), Duration.ofSeconds(4));

  @Test
  void theBackOffDoublesFromTheInitialWaitUpToTheMaximum() {
    assertThat(retry.delayAfter(1)).isEqualTo(Duration.ofMillis(500));
    assertThat(retry.delayAfter(2)).isEqualTo(Duration.ofSeconds(1));
    assertThat(retry.delayAfter(4)).isEqualTo(Duration.ofSeconds(4));
    assertThat(retry.delayAfter(5)).isEqualTo(Duration.ofSeconds(4));
    assertThat(retry.delayAfter(10_000)).as("no overflow after many failures").isEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void liveCamerasAreRetriedUntilTheLimitFilesNever() {
    assertThat(retry.retries(true, 1_000_000)).as("0: never give up").isTrue();
    assertThat(retry.retries(false, 1)).as("a file does not heal").isFalse();
    CameraRetry three = new CameraRetry(3, Duration.ofMillis(10), Duration.ofMillis(10));
    assertThat(three.retries(true, 2)).isTrue();
    assertThat(three.retries(true, 3)).isFalse();
  }

  @Test
  void nonsenseIsRefusedWhenMade() {
    assertThatThrownBy(() -> new CameraRetry(-1, Duration.ofMillis(1), Duration.ofMillis(1)))
        .hasMessageContaining(">= 0");
    assertThatThrownBy(() -> new CameraRetry(0, Duration.ZERO, Duration.ofMillis(1))).hasMessageContaining("positive");
    assertThatThrownBy(() -> new CameraRetry(0, Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessageContaining("max >= initial");
  }
}
