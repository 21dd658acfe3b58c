package dev.edgeagent.enhance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeagent.TestAssets;
import dev.edgeagent.config.ConfigLoader;
import dev.edgeagent.detect.InferenceProvider;
import dev.edgeagent.detect.OnnxModel;
import dev.edgeagent.detect.OwnModelManifest;
import dev.edgeagent.detect.TensorBuffers;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Rect;

/**
 * Issue 18, item 4: super-resolution with reused tile, band and frame buffers and a pinned
 * output gives byte for byte what fresh buffers gave, on the project's own x2 model and a real
 * photo, after a larger frame has left its values in every buffer.
 */
class SuperResolverBuffersTest {
  @Test
  void reusedBuffersAndPinnedOutputsGiveTheSameUpscaledPixels() throws Exception {
    Mat photo = TestAssets.image("messi5.jpg");
    Mat small = photo.submat(new Rect(150, 40, 180, 130)).clone();
    try (OnnxModel m = OnnxModel.loadOwn(OwnModelManifest.load(), ConfigLoader.home(), "fsrcnn-x2",
        InferenceProvider.CPU, 1)) {
      Mat before = new SuperResolver(m, 2, 64, 8, TensorBuffers.perCall()).upscale(small);
      SuperResolver after = new SuperResolver(m, 2, 64, 8, TensorBuffers.reused());
      after.upscale(photo.submat(new Rect(0, 0, 300, 200)).clone()).release();
      Mat again = after.upscale(small);
      assertThat(again.size()).isEqualTo(before.size());
      Mat diff = new Mat();
      Core.absdiff(again, before, diff);
      assertThat(Core.countNonZero(diff.reshape(1))).isZero();
      assertThat(Core.mean(before).val[0]).isGreaterThan(10); // a real picture, not an empty one
    }
  }
}
