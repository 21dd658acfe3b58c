package dev.edgeagent.inspect;

import java.util.Arrays;
import java.util.List;

/**
 * How the model's per-patch outputs become anomaly scores, higher = more unusual. Chosen on a
 * validation defect set by models/anomaly/evaluate.py and stored in the model file as
 * {@code quantity-norm-sided-smooth}, e.g. {@code llr-image-two-smooth3}:
 *
 * <ul>
 *   <li>quantity: {@code nll} (the field flow's NLL, bits/dim) or {@code llr} (field NLL minus a
 *       general-photo flow's NLL: how much less likely the patch is as field texture than as any
 *       photo; cancels the pixel flows' bias towards simple patches);
 *   <li>norm: {@code global} (training median and spread) or {@code image} (this image's own
 *       median and spread, the spread floored at {@link #SCALE_FLOOR} of the training spread;
 *       assumes most of the image is normal field);
 *   <li>sided: {@code two} (|deviation|: a patch far *more* likely than usual, like a flat dark
 *       hole, is unusual too) or {@code one};
 *   <li>smooth: {@code none}, {@code smooth3} or {@code smooth5} (mean over the k x k grid
 *       neighbourhood; the edges average over the neighbours that exist).
 * </ul>
 */
public record ScoreRule(String quantity, boolean perImage, boolean twoSided, int smooth) {

  /** The image rule's spread never goes below this fraction of the training spread. */
  public static final double SCALE_FLOOR = 0.5;

  static ScoreRule parse(String s) {
    String[] f = s.trim().split("-");
    if (f.length != 4 || !List.of("nll", "llr").contains(f[0]) || !List.of("global", "image").contains(f[1])
        || !List.of("two", "one").contains(f[2]) || !List.of("none", "smooth3", "smooth5").contains(f[3])) {
      throw new IllegalArgumentException("unknown anomaly score rule '" + s + "'");
    }
    return new ScoreRule(f[0], f[1].equals("image"), f[2].equals("two"),
        f[3].equals("none") ? 1 : f[3].charAt(f[3].length() - 1) - '0');
  }

  public String key() {
    return quantity + "-" + (perImage ? "image" : "global") + "-" + (twoSided ? "two" : "one") + "-"
        + (smooth == 1 ? "none" : "smooth" + smooth);
  }

  /**
   * Scores of all patches of one image.
   *
   * @param values the rule's quantity per patch, row-major over {@code rows x cols}
   * @param centre training median of the quantity
   * @param scale training spread (1.4826 x MAD) of the quantity
   */
  public double[] scores(float[] values, int rows, int cols, double centre, double scale) {
    int n = values.length;
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      d[i] = values[i];
    }
    if (perImage && n > 0) {
      centre = median(d);
      double[] dev = new double[n];
      for (int i = 0; i < n; i++) {
        dev[i] = Math.abs(d[i] - centre);
      }
      scale = Math.max(1.4826 * median(dev), SCALE_FLOOR * scale);
    }
    for (int i = 0; i < n; i++) {
      double z = (d[i] - centre) / scale;
      d[i] = twoSided ? Math.abs(z) : z;
    }
    return smooth > 1 ? boxMean(d, rows, cols, smooth / 2) : d;
  }

  private static double[] boxMean(double[] v, int rows, int cols, int r) {
    double[] out = new double[v.length];
    for (int y = 0; y < rows; y++) {
      for (int x = 0; x < cols; x++) {
        double s = 0;
        int n = 0;
        for (int yy = Math.max(0, y - r); yy <= Math.min(rows - 1, y + r); yy++) {
          for (int xx = Math.max(0, x - r); xx <= Math.min(cols - 1, x + r); xx++) {
            s += v[yy * cols + xx];
            n++;
          }
        }
        out[y * cols + x] = s / n;
      }
    }
    return out;
  }

  /** Median as numpy computes it (mean of the two middle values for an even count). */
  static double median(double[] values) {
    double[] s = values.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
  }
}
