package dev.edgeagent.eval;

import org.opencv.core.CvType;
import org.opencv.core.Mat;

/**
 * Resizing exactly as Pillow's {@code Image.resize(..., BICUBIC)} does it (Pillow's
 * Resample.c: cubic a = -0.5, kernel widened by the scale factor, i.e. antialiased; 22-bit fixed
 * point; horizontal pass, 8-bit rounding, vertical pass; enlarging uses the plain a = -0.5
 * kernel). The SR models were trained and scored
 * on LR images made this way, so eval-sr offers it to reproduce the training side's numbers;
 * OpenCV's INTER_CUBIC does not widen the kernel when shrinking, which aliases.
 */
public final class PilBicubic {
  private static final int PRECISION_BITS = 32 - 8 - 2;

  private PilBicubic() {}

  /** A new BGR 8-bit Mat of size outW x outH. */
  public static Mat resize(Mat bgr, int outW, int outH) {
    if (bgr.type() != CvType.CV_8UC3) {
      throw new IllegalArgumentException("expected BGR 8-bit, got " + bgr);
    }
    int w = bgr.cols();
    int h = bgr.rows();
    Mat c = bgr.isContinuous() ? bgr : bgr.clone();
    byte[] in = new byte[w * h * 3];
    c.get(0, 0, in);
    byte[] mid = pass(in, w, h, outW, true);
    byte[] out = pass(mid, outW, h, outH, false);
    Mat m = new Mat(outH, outW, CvType.CV_8UC3);
    m.put(0, 0, out);
    return m;
  }

  /** One separable pass over interleaved 3-channel bytes; {@code w} x {@code h} is the input. */
  private static byte[] pass(byte[] in, int w, int h, int outSize, boolean horizontal) {
    int inSize = horizontal ? w : h;
    double scale = inSize / (double) outSize;
    double filterScale = Math.max(scale, 1.0);
    double support = 2.0 * filterScale;
    int ow = horizontal ? outSize : w;
    int oh = horizontal ? h : outSize;
    byte[] out = new byte[ow * oh * 3];
    for (int o = 0; o < outSize; o++) {
      double center = (o + 0.5) * scale;
      int min = Math.max((int) (center - support + 0.5), 0);
      int max = Math.min((int) (center + support + 0.5), inSize) - min;
      int[] k = coefficients(center, min, max, filterScale);
      int lines = horizontal ? h : w;
      for (int line = 0; line < lines; line++) {
        for (int ch = 0; ch < 3; ch++) {
          long ss = 1L << (PRECISION_BITS - 1);
          for (int t = 0; t < max; t++) {
            int idx = horizontal ? (line * w + min + t) : ((min + t) * w + line);
            ss += (long) (in[idx * 3 + ch] & 0xff) * k[t];
          }
          long v = ss >> PRECISION_BITS;
          int dst = horizontal ? (line * ow + o) : (o * ow + line);
          out[dst * 3 + ch] = (byte) (v < 0 ? 0 : Math.min(v, 255));
        }
      }
    }
    return out;
  }

  private static int[] coefficients(double center, int min, int n, double filterScale) {
    double[] pre = new double[n];
    double sum = 0;
    for (int t = 0; t < n; t++) {
      pre[t] = cubic((t + min - center + 0.5) / filterScale);
      sum += pre[t];
    }
    int[] k = new int[n];
    for (int t = 0; t < n; t++) {
      double v = sum != 0 ? pre[t] / sum : pre[t];
      // Pillow rounds half away from zero when it converts to fixed point.
      k[t] = (int) (v < 0 ? -0.5 + v * (1 << PRECISION_BITS) : 0.5 + v * (1 << PRECISION_BITS));
    }
    return k;
  }

  private static double cubic(double x) {
    double a = -0.5;
    x = Math.abs(x);
    if (x < 1.0) {
      return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
    }
    if (x < 2.0) {
      return (((x - 5) * x + 8) * x - 4) * a;
    }
    return 0.0;
  }
}
