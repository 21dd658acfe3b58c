package dev.edgeagent.detect;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfPoint;
import org.opencv.core.MatOfPoint2f;
import org.opencv.core.Point;
import org.opencv.core.Rect;
import org.opencv.core.RotatedRect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * PP-OCRv4 text detection (DB) pre- and post-processing. Input: BGR image resized so its longer
 * side is at most {@code maxSide} and both sides are multiples of 32, normalised with the
 * ImageNet mean/std, NCHW. Output: a text probability map; regions above {@code pixelThreshold}
 * become contours, kept when their mean probability passes {@code boxThreshold}, then grown
 * by the DB "unclip" distance (area x ratio / perimeter) to cover the whole text line, then
 * filtered by the plate shape limits.
 */
public final class TextDetectionTranslator {
  private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
  private static final float[] STD = {0.229f, 0.224f, 0.225f};

  /** Post-processing settings; aspect is long side over short side of the rotated text box. */
  public record Params(int maxSide, double pixelThreshold, double boxThreshold, double unclipRatio,
      double minHeightPx, double minAspect, double maxAspect) {}

  private final Params p;

  public TextDetectionTranslator(Params params) {
    this.p = params;
  }

  /** Model input size (height, width) for an image of the given size. */
  public int[] inputSize(int width, int height) {
    double scale = Math.min(1.0, (double) p.maxSide() / Math.max(width, height));
    int h = Math.max(32, (int) Math.round(height * scale / 32.0) * 32);
    int w = Math.max(32, (int) Math.round(width * scale / 32.0) * 32);
    return new int[] {h, w};
  }

  /** {@link #preprocess(Mat, int, int, FloatBuffer, float[], float[])} with fresh scratch arrays. */
  public void preprocess(Mat bgr, int h, int w, FloatBuffer dst) {
    preprocess(bgr, h, w, dst, new float[3 * h * w], new float[h * w]);
  }

  /**
   * Writes the normalised NCHW input into {@code dst} from its start and flips it.
   *
   * @param hwc scratch of at least 3 h w floats (the resized image, interleaved)
   * @param plane scratch of at least h w floats (one normalised plane before it is copied)
   */
  public void preprocess(Mat bgr, int h, int w, FloatBuffer dst, float[] hwc, float[] plane) {
    Mat resized = new Mat();
    Mat f = new Mat();
    try {
      Imgproc.resize(bgr, resized, new Size(w, h), 0, 0, Imgproc.INTER_LINEAR);
      resized.convertTo(f, CvType.CV_32FC3, 1.0 / 255.0);
      int size = h * w;
      f.get(0, 0, hwc); // OpenCV copies only the Mat's 3 h w floats into a longer array
      dst.clear();
      for (int c = 0; c < 3; c++) {
        float mean = MEAN[c];
        float std = STD[c];
        for (int i = 0; i < size; i++) {
          plane[i] = (hwc[i * 3 + c] - mean) / std;
        }
        dst.put(plane, 0, size);
      }
      dst.flip();
    } finally {
      resized.release();
      f.release();
    }
  }

  /**
   * Turns the probability map (its first h x w floats, row-major) into plate-shaped boxes in
   * frame pixels.
   */
  public List<Detection> decode(float[] prob, int h, int w, int frameW, int frameH)
      throws DetectorException {
    Mat probMap = new Mat(h, w, CvType.CV_32FC1);
    Mat bitmap = new Mat();
    Mat hierarchy = new Mat();
    List<MatOfPoint> contours = new ArrayList<>();
    try {
      for (int i = 0; i < h * w; i++) {
        if (Float.isNaN(prob[i])) {
          throw new DetectorException(DropReason.DETECTOR_BAD_OUTPUT, "text map holds NaN");
        }
      }
      probMap.put(0, 0, prob);
      Imgproc.threshold(probMap, bitmap, p.pixelThreshold(), 255, Imgproc.THRESH_BINARY);
      bitmap.convertTo(bitmap, CvType.CV_8UC1);
      Imgproc.findContours(bitmap, contours, hierarchy, Imgproc.RETR_LIST,
          Imgproc.CHAIN_APPROX_SIMPLE);
      double sx = (double) frameW / w;
      double sy = (double) frameH / h;
      List<Detection> out = new ArrayList<>();
      for (MatOfPoint c : contours) {
        Detection d = boxFor(c, probMap, sx, sy, frameW, frameH);
        if (d != null) {
          out.add(d);
        }
        c.release();
      }
      return out;
    } finally {
      probMap.release();
      bitmap.release();
      hierarchy.release();
    }
  }

  private Detection boxFor(MatOfPoint contour, Mat probMap, double sx, double sy, int frameW,
      int frameH) {
    MatOfPoint2f c2f = new MatOfPoint2f(contour.toArray());
    RotatedRect rr = Imgproc.minAreaRect(c2f);
    c2f.release();
    if (Math.min(rr.size.width, rr.size.height) < 2) {
      return null;
    }
    double score = meanInside(contour, probMap);
    if (score < p.boxThreshold()) {
      return null;
    }
    double area = rr.size.width * rr.size.height;
    double perimeter = 2 * (rr.size.width + rr.size.height);
    double d = area * p.unclipRatio() / perimeter;
    RotatedRect grown = new RotatedRect(rr.center,
        new Size(rr.size.width + 2 * d, rr.size.height + 2 * d), rr.angle);
    double longSide = Math.max(grown.size.width * sx, grown.size.height * sy);
    double shortSide = Math.min(grown.size.width * sx, grown.size.height * sy);
    double aspect = longSide / Math.max(1e-6, shortSide);
    if (shortSide < p.minHeightPx() || aspect < p.minAspect() || aspect > p.maxAspect()) {
      return null;
    }
    Point[] pts = new Point[4];
    grown.points(pts);
    double x0 = Double.MAX_VALUE;
    double y0 = Double.MAX_VALUE;
    double x1 = -Double.MAX_VALUE;
    double y1 = -Double.MAX_VALUE;
    for (Point pt : pts) {
      x0 = Math.min(x0, pt.x * sx);
      y0 = Math.min(y0, pt.y * sy);
      x1 = Math.max(x1, pt.x * sx);
      y1 = Math.max(y1, pt.y * sy);
    }
    Box box = new Box(x0, y0, x1 - x0, y1 - y0).clamp(frameW, frameH);
    return box.area() > 0 ? new Detection(ObjectClass.PLATE, box, score) : null;
  }

  private static double meanInside(MatOfPoint contour, Mat probMap) {
    Rect r = Imgproc.boundingRect(contour);
    Mat mask = Mat.zeros(r.height, r.width, CvType.CV_8UC1);
    MatOfPoint shifted = new MatOfPoint();
    Point[] pts = contour.toArray();
    for (Point pt : pts) {
      pt.x -= r.x;
      pt.y -= r.y;
    }
    shifted.fromArray(pts);
    Imgproc.fillPoly(mask, List.of(shifted), new Scalar(1));
    Mat roi = probMap.submat(r);
    double mean = Core.mean(roi, mask).val[0];
    roi.release();
    mask.release();
    shifted.release();
    return mean;
  }
}
