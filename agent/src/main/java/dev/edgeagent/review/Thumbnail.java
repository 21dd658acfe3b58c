package dev.edgeagent.review;

import dev.edgeagent.detect.Box;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Point;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * A small JPEG of a region about to be removed, with some of its surroundings so a reviewer can
 * tell a face from a poster or a plate from a sign, and the removed box outlined. These are raw
 * pixels: they go only into the review folder (ADR 0010).
 */
final class Thumbnail {
  /** Longest side of a thumbnail, in pixels. */
  static final int SIDE = 128;
  /** A tiny region is scaled up to at least this, so a 12-pixel face can still be judged. */
  static final int MIN_SIDE = 64;
  /** Context shown around the region, as a fraction of its size on each side. */
  private static final double CONTEXT = 0.4;
  private static final int QUALITY = 80;

  private Thumbnail() {}

  static byte[] of(Mat raw, Box removed) {
    Box ctx = removed.expand(CONTEXT).clamp(raw.cols(), raw.rows());
    int x0 = (int) Math.floor(ctx.x());
    int y0 = (int) Math.floor(ctx.y());
    int x1 = Math.min(raw.cols(), (int) Math.ceil(ctx.right()));
    int y1 = Math.min(raw.rows(), (int) Math.ceil(ctx.bottom()));
    if (x1 - x0 < 1 || y1 - y0 < 1) {
      return new byte[0];
    }
    Mat crop = raw.submat(new Rect(x0, y0, x1 - x0, y1 - y0));
    Mat small = new Mat();
    MatOfByte jpeg = new MatOfByte();
    MatOfInt params = new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, QUALITY);
    try {
      int longer = Math.max(crop.cols(), crop.rows());
      double scale = longer < MIN_SIDE ? MIN_SIDE / (double) longer : Math.min(1.0, SIDE / (double) longer);
      if (scale != 1.0) {
        Imgproc.resize(crop, small, new Size(Math.max(1, Math.round(crop.cols() * scale)),
            Math.max(1, Math.round(crop.rows() * scale))), 0, 0, scale < 1 ? Imgproc.INTER_AREA : Imgproc.INTER_CUBIC);
      } else {
        crop.copyTo(small);
      }
      Imgproc.rectangle(small, new Point((removed.x() - x0) * scale, (removed.y() - y0) * scale),
          new Point((removed.right() - x0) * scale - 1, (removed.bottom() - y0) * scale - 1),
          new Scalar(0, 200, 255), 1);
      if (!Imgcodecs.imencode(".jpg", small, jpeg, params)) {
        throw new IllegalStateException("JPEG encoding of a review thumbnail failed");
      }
      return jpeg.toArray();
    } finally {
      crop.release();
      small.release();
      jpeg.release();
      params.release();
    }
  }
}
