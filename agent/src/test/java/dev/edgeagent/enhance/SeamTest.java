package dev.edgeagent.enhance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeagent.TestAssets;
import dev.edgeagent.config.ConfigLoader;
import dev.edgeagent.detect.InferenceProvider;
import dev.edgeagent.detect.OnnxModel;
import dev.edgeagent.detect.OwnModelManifest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Rect;

/**
 * On the real models (a receptive field of several pixels), the default tiling must give the
 * same picture as one untiled run: no visible seams.
 */
class SeamTest {

  @ParameterizedTest
  @ValueSource(strings = {"affine-stablesr-x2", "fsrcnn-x2"})
  void smallTilesGiveTheSameImageAsOneTile(String name) throws Exception {
    Mat img = TestAssets.image("messi5.jpg").submat(new Rect(150, 30, 200, 150)).clone();
    try (OnnxModel m = OnnxModel.loadOwn(OwnModelManifest.load(), ConfigLoader.home(), name,
        InferenceProvider.CPU, 1)) {
      Mat whole = new SuperResolver(m, 2, 256, 16).upscale(img);
      Mat tiled = new SuperResolver(m, 2, 64, 16).upscale(img);
      Mat d = new Mat();
      Core.absdiff(whole, tiled, d);
      Mat flat = d.reshape(1);
      assertThat(Core.minMaxLoc(flat).maxVal).as("max abs diff").isLessThanOrEqualTo(2.0);
      assertThat(Core.mean(flat).val[0]).as("mean abs diff").isLessThan(0.02);
    }
  }
}
