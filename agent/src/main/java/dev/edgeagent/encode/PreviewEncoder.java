package dev.edgeagent.encode;

import dev.edgeagent.redact.AnonymizedFrame;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * A small JPEG of an anonymized frame for the live status page: scaled down to at most
 * {@code maxWidth} pixels wide, at a modest quality. A tuning frame whose regions were outlined
 * instead of removed ({@link AnonymizedFrame#anonymized()} false) is refused: a preview leaves
 * the process. Thread-safe.
 */
public final class PreviewEncoder {
  private final int maxWidth;
  private final int quality;

  public PreviewEncoder(int maxWidth, int quality) {
    if (maxWidth < 16) {
      throw new IllegalArgumentException("preview width must be at least 16 pixels, got " + maxWidth);
    }
    if (quality < 1 || quality > 100) {
      throw new IllegalArgumentException("JPEG quality must be 1..100, got " + quality);
    }
    this.maxWidth = maxWidth;
    this.quality = quality;
  }

  public byte[] encode(AnonymizedFrame frame) {
    if (!frame.anonymized()) {
      throw new IllegalArgumentException(frame + " has outlined, not removed, regions: it has no preview");
    }
    Mat src = frame.pixels();
    Mat scaled = null;
    MatOfByte buf = new MatOfByte();
    MatOfInt params = new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, quality);
    try {
      Mat out = src;
      if (src.cols() > maxWidth) {
        scaled = new Mat();
        double f = (double) maxWidth / src.cols();
        Imgproc.resize(src, scaled, new Size(maxWidth, Math.max(1, Math.round(src.rows() * f))), 0, 0,
            Imgproc.INTER_AREA);
        out = scaled;
      }
      if (!Imgcodecs.imencode(".jpg", out, buf, params)) {
        throw new IllegalStateException("preview JPEG encoding failed for " + frame);
      }
      return buf.toArray();
    } finally {
      if (scaled != null) {
        scaled.release();
      }
      buf.release();
      params.release();
    }
  }
}
