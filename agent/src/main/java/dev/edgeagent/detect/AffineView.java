package dev.edgeagent.detect;

import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * The frame seen another way for one more face search: turned about its centre by a few tens
 * of degrees (heads tilted further than an upright detector tolerates: YuNet loses most faces
 * past about 20 degrees), or mirrored left to right (a second look at the same pixels, which
 * finds small faces the first look scored just under the threshold). The view keeps the frame's
 * size, so a search of it costs what the upright one does; a turned view's corners fall outside,
 * where the upright pass still searches. Detections are mapped back to the frame as the
 * axis-aligned box around the mapped box's corners.
 */
final class AffineView implements AutoCloseable {
  private final Mat image;
  /** 2 x 3 affine map from view pixels back to frame pixels. */
  private final double[] back = new double[6];

  private AffineView(Mat image, Mat inverse) {
    this.image = image;
    inverse.get(0, 0, back);
  }

  /** {@code bgr} turned by {@code degrees} (counter-clockwise, as OpenCV counts). */
  static AffineView rotated(Mat bgr, double degrees) {
    Point centre = new Point(bgr.cols() / 2.0, bgr.rows() / 2.0);
    Mat forward = Imgproc.getRotationMatrix2D(centre, degrees, 1.0);
    Mat inverse = new Mat();
    Mat view = new Mat();
    try {
      Imgproc.warpAffine(bgr, view, forward, new Size(bgr.cols(), bgr.rows()), Imgproc.INTER_LINEAR);
      Imgproc.invertAffineTransform(forward, inverse);
      return new AffineView(view, inverse);
    } finally {
      forward.release();
      inverse.release();
    }
  }

  /** {@code bgr} mirrored left to right. */
  static AffineView mirrored(Mat bgr) {
    Mat view = new Mat();
    Core.flip(bgr, view, 1);
    // Pixel edges: column edge x of the view is column edge (width - x) of the frame.
    Mat back = new Mat(2, 3, CvType.CV_64F);
    back.put(0, 0, -1, 0, bgr.cols(), 0, 1, 0);
    try {
      return new AffineView(view, back);
    } finally {
      back.release();
    }
  }

  Mat image() {
    return image;
  }

  /** A detection in view pixels as a frame detection: the box around its four mapped corners. */
  Detection toFrame(Detection d) {
    return map(d, back);
  }

  /**
   * {@code d} through the 2 x 3 affine map {@code m} (row-major): its landmarks mapped, its box
   * the axis-aligned box around the four mapped corners (exact for a scale and shift).
   */
  static Detection map(Detection d, double[] m) {
    Box b = d.box();
    double[][] corners = {{b.x(), b.y()}, {b.right(), b.y()}, {b.x(), b.bottom()}, {b.right(), b.bottom()}};
    double x0 = Double.MAX_VALUE;
    double y0 = Double.MAX_VALUE;
    double x1 = -Double.MAX_VALUE;
    double y1 = -Double.MAX_VALUE;
    for (double[] c : corners) {
      double x = m[0] * c[0] + m[1] * c[1] + m[2];
      double y = m[3] * c[0] + m[4] * c[1] + m[5];
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x);
      y1 = Math.max(y1, y);
    }
    List<Detection.Landmark> marks = new ArrayList<>(d.landmarks().size());
    for (Detection.Landmark l : d.landmarks()) {
      marks.add(new Detection.Landmark(m[0] * l.x() + m[1] * l.y() + m[2], m[3] * l.x() + m[4] * l.y() + m[5]));
    }
    return new Detection(d.cls(), new Box(x0, y0, x1 - x0, y1 - y0), d.score(), marks);
  }

  @Override
  public void close() {
    image.release();
  }
}
