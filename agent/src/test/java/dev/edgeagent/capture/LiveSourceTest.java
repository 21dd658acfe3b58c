package dev.edgeagent.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/** A live camera behind a slow pipeline keeps only its newest frames and counts what it dropped. */
class LiveSourceTest {

  /** Produces {@code total} frames as fast as it can, then ends. */
  static final class FastCamera implements FrameSource {
    final AtomicLong seq = new AtomicLong();
    final long total;
    final CountDownLatch done = new CountDownLatch(1);

    FastCamera(long total) {
      this.total = total;
      OpenCv.ensureLoaded();
    }

    @Override
    public String cameraId() {
      return "live";
    }

    @Override
    public boolean live() {
      return true;
    }

    @Override
    public RawFrame next() {
      long s = seq.getAndIncrement();
      if (s >= total) {
        done.countDown();
        return null;
      }
      return new RawFrame(new FrameMeta("live", s, 0, System.nanoTime(), 4, 4, "fake"),
          new Mat(4, 4, CvType.CV_8UC3));
    }

    @Override
    public void close() {}
  }

  @Test
  void dropsTheOldestFramesWhenThePipelineIsBehind() throws Exception {
    FastCamera cam = new FastCamera(100);
    try (LiveSource live = new LiveSource(cam, 3)) {
      cam.done.await();
      await().atMost(Duration.ofSeconds(5)).until(() -> live.droppedOldest() == 97);
      long first = live.next().meta().sequence();
      assertThat(first).isEqualTo(97);
      assertThat(live.next().meta().sequence()).isEqualTo(98);
      assertThat(live.next().meta().sequence()).isEqualTo(99);
      assertThat(live.next()).isNull();
    }
  }

  @Test
  void sourcesKnowLiveInputsFromFiles() {
    assertThat(Sources.isLive("rtsp://10.0.0.5/stream")).isTrue();
    assertThat(Sources.isLive("/dev/video0")).isTrue();
    assertThat(Sources.isLive("clip.mp4")).isFalse();
  }
}
