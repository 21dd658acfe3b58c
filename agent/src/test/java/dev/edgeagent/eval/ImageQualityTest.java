package dev.edgeagent.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.edgeagent.capture.OpenCv;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

class ImageQualityTest {
  @BeforeAll
  static void opencv() {
    OpenCv.ensureLoaded();
  }

  static double[][] ramp(int h, int w) {
    double[][] a = new double[h][w];
    for (int r = 0; r < h; r++) {
      for (int x = 0; x < w; x++) {
        a[r][x] = 40 + (r * 7 + x * 3) % 150;
      }
    }
    return a;
  }

  @Test
  void identicalImagesHaveInfinitePsnrAndSsimOne() {
    double[][] a = ramp(40, 50);
    assertThat(ImageQuality.psnr(a, a)).isInfinite().isPositive();
    assertThat(ImageQuality.ssim(a, a)).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void aKnownErrorGivesTheExpectedPsnr() {
    // +-d on alternate pixels: MSE is exactly d^2, so PSNR = 20 log10(255 / d).
    double d = 3.7;
    double[][] a = ramp(40, 50);
    double[][] b = new double[40][50];
    for (int r = 0; r < 40; r++) {
      for (int x = 0; x < 50; x++) {
        b[r][x] = a[r][x] + ((r + x) % 2 == 0 ? d : -d);
      }
    }
    assertThat(ImageQuality.psnr(a, b)).isCloseTo(20 * Math.log10(255 / d), within(0.01));
    assertThat(ImageQuality.ssim(a, b)).isLessThan(1.0).isGreaterThan(0.5);
  }

  @Test
  void lumaUsesBt601StudioRangeAndCropsTheBorder() {
    Mat grey = new Mat(20, 30, CvType.CV_8UC3, new Scalar(100, 100, 100));
    Mat brighter = new Mat(20, 30, CvType.CV_8UC3, new Scalar(105, 105, 105));
    double[][] y = ImageQuality.lumaY(grey, 2);
    assertThat(y).hasDimensions(16, 26);
    // The three coefficients sum to 219: white maps to 235, black to 16.
    assertThat(y[0][0]).isCloseTo(16 + 219 * 100 / 255.0, within(1e-9));
    double dy = 219 * 5 / 255.0;
    assertThat(ImageQuality.psnr(y, ImageQuality.lumaY(brighter, 2)))
        .isCloseTo(20 * Math.log10(255 / dy), within(0.01));
    // Flat images: only SSIM's luminance term differs from 1, with C1 = (0.01 * 255)^2.
    double m1 = y[0][0];
    double m2 = m1 + dy;
    double c1 = Math.pow(2.55, 2);
    assertThat(ImageQuality.ssim(y, ImageQuality.lumaY(brighter, 2)))
        .isCloseTo((2 * m1 * m2 + c1) / (m1 * m1 + m2 * m2 + c1), within(1e-9));
  }

  @Test
  void lumaWeighsGreenMostAndReadsBgrOrder() {
    Mat blue = new Mat(16, 16, CvType.CV_8UC3, new Scalar(255, 0, 0));
    Mat red = new Mat(16, 16, CvType.CV_8UC3, new Scalar(0, 0, 255));
    assertThat(ImageQuality.lumaY(blue, 0)[0][0]).isCloseTo(16 + 24.966, within(1e-9));
    assertThat(ImageQuality.lumaY(red, 0)[0][0]).isCloseTo(16 + 65.481, within(1e-9));
  }

  @Test
  void moreNoiseMeansLowerPsnrAndSsim() {
    Mat clean = new Mat(64, 64, CvType.CV_8UC3);
    Core.randu(clean, 60, 190);
    double[][] yc = ImageQuality.lumaY(clean, 2);
    double lastPsnr = Double.POSITIVE_INFINITY;
    double lastSsim = 1.0;
    for (double sigma : new double[] {2, 8, 20}) {
      Mat noise = new Mat(64, 64, CvType.CV_16SC3);
      Core.randn(noise, 0, sigma);
      Mat noisy = new Mat();
      Core.add(clean, noise, noisy, new Mat(), CvType.CV_8UC3);
      double[][] yn = ImageQuality.lumaY(noisy, 2);
      assertThat(ImageQuality.psnr(yc, yn)).isLessThan(lastPsnr);
      assertThat(ImageQuality.ssim(yc, yn)).isLessThan(lastSsim);
      lastPsnr = ImageQuality.psnr(yc, yn);
      lastSsim = ImageQuality.ssim(yc, yn);
    }
  }

  @Test
  void theGaussianWindowIsNormalisedAndSymmetric() {
    double[] g = ImageQuality.gaussian();
    assertThat(g).hasSize(11);
    assertThat(java.util.Arrays.stream(g).sum()).isCloseTo(1.0, within(1e-12));
    assertThat(g[0]).isCloseTo(g[10], within(1e-15));
    assertThat(g[5]).isGreaterThan(g[4]);
  }
}
