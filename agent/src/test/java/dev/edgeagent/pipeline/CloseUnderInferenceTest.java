package dev.edgeagent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeagent.TestAssets;
import dev.edgeagent.detect.DetectorException;
import dev.edgeagent.detect.DropReason;
import dev.edgeagent.detect.OnnxModel;
import dev.edgeagent.health.AgentMetrics;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Issue 14, the native crash on shutdown: components closed right after a frame timed out, with
 * its YuNet runs still inside the session, many times over. Each time the run is terminated and
 * every model is closed after it returned; a model closed under a run would take the test JVM
 * down instead of failing an assertion.
 */
class CloseUnderInferenceTest {
  @Test
  void closingRightAfterATimeoutNeverClosesAModelUnderARun() throws Exception {
    Mat messi = TestAssets.image("messi5.jpg"); // loads OpenCV
    Mat uhd = new Mat();
    Imgproc.resize(messi, uhd, new Size(3840, 2160)); // several YuNet tiles
    int timedOut = 0;
    for (int i = 0; i < 12; i++) {
      Components c = Components.build(TestAssets.config(Map.of("detect.plates", false, "detect.plate_map", false,
          "inference.timeout_ms", 10)), new AgentMetrics());
      try {
        c.detection().detect(uhd);
      } catch (DetectorException e) {
        assertThat(e.reason()).isEqualTo(DropReason.DETECTOR_TIMEOUT);
        timedOut++;
      } finally {
        c.close();
      }
      assertThat(c.models()).isNotEmpty().allSatisfy(m -> {
        assertThat(m.inFlight()).isZero();
        assertThat(m.closed()).isTrue();
      });
    }
    assertThat(timedOut).as("4K frames in 10 ms: the close happened under a timed-out frame").isPositive();
  }
}
