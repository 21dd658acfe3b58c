package dev.edgeagent.inspect;

import java.util.Arrays;

/**
 * How far each patch's {@link PatchStatistics} lie from the rest of <em>its own</em> image: a
 * robust Gaussian is fitted on the image's most typical patches and every patch's Mahalanobis
 * distance from it is returned (the score rule's {@code self} quantity). The Java twin of
 * models/anomaly/baseline.py {@code image_referenced_distance}, step for step:
 *
 * <ol>
 *   <li>standardise each statistic by the image's median and 1.4826 x MAD (floored at
 *       {@link #SCALE_EPS});
 *   <li>keep the patches whose squared standardised norm is at most its {@link #KEEP} quantile
 *       (linear interpolation, as numpy), so a defect does not shape its own reference;
 *   <li>mean and covariance (n - 1) of the kept patches, shrunk towards the identity:
 *       {@code (1 - SHRINK) C + SHRINK (trace C / d) I};
 *   <li>the Mahalanobis distance of every patch (the square root of the squared distance).
 * </ol>
 *
 * Why the image itself as the reference: the training photos cannot cover every field, soil and
 * light a drone will see, and a defect is a minority of its own image. On an image with fewer
 * than {@link #MIN_PATCHES} patches no reference can be fitted and every distance is 0.
 */
final class SelfReference {
  static final double KEEP = 0.75;
  static final double SHRINK = 0.1;
  static final int MIN_PATCHES = 4 * PatchStatistics.COUNT;
  static final double SCALE_EPS = 1e-4;

  private SelfReference() {}

  /** @param f per patch its statistics (all rows the same length) */
  static float[] distances(double[][] f) {
    int n = f.length;
    float[] out = new float[n];
    if (n < MIN_PATCHES) {
      return out;
    }
    int d = f[0].length;
    double[][] x = standardised(f);
    double[] norm = new double[n];
    for (int i = 0; i < n; i++) {
      for (double v : x[i]) {
        norm[i] += v * v;
      }
    }
    double cut = quantile(norm, KEEP);
    double[] mu = new double[d];
    int kept = 0;
    for (int i = 0; i < n; i++) {
      if (norm[i] <= cut) {
        kept++;
        for (int j = 0; j < d; j++) {
          mu[j] += x[i][j];
        }
      }
    }
    for (int j = 0; j < d; j++) {
      mu[j] /= kept;
    }
    double[][] cov = new double[d][d];
    for (int i = 0; i < n; i++) {
      if (norm[i] <= cut) {
        for (int a = 0; a < d; a++) {
          for (int b = 0; b < d; b++) {
            cov[a][b] += (x[i][a] - mu[a]) * (x[i][b] - mu[b]);
          }
        }
      }
    }
    double trace = 0;
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        cov[a][b] /= kept - 1;
      }
      trace += cov[a][a];
    }
    double ridge = SHRINK * Math.max(trace / d, SCALE_EPS);
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        cov[a][b] *= 1 - SHRINK;
      }
      cov[a][a] += ridge;
    }
    double[][] chol = cholesky(cov);
    double[] y = new double[d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        y[j] = x[i][j] - mu[j];
      }
      out[i] = (float) Math.sqrt(squaredNormAfterSolve(chol, y));
    }
    return out;
  }

  private static double[][] standardised(double[][] f) {
    int n = f.length;
    int d = f[0].length;
    double[][] x = new double[n][d];
    double[] column = new double[n];
    for (int j = 0; j < d; j++) {
      for (int i = 0; i < n; i++) {
        column[i] = f[i][j];
      }
      double med = ScoreRule.median(column);
      for (int i = 0; i < n; i++) {
        column[i] = Math.abs(f[i][j] - med);
      }
      double s = Math.max(1.4826 * ScoreRule.median(column), SCALE_EPS);
      for (int i = 0; i < n; i++) {
        x[i][j] = (f[i][j] - med) / s;
      }
    }
    return x;
  }

  /** numpy's default (linear) quantile. */
  static double quantile(double[] v, double q) {
    double[] s = v.clone();
    Arrays.sort(s);
    double pos = (s.length - 1) * q;
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, s.length - 1);
    return s[lo] + (pos - lo) * (s[hi] - s[lo]);
  }

  /** Lower-triangular L with L L^T = a (a symmetric positive definite: shrinkage sees to it). */
  private static double[][] cholesky(double[][] a) {
    int d = a.length;
    double[][] l = new double[d][d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j <= i; j++) {
        double s = a[i][j];
        for (int k = 0; k < j; k++) {
          s -= l[i][k] * l[j][k];
        }
        l[i][j] = i == j ? Math.sqrt(Math.max(s, Double.MIN_NORMAL)) : s / l[j][j];
      }
    }
    return l;
  }

  /** y^T (L L^T)^-1 y = |L^-1 y|^2, by forward substitution. */
  private static double squaredNormAfterSolve(double[][] l, double[] y) {
    int d = y.length;
    double[] w = new double[d];
    double sum = 0;
    for (int i = 0; i < d; i++) {
      double s = y[i];
      for (int k = 0; k < i; k++) {
        s -= l[i][k] * w[k];
      }
      w[i] = s / l[i][i];
      sum += w[i] * w[i];
    }
    return sum;
  }
}
