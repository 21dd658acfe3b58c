package dev.edgeagent.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeagent.TestAssets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/** The PP-OCRv4 text detector with the real pinned weights, as the plate detector. */
class PlateDetectorTest {
  static OnnxModel model;

  @BeforeAll
  static void load() throws Exception {
    model = OnnxModel.load(ModelManifest.load(), TestAssets.modelsDir(), "ppocr-v4-det",
        InferenceProvider.CPU, 1);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  static PlateDetector detector() {
    return new PlateDetector(model, new TextDetectionTranslator.Params(960, 0.3, 0.5, 1.6, 6, 1.0, 15),
        0, 0, null, (m, n) -> { });
  }

  /** Draws a plate (white, black border, dark characters) on a real photo; returns the text box. */
  static Box drawPlate(Mat img, int x, int y, String text, double fontScale) {
    int[] baseline = new int[1];
    Size ts = Imgproc.getTextSize(text, Imgproc.FONT_HERSHEY_SIMPLEX, fontScale, 2, baseline);
    int pad = (int) (ts.height * 0.5);
    Imgproc.rectangle(img, new Point(x, y), new Point(x + ts.width + 2 * pad, y + ts.height + 2 * pad + baseline[0]),
        new Scalar(235, 235, 235), -1);
    Imgproc.rectangle(img, new Point(x, y), new Point(x + ts.width + 2 * pad, y + ts.height + 2 * pad + baseline[0]),
        new Scalar(20, 20, 20), 2);
    Imgproc.putText(img, text, new Point(x + pad, y + pad + ts.height), Imgproc.FONT_HERSHEY_SIMPLEX,
        fontScale, new Scalar(25, 25, 25), 2);
    return new Box(x + pad, y + pad, ts.width, ts.height);
  }

  @Test
  void findsASyntheticPlateOnARealPhotoAndCoversItsCharacters() throws Exception {
    Mat img = TestAssets.image("messi5.jpg");
    Box text = drawPlate(img, 30, 270, "KA05 MX 2391", 0.8);
    List<Detection> plates = detector().detect(img);
    assertThat(plates).anySatisfy(d -> {
      assertThat(d.cls()).isEqualTo(ObjectClass.PLATE);
      assertThat(d.box().intersection(text) / text.area()).isGreaterThan(0.9);
    });
  }

  @Test
  void findsTheSignTextInSceneText01() throws Exception {
    Mat img = TestAssets.image("scenetext01.jpg");
    List<Detection> regions = detector().detect(img);
    // Hand-checked: the sign's text block lies within x 255..445, y 25..260 of the 800x600 photo.
    Box sign = new Box(255, 25, 190, 235);
    assertThat(regions.stream().filter(d -> d.box().intersection(sign) > 0.5 * d.box().area())).isNotEmpty();
  }

  @Test
  void inputSizeIsAMultipleOf32AndBounded() {
    TextDetectionTranslator t = new TextDetectionTranslator(new TextDetectionTranslator.Params(960, 0.3, 0.5, 1.6, 6, 1, 15));
    int[] hw = t.inputSize(1920, 1080);
    assertThat(hw[0] % 32).isZero();
    assertThat(hw[1] % 32).isZero();
    assertThat(Math.max(hw[0], hw[1])).isLessThanOrEqualTo(960);
  }
}
