package dev.edgeagent.detect;

import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.imgproc.Imgproc;

/**
 * Plates, not text ({@code detect.plate_text_policy: plates}): each text line of plate shape is
 * read ({@link TextRecognizer}) and kept only if what it says could be a registration
 * ({@link PlateText}). Lines too small to read are kept unread (a far plate cannot be read,
 * and a plate missed is a privacy leak while a sign erased is only a loss); lines that are
 * readable in size but illegible are kept or not as configured (a motion-blurred plate is
 * illegible), except where most of the line glows saturated red or amber: that is a tail,
 * brake or indicator light, which the text detector takes for a row of characters. A line that is not a plate itself but touches a line that
 * is (a state name above the registration, a slogan below, the second line of a two-line
 * plate) is kept too, if it is not much taller (a quarter at most) and lies at least half within the plate
 * line's width:
 * together they cover the whole plate. A clock or date never is: a video overlay is not part of
 * any plate, however close. (The other lines of a sign are wider or taller than a word of it
 * that reads like a plate.)
 */
public final class PlateReadingFilter {
  /** A plate-shaped text line: the detector's box around the glyphs, and the box grown to the plate. */
  public record Line(Box text, Detection grown) {}

  /** How a filter's answers are configured. */
  public record Params(double minReadPx, double minConfidence, boolean keepIllegible) {
    public Params {
      if (!(minReadPx >= 0) || !(minConfidence >= 0 && minConfidence <= 1)) {
        throw new IllegalArgumentException("minReadPx >= 0 and 0 <= minConfidence <= 1 required");
      }
    }
  }

  private final TextRecognizer recognizer;
  private final Params params;

  public PlateReadingFilter(TextRecognizer recognizer, Params params) {
    this.recognizer = recognizer;
    this.params = params;
  }

  public ModelInfo model() {
    return recognizer.model();
  }

  /** The grown boxes of the lines that are, or belong to, plates. */
  public List<Detection> keep(Mat bgr, List<Line> lines) throws DetectorException {
    List<Line> readable = new ArrayList<>();
    for (Line l : lines) {
      if (l.text().h() >= params.minReadPx()) {
        readable.add(l);
      }
    }
    List<TextRecognizer.Reading> readings = readable.isEmpty() ? List.of()
        : recognizer.read(bgr, readable.stream().map(Line::text).toList());
    boolean[] kept = new boolean[lines.size()];
    boolean[] plate = new boolean[lines.size()];
    boolean[] timestamp = new boolean[lines.size()];
    for (int i = 0, r = 0; i < lines.size(); i++) {
      if (lines.get(i).text().h() < params.minReadPx()) {
        kept[i] = true;
        continue;
      }
      TextRecognizer.Reading reading = readings.get(r++);
      PlateText.Verdict v = PlateText.judge(reading.text(), reading.confidence(), params.minConfidence());
      plate[i] = v == PlateText.Verdict.PLATE;
      timestamp[i] = v == PlateText.Verdict.TIMESTAMP;
      kept[i] = plate[i] || (v == PlateText.Verdict.UNREADABLE && params.keepIllegible()
          && lampFraction(bgr, lines.get(i).text()) < LAMP_FRACTION);
    }
    List<Detection> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (kept[i] || (!timestamp[i] && touchesPlate(lines, plate, i))) {
        out.add(lines.get(i).grown());
      }
    }
    return out;
  }

  /** Above this fraction of lamp-coloured pixels an illegible line is a light, not a plate. */
  static final double LAMP_FRACTION = 0.3;

  /**
   * The fraction of a box's pixels that are saturated, bright red to amber (HSV hue within 20
   * of red's 0, saturation >= 100, value >= 80 on OpenCV's 0-180 / 0-255 scales). Plates carry
   * red only in thin strokes; lamps are mostly red.
   */
  static double lampFraction(Mat bgr, Box box) {
    Box b = box.clamp(bgr.cols(), bgr.rows());
    int x0 = (int) Math.floor(b.x());
    int y0 = (int) Math.floor(b.y());
    int x1 = (int) Math.ceil(b.right());
    int y1 = (int) Math.ceil(b.bottom());
    if (x1 - x0 < 1 || y1 - y0 < 1) {
      return 0;
    }
    Mat roi = bgr.submat(new Rect(x0, y0, x1 - x0, y1 - y0));
    Mat hsv = new Mat();
    Mat low = new Mat();
    Mat high = new Mat();
    try {
      Imgproc.cvtColor(roi, hsv, Imgproc.COLOR_BGR2HSV);
      Core.inRange(hsv, new Scalar(0, 100, 80), new Scalar(20, 255, 255), low);
      Core.inRange(hsv, new Scalar(160, 100, 80), new Scalar(180, 255, 255), high);
      return (Core.countNonZero(low) + Core.countNonZero(high)) / (double) roi.total();
    } finally {
      roi.release();
      hsv.release();
      low.release();
      high.release();
    }
  }

  private static boolean touchesPlate(List<Line> lines, boolean[] plate, int i) {
    Line l = lines.get(i);
    Box b = l.grown().box();
    for (int j = 0; j < lines.size(); j++) {
      Line p = lines.get(j);
      Box pb = p.grown().box();
      if (plate[j] && j != i && pb.intersection(b) > 0 && l.text().h() <= p.text().h() * 1.25
          && overlapX(b, pb) >= 0.5 * b.w()) {
        return true;
      }
    }
    return false;
  }

  private static double overlapX(Box a, Box b) {
    return Math.max(0, Math.min(a.right(), b.right()) - Math.max(a.x(), b.x()));
  }
}
