package dev.edgeagent.inspect;

/**
 * Thirteen colour and texture statistics of every patch of the inspection grid, the Java twin of
 * models/anomaly/baseline.py {@code features} (same order, same formulas, double precision):
 * mean and standard deviation of R, G, B; mean excess green 2G - R - B; mean absolute horizontal
 * and vertical differences of grey; mean absolute Laplacian of grey; the colour correlations
 * R-G, G-B, R-B. They feed {@link SelfReference}: what a dry, discoloured or flattened patch looks
 * like next to the rest of its own image, which the pixel flows' likelihoods miss.
 */
final class PatchStatistics {
  static final int COUNT = 13;
  /** Keeps the correlation of a flat (zero-spread) channel finite, as baseline.py does. */
  private static final double SPREAD_EPS = 1e-4;

  private PatchStatistics() {}

  /**
   * @param bgr 8-bit 3-channel pixels of the grid's image
   * @return per patch (row-major over the grid) its {@link #COUNT} statistics
   */
  static double[][] of(PatchGrid grid, byte[] bgr) {
    int p = grid.patch();
    int plane = p * p;
    int n = grid.size();
    double[][] out = new double[n][];
    float[] patch = new float[3 * plane];
    double[][] rgb = new double[3][plane];
    double[] grey = new double[plane];
    for (int k = 0; k < n; k++) {
      // The flow's own input values (float RGB / 255), widened: what baseline.py computes on.
      grid.fill(bgr, k, 1, patch);
      for (int i = 0; i < plane; i++) {
        for (int c = 0; c < 3; c++) {
          rgb[c][i] = patch[c * plane + i];
        }
        grey[i] = 0.299 * rgb[0][i] + 0.587 * rgb[1][i] + 0.114 * rgb[2][i];
      }
      out[k] = statistics(rgb, grey, p);
    }
    return out;
  }

  private static double[] statistics(double[][] rgb, double[] grey, int p) {
    int m = p * p;
    double[] mean = new double[3];
    double[] std = new double[3];
    for (int c = 0; c < 3; c++) {
      mean[c] = mean(rgb[c]);
      double v = 0;
      for (double x : rgb[c]) {
        v += (x - mean[c]) * (x - mean[c]);
      }
      std[c] = Math.sqrt(v / m);
    }
    double exg = 0;
    for (int i = 0; i < m; i++) {
      exg += 2 * rgb[1][i] - rgb[0][i] - rgb[2][i];
    }
    double dx = 0;
    double dy = 0;
    double lap = 0;
    for (int y = 0; y < p; y++) {
      for (int x = 0; x < p; x++) {
        double g = grey[y * p + x];
        if (x + 1 < p) {
          dx += Math.abs(grey[y * p + x + 1] - g);
        }
        if (y + 1 < p) {
          dy += Math.abs(grey[(y + 1) * p + x] - g);
        }
        if (x > 0 && y > 0 && x + 1 < p && y + 1 < p) {
          lap += Math.abs(4 * g - grey[(y - 1) * p + x] - grey[(y + 1) * p + x] - grey[y * p + x - 1]
              - grey[y * p + x + 1]);
        }
      }
    }
    return new double[] {mean[0], mean[1], mean[2], std[0], std[1], std[2], exg / m,
        dx / (p * (p - 1)), dy / (p * (p - 1)), lap / ((p - 2) * (p - 2)),
        correlation(rgb, mean, std, 0, 1), correlation(rgb, mean, std, 1, 2), correlation(rgb, mean, std, 0, 2)};
  }

  private static double correlation(double[][] rgb, double[] mean, double[] std, int a, int b) {
    double s = 0;
    for (int i = 0; i < rgb[a].length; i++) {
      s += (rgb[a][i] - mean[a]) * (rgb[b][i] - mean[b]);
    }
    return s / rgb[a].length / ((std[a] + SPREAD_EPS) * (std[b] + SPREAD_EPS));
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }
}
