package dev.edgeagent.enhance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgeagent.capture.OpenCv;
import dev.edgeagent.detect.InferenceProvider;
import dev.edgeagent.detect.ModelLoadException;
import dev.edgeagent.detect.OnnxModel;
import dev.edgeagent.detect.OwnModelManifest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/** Runs on the bicubic test graph: a local operator, so tiling must not change its output. */
class SuperResolverTest {
  @BeforeAll
  static void opencv() {
    OpenCv.ensureLoaded();
  }

  /** Smooth random structure with different content per channel, so a channel swap shows. */
  static Mat texture(int w, int h) {
    Mat m = new Mat(h, w, CvType.CV_8UC3);
    Core.setRNGSeed(42);
    Core.randu(m, 0, 256);
    Imgproc.GaussianBlur(m, m, new Size(5, 5), 1.2);
    return m;
  }

  static double[] diff(Mat a, Mat b) {
    Mat d = new Mat();
    Core.absdiff(a, b, d);
    Mat flat = d.reshape(1);
    return new double[] {Core.minMaxLoc(flat).maxVal, Core.mean(flat).val[0]};
  }

  @Test
  void tiledOutputEqualsUntiledOutput() throws Exception {
    Mat img = texture(100, 75);
    try (OnnxModel m = TestSrModels.load("bicubic_x2")) {
      Mat whole = new SuperResolver(m, 2, 512, 16).upscale(img);
      Mat tiled = new SuperResolver(m, 2, 32, 8).upscale(img);
      assertThat(tiled.size()).isEqualTo(new Size(200, 150));
      assertThat(whole.size()).isEqualTo(tiled.size());
      double[] d = diff(whole, tiled);
      // Cubic taps reach 2 px: only the faded-out tile borders differ, by rounding at most.
      assertThat(d[0]).as("max abs diff").isLessThanOrEqualTo(1.0);
      assertThat(d[1]).as("mean abs diff").isLessThan(0.05);
    }
  }

  @Test
  void outputIsTheModelsRgbResultBackInBgrOrder() throws Exception {
    Mat img = texture(64, 48);
    try (OnnxModel m = TestSrModels.load("bicubic_x2")) {
      Mat sr = new SuperResolver(m, 2, 40, 8).upscale(img);
      Mat cv = new Mat();
      Imgproc.resize(img, cv, new Size(128, 96), 0, 0, Imgproc.INTER_CUBIC);
      // Same kernel (a = -0.75, half-pixel centres) away from the image border, where the
      // two libraries extend the image differently; a channel swap would differ by tens.
      Rect inner = new Rect(8, 8, 112, 80);
      double[] d = diff(sr.submat(inner), cv.submat(inner));
      assertThat(d[0]).isLessThanOrEqualTo(2.0);
      assertThat(d[1]).isLessThan(0.6);
    }
  }

  @Test
  void aNanOutputIsRefused() throws Exception {
    try (OnnxModel m = TestSrModels.load("nan_x2")) {
      SuperResolver sr = new SuperResolver(m, 2, 32, 8);
      assertThatThrownBy(() -> sr.upscale(texture(20, 20))).isInstanceOf(EnhanceException.class)
          .hasMessageContaining("NaN");
    }
  }

  @Test
  void anOutputOfTheWrongShapeIsRefused() throws Exception {
    try (OnnxModel m = TestSrModels.load("noscale_x2")) {
      // Allocated by ONNX Runtime (the path without reused buffers): the shape check refuses it.
      SuperResolver fresh = new SuperResolver(m, 2, 32, 8, dev.edgeagent.detect.TensorBuffers.perCall());
      assertThatThrownBy(() -> fresh.upscale(texture(20, 20))).isInstanceOf(EnhanceException.class)
          .hasMessageContaining("shape [1, 3, 20, 20]").hasMessageContaining("expected [1, 3, 40, 40]");
      // Pinned to a 40 x 40 buffer (the default): ONNX Runtime refuses to write 20 x 20 into it.
      SuperResolver pinned = new SuperResolver(m, 2, 32, 8);
      assertThatThrownBy(() -> pinned.upscale(texture(20, 20))).isInstanceOf(EnhanceException.class)
          .hasMessageContaining("shape verification failed");
    }
  }

  @Test
  void aFileThatDoesNotMatchItsPinIsNotLoaded() throws Exception {
    String tsv = "sr-test\tsr/bicubic_x2.onnx\t" + "0".repeat(64) + "\ttest\t0\ttest\n";
    OwnModelManifest pins = OwnModelManifest.parse(
        new ByteArrayInputStream(tsv.getBytes(StandardCharsets.UTF_8)));
    assertThatThrownBy(() -> OnnxModel.loadOwn(pins, TestSrModels.resources(), "sr-test",
        InferenceProvider.CPU, 1)).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("own-models.tsv pins " + "0".repeat(64))
        .hasMessageContaining("refusing");
  }

  @Test
  void aNameWithoutAPinIsNotLoaded() {
    assertThatThrownBy(() -> OnnxModel.loadOwn(OwnModelManifest.load(), TestSrModels.resources(),
        "no-such-model", InferenceProvider.CPU, 1)).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("not in models/own-models.tsv");
  }
}
