package dev.edgeagent.eval;

import org.opencv.core.CvType;
import org.opencv.core.Mat;

/**
 * PSNR and SSIM on the luma channel, the way SR papers (and models/sr/eval.py) report them:
 * BT.601 Y with the studio-range scaling, Y = 16 + (65.481 R + 128.553 G + 24.966 B) with RGB in
 * [0,1] (so Y is in [16,235] and the peak is taken as 255), computed on 8-bit images with a
 * border of {@code border} pixels cropped on every side, because SR models have no context
 * there and the convention removes it.
 */
public final class ImageQuality {
  private static final int WIN = 11;
  private static final double SIGMA = 1.5;
  private static final double C1 = Math.pow(0.01 * 255, 2);
  private static final double C2 = Math.pow(0.03 * 255, 2);

  private ImageQuality() {}

  /** Y of a BGR 8-bit image as a row-major {@code double[h][w]} with the border removed. */
  public static double[][] lumaY(Mat bgr, int border) {
    if (bgr.type() != CvType.CV_8UC3) {
      throw new IllegalArgumentException("expected BGR 8-bit, got " + bgr);
    }
    int w = bgr.cols();
    int h = bgr.rows();
    if (w <= 2 * border || h <= 2 * border) {
      throw new IllegalArgumentException(w + "x" + h + " image is too small for border " + border);
    }
    Mat c = bgr.isContinuous() ? bgr : bgr.clone();
    byte[] px = new byte[w * h * 3];
    c.get(0, 0, px);
    double[][] y = new double[h - 2 * border][w - 2 * border];
    for (int r = 0; r < y.length; r++) {
      for (int x = 0; x < y[0].length; x++) {
        int i = ((r + border) * w + x + border) * 3;
        double b = (px[i] & 0xff) / 255.0;
        double g = (px[i + 1] & 0xff) / 255.0;
        double rd = (px[i + 2] & 0xff) / 255.0;
        y[r][x] = 16.0 + 65.481 * rd + 128.553 * g + 24.966 * b;
      }
    }
    return y;
  }

  /** PSNR in dB with peak 255; {@code +Infinity} for identical inputs. */
  public static double psnr(double[][] a, double[][] b) {
    checkSameSize(a, b);
    double sum = 0;
    for (int r = 0; r < a.length; r++) {
      for (int x = 0; x < a[0].length; x++) {
        double d = a[r][x] - b[r][x];
        sum += d * d;
      }
    }
    double mse = sum / ((double) a.length * a[0].length);
    return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
  }

  /**
   * Mean SSIM (Wang et al. 2004): 11x11 Gaussian window, sigma 1.5, K1 0.01, K2 0.03, L 255,
   * over the windows that fit entirely inside the image (no padding).
   */
  public static double ssim(double[][] a, double[][] b) {
    checkSameSize(a, b);
    int h = a.length;
    int w = a[0].length;
    if (h < WIN || w < WIN) {
      throw new IllegalArgumentException("SSIM needs at least " + WIN + "x" + WIN + " pixels");
    }
    double[][] ab = new double[h][w];
    double[][] aa = new double[h][w];
    double[][] bb = new double[h][w];
    for (int r = 0; r < h; r++) {
      for (int x = 0; x < w; x++) {
        aa[r][x] = a[r][x] * a[r][x];
        bb[r][x] = b[r][x] * b[r][x];
        ab[r][x] = a[r][x] * b[r][x];
      }
    }
    double[] g = gaussian();
    double[][] mu1 = filter(a, g);
    double[][] mu2 = filter(b, g);
    double[][] s11 = filter(aa, g);
    double[][] s22 = filter(bb, g);
    double[][] s12 = filter(ab, g);
    double total = 0;
    for (int r = 0; r < mu1.length; r++) {
      for (int x = 0; x < mu1[0].length; x++) {
        double m1 = mu1[r][x];
        double m2 = mu2[r][x];
        double v1 = s11[r][x] - m1 * m1;
        double v2 = s22[r][x] - m2 * m2;
        double cov = s12[r][x] - m1 * m2;
        total += ((2 * m1 * m2 + C1) * (2 * cov + C2)) / ((m1 * m1 + m2 * m2 + C1) * (v1 + v2 + C2));
      }
    }
    return total / ((double) mu1.length * mu1[0].length);
  }

  static double[] gaussian() {
    double[] g = new double[WIN];
    double sum = 0;
    for (int i = 0; i < WIN; i++) {
      int d = i - WIN / 2;
      g[i] = Math.exp(-(d * d) / (2 * SIGMA * SIGMA));
      sum += g[i];
    }
    for (int i = 0; i < WIN; i++) {
      g[i] /= sum;
    }
    return g;
  }

  /** Separable "valid" filtering: the output is (h - 10) x (w - 10). */
  private static double[][] filter(double[][] img, double[] g) {
    int h = img.length;
    int w = img[0].length;
    int ow = w - WIN + 1;
    int oh = h - WIN + 1;
    double[][] horiz = new double[h][ow];
    for (int r = 0; r < h; r++) {
      for (int x = 0; x < ow; x++) {
        double s = 0;
        for (int k = 0; k < WIN; k++) {
          s += g[k] * img[r][x + k];
        }
        horiz[r][x] = s;
      }
    }
    double[][] out = new double[oh][ow];
    for (int r = 0; r < oh; r++) {
      for (int x = 0; x < ow; x++) {
        double s = 0;
        for (int k = 0; k < WIN; k++) {
          s += g[k] * horiz[r + k][x];
        }
        out[r][x] = s;
      }
    }
    return out;
  }

  private static void checkSameSize(double[][] a, double[][] b) {
    if (a.length != b.length || a[0].length != b[0].length) {
      throw new IllegalArgumentException("sizes differ: " + a[0].length + "x" + a.length + " vs "
          + b[0].length + "x" + b.length);
    }
  }
}
