package dev.edgeagent.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgeagent.encode.PreviewEncoder;
import dev.edgeagent.redact.AnonymizedFrame;
import dev.edgeagent.redact.TestFrames;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

class FrameEventsTest {
  Vertx vertx;
  final List<JsonObject> frames = new CopyOnWriteArrayList<>();
  final List<Buffer> previews = new CopyOnWriteArrayList<>();

  @BeforeEach
  void bus() {
    vertx = Vertx.vertx();
    vertx.eventBus().<JsonObject>consumer(EventAddresses.FRAMES, m -> frames.add(m.body()));
    vertx.eventBus().<Buffer>consumer(EventAddresses.preview("cam"), m -> previews.add(m.body()));
  }

  @AfterEach
  void close() {
    vertx.close();
  }

  @Test
  void aFinishedFrameIsDescribedWithItsRegionsModelsAndLatency() {
    FrameEvents events = new FrameEvents(vertx.eventBus(), new PreviewEncoder(320, 70), 2);
    try (AnonymizedFrame f = TestFrames.anonymized("cam", 7, 160, 120, false)) {
      events.frameDone(f, 12_500_000);
    }
    Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> frames.size() == 1);
    FrameEvent e = FrameEvent.fromJson(frames.get(0));
    assertThat(e.camera()).isEqualTo("cam");
    assertThat(e.sequence()).isEqualTo(7);
    assertThat(e.count("face")).isEqualTo(1);
    assertThat(e.regions().get(0).w()).isGreaterThanOrEqualTo(40);
    assertThat(e.models()).containsExactly("face-test@ab12");
    assertThat(e.latencyMillis()).isEqualTo(12.5);
    assertThat(frames.get(0).getInteger("faces")).isEqualTo(1);
    assertThat(previews).as("nobody watches: no preview is encoded").isEmpty();
  }

  @Test
  void previewsAreThrottledSmallJpegsOfTheAnonymizedOutputWhileSomeoneWatches() throws Exception {
    java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(1_000_000_000L);
    FrameEvents events = new FrameEvents(vertx.eventBus(), new PreviewEncoder(320, 70), 2, now::get);
    try (AutoCloseable watching = events.watchPreview()) {
      for (int i = 0; i < 5; i++) { // 5 frames 0.1 s apart: one preview at 2/s
        try (AnonymizedFrame f = TestFrames.anonymized("cam", i, 800, 600, false)) {
          events.frameDone(f, 1_000_000);
        }
        now.addAndGet(100_000_000L);
      }
      Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> frames.size() == 5);
      assertThat(previews).as("5 frames within 0.5 s: one preview at 2/s").hasSize(1);
      Mat decoded = Imgcodecs.imdecode(new MatOfByte(previews.get(0).getBytes()), Imgcodecs.IMREAD_COLOR);
      assertThat(decoded.cols()).isEqualTo(320);
      assertThat(decoded.rows()).isEqualTo(240);
    }
    try (AnonymizedFrame f = TestFrames.anonymized("cam", 9, 800, 600, false)) {
      now.addAndGet(600_000_000L); // a preview would be due, but nobody watches
      events.frameDone(f, 1_000_000);
    }
    Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> frames.size() == 6);
    assertThat(previews).as("the watcher left: no more previews").hasSize(1);
  }

  @Test
  void aFrameWithOutlinedInsteadOfRemovedRegionsHasNoPreview() {
    try (AnonymizedFrame boxes = TestFrames.withReview("cam", 1, null, true)) {
      assertThatThrownBy(() -> new PreviewEncoder(320, 70).encode(boxes))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outlined");
    }
  }

  @Test
  void optionsAreCheckedWhenMade() {
    assertThatThrownBy(() -> new FrameEvents(vertx.eventBus(), null, 31)).hasMessageContaining("0..30");
    assertThatThrownBy(() -> new PreviewEncoder(8, 70)).hasMessageContaining("16");
  }
}
