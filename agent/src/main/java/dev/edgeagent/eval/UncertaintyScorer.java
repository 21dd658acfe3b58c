package dev.edgeagent.eval;

import dev.edgeagent.enhance.EnhanceException;
import dev.edgeagent.enhance.SrUncertainty;
import dev.edgeagent.enhance.UncertaintyMap;
import dev.edgeagent.enhance.Upscaler;
import org.opencv.core.Mat;
import org.opencv.core.Rect;

/**
 * Does the SR uncertainty map point at the SR output's real errors? On one HR image: LR = Pillow
 * bicubic x1/2 (the training degradation), SR = upscaler(LR), error = |Y(SR) - Y(HR)|; the map
 * (from the same LR) and a simple baseline, the Sobel gradient magnitude of Y of the bicubic
 * enlargement (box-averaged like the map), are each rank-correlated with the error, border of
 * {@code scale} pixels cropped.
 * The Java twin of models/sr/uncertainty_eval.py, on the agent's own tiled, 8-bit map.
 */
public final class UncertaintyScorer {

  /** One image; {@code mapNanos} is the uncertainty map's time alone. */
  public record Score(int width, int height, double spearmanMap, double spearmanGradient, double meanStdY,
      long mapNanos) {}

  private final Upscaler upscaler;
  private final SrUncertainty uncertainty;

  public UncertaintyScorer(Upscaler upscaler, SrUncertainty uncertainty) {
    this.upscaler = upscaler;
    this.uncertainty = uncertainty;
  }

  public Score score(Mat hrFull) throws EnhanceException {
    int s = upscaler.scale();
    int w = hrFull.cols() - hrFull.cols() % s;
    int h = hrFull.rows() - hrFull.rows() % s;
    Mat hr = hrFull.submat(new Rect(0, 0, w, h)).clone();
    Mat lr = PilBicubic.resize(hr, w / s, h / s);
    Mat sr = upscaler.upscale(lr);
    Mat bic = PilBicubic.resize(lr, w, h);
    try {
      long t0 = System.nanoTime();
      UncertaintyMap map = uncertainty.estimate(lr);
      long nanos = System.nanoTime() - t0;
      double[][] yHr = ImageQuality.lumaY(hr, s);
      double[][] ySr = ImageQuality.lumaY(sr, s);
      double[] err = new double[yHr.length * yHr[0].length];
      for (int r = 0, i = 0; r < yHr.length; r++) {
        for (int x = 0; x < yHr[0].length; x++, i++) {
          err[i] = Math.abs(ySr[r][x] - yHr[r][x]);
        }
      }
      double[] grey = new double[err.length];
      for (int r = s, i = 0; r < h - s; r++) {
        for (int x = s; x < w - s; x++, i++) {
          grey[i] = map.grey()[r * w + x] & 0xff;
        }
      }
      // The baseline gets the same box mean as the map (its best window on the train photos too).
      double[] grad = cropped(box(sobel(ImageQuality.lumaY(bic, 0)), SrUncertainty.SMOOTH_PX), s);
      return new Score(w, h, RankCorrelation.spearman(grey, err), RankCorrelation.spearman(grad, err),
          map.meanStdY(), nanos);
    } finally {
      hr.release();
      lr.release();
      sr.release();
      bic.release();
    }
  }

  /** Sobel gradient magnitude with replicated borders. */
  static double[][] sobel(double[][] y) {
    int h = y.length;
    int w = y[0].length;
    double[][] g = new double[h][w];
    for (int r = 0; r < h; r++) {
      int ru = Math.max(r - 1, 0);
      int rd = Math.min(r + 1, h - 1);
      for (int x = 0; x < w; x++) {
        int xl = Math.max(x - 1, 0);
        int xr = Math.min(x + 1, w - 1);
        double gx = (y[ru][xr] + 2 * y[r][xr] + y[rd][xr]) - (y[ru][xl] + 2 * y[r][xl] + y[rd][xl]);
        double gy = (y[rd][xl] + 2 * y[rd][x] + y[rd][xr]) - (y[ru][xl] + 2 * y[ru][x] + y[ru][xr]);
        g[r][x] = Math.sqrt(gx * gx + gy * gy);
      }
    }
    return g;
  }

  /** Mean over a side x side window, borders replicated. */
  static double[][] box(double[][] m, int side) {
    int h = m.length;
    int w = m[0].length;
    int r = side / 2;
    double[][] out = new double[h][w];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double sum = 0;
        for (int dy = -r; dy <= r; dy++) {
          double[] row = m[Math.min(Math.max(y + dy, 0), h - 1)];
          for (int dx = -r; dx <= r; dx++) {
            sum += row[Math.min(Math.max(x + dx, 0), w - 1)];
          }
        }
        out[y][x] = sum / (side * side);
      }
    }
    return out;
  }

  private static double[] cropped(double[][] m, int border) {
    int h = m.length - 2 * border;
    int w = m[0].length - 2 * border;
    double[] out = new double[w * h];
    for (int r = 0; r < h; r++) {
      System.arraycopy(m[r + border], border, out, r * w, w);
    }
    return out;
  }
}
