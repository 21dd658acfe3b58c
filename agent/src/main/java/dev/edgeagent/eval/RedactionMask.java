package dev.edgeagent.eval;

import dev.edgeagent.detect.Box;
import dev.edgeagent.redact.Redaction;
import java.util.List;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.imgproc.Imgproc;

/**
 * The pixels a frame's redactions removed, whatever class removed them (what matters is that
 * the pixels are gone), to measure how much of a ground-truth box is covered.
 */
final class RedactionMask implements AutoCloseable {
  private final Mat mask;

  RedactionMask(int width, int height, List<Redaction> redactions) {
    mask = Mat.zeros(height, width, CvType.CV_8UC1);
    for (Redaction r : redactions) {
      Box b = r.redacted();
      Imgproc.rectangle(mask, new Point(b.x(), b.y()), new Point(b.right() - 1, b.bottom() - 1),
          new Scalar(255), -1);
    }
  }

  /**
   * The fraction of the visible pixels of {@code box} that were redacted: {@code visible} holds
   * one pixel per image pixel the box touches, from floor(x), floor(y), non-zero where the
   * object shows. NaN when no pixel of it is visible inside the frame.
   */
  double coveredVisible(Box box, Mat visible) {
    int x0 = (int) Math.floor(box.x());
    int y0 = (int) Math.floor(box.y());
    Rect inFrame = new Rect(Math.max(0, x0), Math.max(0, y0), 0, 0);
    inFrame.width = Math.min(mask.cols(), x0 + visible.cols()) - inFrame.x;
    inFrame.height = Math.min(mask.rows(), y0 + visible.rows()) - inFrame.y;
    if (inFrame.width <= 0 || inFrame.height <= 0) {
      return Double.NaN;
    }
    Mat shown = visible.submat(new Rect(inFrame.x - x0, inFrame.y - y0, inFrame.width, inFrame.height));
    Mat redacted = mask.submat(inFrame);
    Mat both = new Mat();
    try {
      int visiblePixels = Core.countNonZero(shown);
      if (visiblePixels == 0) {
        return Double.NaN;
      }
      Core.bitwise_and(shown, redacted, both);
      return Core.countNonZero(both) / (double) visiblePixels;
    } finally {
      shown.release();
      redacted.release();
      both.release();
    }
  }

  /** The fraction of {@code box} (clipped to the frame, in whole pixels) that was redacted; 0 if empty. */
  double covered(Box box) {
    Box b = box.clamp(mask.cols(), mask.rows());
    int x0 = (int) Math.round(b.x());
    int y0 = (int) Math.round(b.y());
    int x1 = (int) Math.round(b.right());
    int y1 = (int) Math.round(b.bottom());
    if (x1 <= x0 || y1 <= y0) {
      return 0;
    }
    Mat roi = mask.submat(new Rect(x0, y0, x1 - x0, y1 - y0));
    try {
      return Core.countNonZero(roi) / (double) roi.total();
    } finally {
      roi.release();
    }
  }

  @Override
  public void close() {
    mask.release();
  }
}
