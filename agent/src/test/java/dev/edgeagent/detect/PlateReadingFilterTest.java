package dev.edgeagent.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.imgproc.Imgproc;

/** What PlateReadingFilter keeps, with the real recogniser on drawn lines. */
class PlateReadingFilterTest {
  static OnnxModel model;
  static TextRecognizer recognizer;

  @BeforeAll
  static void load() throws Exception {
    dev.edgeagent.capture.OpenCv.ensureLoaded();
    model = TextRecognizerTest.loadModel();
    recognizer = TextRecognizerTest.recognizer(model);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  static PlateReadingFilter filter(double minReadPx, boolean keepIllegible) {
    return new PlateReadingFilter(recognizer, new PlateReadingFilter.Params(minReadPx, 0.5, keepIllegible));
  }

  /** A line as PlateDetector makes it: the text box, and the box grown by 0.15 / 0.5. */
  static PlateReadingFilter.Line line(Box text) {
    Box grown = new Box(text.x() - text.w() * 0.15, text.y() - text.h() * 0.5, text.w() * 1.3, text.h() * 2);
    return new PlateReadingFilter.Line(text, new Detection(ObjectClass.PLATE, grown, 0.9));
  }

  static Box write(Mat m, int x, int y, String s, double scale) {
    int[] baseline = new int[1];
    org.opencv.core.Size ts = Imgproc.getTextSize(s, Imgproc.FONT_HERSHEY_SIMPLEX, scale, 2, baseline);
    Imgproc.putText(m, s, new Point(x, y), Imgproc.FONT_HERSHEY_SIMPLEX, scale, new Scalar(20, 20, 20), 2);
    return new Box(x, y - ts.height, ts.width, ts.height + baseline[0]);
  }

  @Test
  void keepsTheRegistrationAndItsStateNameAndLeavesTheSignWord() throws Exception {
    Mat m = new Mat(300, 600, CvType.CV_8UC3, new Scalar(235, 235, 235));
    Box state = write(m, 60, 60, "TEXAS", 0.6);
    Box reg = write(m, 40, 100, "BX7 4K22", 1.2);
    Box sign = write(m, 360, 250, "PHARMACY", 1.0);
    List<PlateReadingFilter.Line> lines = List.of(line(state), line(reg), line(sign));
    List<Detection> kept = filter(6, true).keep(m, lines);
    assertThat(kept).extracting(Detection::box)
        .containsExactly(lines.get(0).grown().box(), lines.get(1).grown().box());
  }

  @Test
  void linesTooSmallToReadAreKeptUnreadAndIllegibleOnesAsConfigured() throws Exception {
    Mat m = new Mat(200, 400, CvType.CV_8UC3, new Scalar(128, 128, 128));
    PlateReadingFilter.Line tiny = line(new Box(10, 10, 30, 5));
    PlateReadingFilter.Line blank = line(new Box(50, 80, 200, 30));
    assertThat(filter(6, true).keep(m, List.of(tiny, blank))).hasSize(2);
    assertThat(filter(6, false).keep(m, List.of(tiny, blank))).containsExactly(tiny.grown());
  }

  @Test
  void anIllegibleLineThatGlowsRedIsALampNotAPlate() throws Exception {
    Mat m = new Mat(200, 400, CvType.CV_8UC3, new Scalar(40, 40, 40));
    Box lamp = new Box(50, 80, 200, 30);
    Imgproc.rectangle(m, new Point(50, 80), new Point(250, 110), new Scalar(30, 30, 230), -1);
    assertThat(PlateReadingFilter.lampFraction(m, lamp)).isGreaterThan(0.9);
    assertThat(filter(6, true).keep(m, List.of(line(lamp)))).isEmpty();
    // red strokes on a white plate are far below the lamp fraction
    Mat plate = new Mat(100, 300, CvType.CV_8UC3, new Scalar(240, 240, 240));
    Imgproc.putText(plate, "California", new Point(20, 40), Imgproc.FONT_HERSHEY_SCRIPT_SIMPLEX, 1.0,
        new Scalar(30, 30, 200), 2);
    assertThat(PlateReadingFilter.lampFraction(plate, new Box(10, 10, 280, 40)))
        .isLessThan(PlateReadingFilter.LAMP_FRACTION);
  }
}
