package dev.edgeagent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeagent.TestAssets;
import dev.edgeagent.detect.Detection;
import dev.edgeagent.detect.Detector;
import dev.edgeagent.detect.DetectorException;
import dev.edgeagent.detect.DropReason;
import dev.edgeagent.detect.ModelInfo;
import dev.edgeagent.health.AgentMetrics;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/**
 * Issue 14: under overload every timed-out frame added one more concurrent inference, because
 * the pool was unbounded and a cancelled future does not stop native code. Here the detector
 * ignores interrupts and terminate alike (the worst case, a run that will not stop) and blocks
 * until the test lets it go: the calls in flight never exceed inference.max_concurrent, and
 * frames that find every slot taken are dropped as inference_busy instead of starting more.
 */
class InferenceBoundTest {
  static final int BOUND = 2;

  /** Blocks every call until {@link #release} opens, counting calls in flight and their high-water mark. */
  static final class StuckDetector implements Detector {
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger highWater = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public ModelInfo model() {
      return new ModelInfo("stuck", "0".repeat(64));
    }

    @Override
    public List<Detection> detect(Mat bgr) {
      calls.incrementAndGet();
      highWater.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      try {
        boolean interrupted = false;
        while (release.getCount() > 0) {
          try {
            release.await();
          } catch (InterruptedException e) {
            interrupted = true; // like native code: the cancel is noticed, and ignored
          }
        }
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
        return List.of();
      } finally {
        inFlight.decrementAndGet();
      }
    }
  }

  @Test
  void timedOutCallsKeepTheirSlotsAndNoMoreThanTheBoundRunAtOnce() throws Exception {
    StuckDetector stuck = new StuckDetector();
    try (Components c = Components.build(TestAssets.config(Map.of("detect.faces", false, "detect.plates", false,
        "detect.plate_map", false, "inference.timeout_ms", 200, "inference.max_concurrent", BOUND)),
        new AgentMetrics(), List.of(stuck))) {
      Mat frame = new Mat(64, 64, CvType.CV_8UC3);
      List<DropReason> reasons = Collections.synchronizedList(new ArrayList<>());
      List<Thread> cameras = new ArrayList<>();
      for (int cam = 0; cam < 6; cam++) {
        Thread t = new Thread(() -> {
          for (int i = 0; i < 5; i++) {
            try {
              c.detection().detect(frame, 0);
              reasons.add(null);
            } catch (DetectorException e) {
              reasons.add(e.reason());
            } catch (InterruptedException e) {
              return;
            }
          }
        });
        cameras.add(t);
        t.start();
      }
      for (Thread t : cameras) {
        t.join();
      }
      assertThat(stuck.highWater.get()).as("calls in flight at once").isEqualTo(BOUND);
      assertThat(stuck.calls.get()).as("calls ever started while the first ones hung").isEqualTo(BOUND);
      assertThat(reasons).hasSize(30).doesNotContainNull();
      long timedOut = reasons.stream().filter(r -> r == DropReason.DETECTOR_TIMEOUT).count();
      // The calls that started time out; a call still queued when its frame timed out may add one.
      assertThat(timedOut).isGreaterThanOrEqualTo(BOUND);
      assertThat(reasons.stream().filter(r -> r == DropReason.INFERENCE_BUSY)).hasSize(30 - (int) timedOut);
      assertThat(c.inferencePool().busy()).as("the timed-out calls still hold their slots").isEqualTo(BOUND);

      stuck.release.countDown();
      while (c.inferencePool().busy() > 0) {
        Thread.onSpinWait(); // the hung calls return; no time limit on it, this only waits
      }
      assertThat(c.detection().detect(frame)).as("the pool serves frames again").isEmpty();
      assertThat(stuck.highWater.get()).isEqualTo(BOUND);
    }
  }

  /** A timed-out call may still read the frame after its caller released it: it has its own header on the pixels. */
  @Test
  void aTimedOutCallStillReadsValidPixelsAfterTheCallerReleasedTheFrame() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicReference<Double> seen = new java.util.concurrent.atomic.AtomicReference<>();
    CountDownLatch read = new CountDownLatch(1);
    Detector late = new Detector() {
      @Override
      public ModelInfo model() {
        return new ModelInfo("late", "0".repeat(64));
      }

      @Override
      public List<Detection> detect(Mat bgr) {
        while (release.getCount() > 0) {
          try {
            release.await();
          } catch (InterruptedException e) {
            // like native code: keeps going after the cancel
          }
        }
        seen.set(org.opencv.core.Core.sumElems(bgr).val[0]);
        read.countDown();
        return List.of();
      }
    };
    try (Components c = Components.build(TestAssets.config(Map.of("detect.faces", false, "detect.plates", false,
        "detect.plate_map", false, "inference.timeout_ms", 20)), new AgentMetrics(), List.of(late))) {
      Mat frame = new Mat(480, 640, CvType.CV_8UC3, new org.opencv.core.Scalar(7, 7, 7));
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.detection().detect(frame))
          .isInstanceOf(DetectorException.class);
      frame.release(); // what the pipeline does with a dropped frame
      release.countDown();
      read.await();
      assertThat(seen.get()).as("blue channel sum of the released frame").isEqualTo(7.0 * 480 * 640);
    }
  }
}
