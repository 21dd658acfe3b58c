package dev.edgeagent.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FrameTallyTest {
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final FrameTally tally = new FrameTally(now::get);

  private void frame(String camera, long seq, long faces, long plates) {
    tally.add(new JsonObject().put("camera", camera).put("seq", seq).put("faces", faces).put("plates", plates)
        .put("latency_ms", 42.5));
  }

  @Test
  void framesPerSecondCountTheLastFiveSecondsAndRegionsTheLastMinute() {
    for (int i = 0; i < 100; i++) { // 10 frames/s for 10 s, 1 face each, a plate every 10th
      frame("front", i, 1, i % 10 == 0 ? 1 : 0);
      now.addAndGet(100);
    }
    JsonObject front = tally.snapshot().getJsonObject("front");
    assertThat(front.getDouble("fps")).isEqualTo(10.0);
    assertThat(front.getLong("faces_per_min")).isEqualTo(100);
    assertThat(front.getLong("plates_per_min")).isEqualTo(10);
    assertThat(front.getLong("frames")).isEqualTo(100);
    assertThat(front.getLong("last_seq")).isEqualTo(99);
    assertThat(front.getDouble("latency_ms")).isEqualTo(42.5);

    now.addAndGet(6_000); // the camera stalls: no frame in the fps window, the minute still counts
    front = tally.snapshot().getJsonObject("front");
    assertThat(front.getDouble("fps")).isZero();
    assertThat(front.getLong("faces_per_min")).isEqualTo(100);
    assertThat(front.getLong("last_frame_age_ms")).isEqualTo(6_100);

    now.addAndGet(60_000); // a minute later nothing is left in the window, the total stays
    front = tally.snapshot().getJsonObject("front");
    assertThat(front.getLong("faces_per_min")).isZero();
    assertThat(front.getLong("frames")).isEqualTo(100);
  }

  @Test
  void camerasAreCountedApart() {
    frame("front", 1, 2, 0);
    frame("rear", 7, 0, 3);
    JsonObject s = tally.snapshot();
    assertThat(s.fieldNames()).containsExactly("front", "rear");
    assertThat(s.getJsonObject("front").getLong("faces_per_min")).isEqualTo(2);
    assertThat(s.getJsonObject("rear").getLong("plates_per_min")).isEqualTo(3);
  }
}
