package dev.edgeagent.inspect;

import java.util.Locale;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Draws the anomaly map over the (anonymized) image: each pixel gets the mean score of the
 * patches covering it, coloured blue (typical) to red (twice the threshold or more), blended at
 * {@link #ALPHA}; flagged regions are boxed with their score.
 */
public final class HeatmapOverlay {
  static final double ALPHA = 0.45;

  private HeatmapOverlay() {}

  /** A new BGR image the size of {@code bgr}; the caller owns it. */
  public static Mat draw(Mat bgr, Inspection inspection) {
    AnomalyMap map = inspection.map();
    Mat out = bgr.clone();
    PatchGrid g = map.grid();
    if (g.size() > 0) {
      Mat heat = colourMap(map);
      Core.addWeighted(out, 1 - ALPHA, heat, ALPHA, 0, out);
      heat.release();
    }
    for (FlaggedRegion r : inspection.regions()) {
      Imgproc.rectangle(out, new Point(r.x(), r.y()), new Point(r.x() + r.w() - 1, r.y() + r.h() - 1),
          new Scalar(255, 255, 255), 2);
      Imgproc.putText(out, String.format(Locale.ROOT, "%.1f", r.score()), new Point(r.x() + 2, Math.max(12, r.y() - 3)),
          Imgproc.FONT_HERSHEY_SIMPLEX, 0.45, new Scalar(255, 255, 255), 1);
    }
    return out;
  }

  private static Mat colourMap(AnomalyMap map) {
    PatchGrid g = map.grid();
    float[] sum = new float[g.width() * g.height()];
    float[] cnt = new float[sum.length];
    for (int r = 0; r < g.rows(); r++) {
      for (int c = 0; c < g.cols(); c++) {
        float s = (float) map.score(r, c);
        for (int y = r * g.stride(); y < r * g.stride() + g.patch(); y++) {
          for (int x = c * g.stride(); x < c * g.stride() + g.patch(); x++) {
            sum[y * g.width() + x] += s;
            cnt[y * g.width() + x] += 1;
          }
        }
      }
    }
    byte[] level = new byte[sum.length];
    double full = 2 * map.threshold();
    for (int i = 0; i < sum.length; i++) {
      double v = cnt[i] == 0 ? 0 : sum[i] / cnt[i] / full;
      level[i] = (byte) Math.round(255 * Math.max(0, Math.min(1, v)));
    }
    Mat grey = new Mat(g.height(), g.width(), CvType.CV_8UC1);
    grey.put(0, 0, level);
    Mat big = new Mat();
    Imgproc.resize(grey, big, new Size(map.inputWidth(), map.inputHeight()), 0, 0, Imgproc.INTER_LINEAR);
    Mat colour = new Mat();
    Imgproc.applyColorMap(big, colour, Imgproc.COLORMAP_JET);
    grey.release();
    big.release();
    return colour;
  }
}
