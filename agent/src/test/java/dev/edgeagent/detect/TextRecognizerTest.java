package dev.edgeagent.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgeagent.TestAssets;
import dev.edgeagent.pipeline.Components;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;

/** The PP-OCRv4 recogniser through TextRecognizer: real model, real pinned character list. */
class TextRecognizerTest {
  static OnnxModel model;
  static TextRecognizer recognizer;

  @BeforeAll
  static void load() throws Exception {
    model = loadModel();
    recognizer = recognizer(model);
  }

  /** The fetched, pinned recogniser model (the caller closes it). */
  static OnnxModel loadModel() throws ModelLoadException {
    return OnnxModel.load(ModelManifest.load(), TestAssets.modelsDir(), "ppocr-v4-rec", InferenceProvider.CPU, 1);
  }

  /** A recogniser on {@code model} with the pinned character list, timing nothing. */
  static TextRecognizer recognizer(OnnxModel model) throws ModelLoadException {
    return new TextRecognizer(model, TextRecognizer.loadCharacters(ModelManifest.load(), TestAssets.modelsDir(),
        Components.PLATE_READER_CHARACTERS), (a, b) -> { });
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void readsDrawnPlatesAndLinesOfDifferentWidthsInOneBatch() throws Exception {
    Mat img = TestAssets.image("messi5.jpg");
    Box plate = PlateDetectorTest.drawPlate(img, 30, 270, "KA05 MX 2391", 0.8);
    Box short_ = PlateDetectorTest.drawPlate(img, 330, 40, "8FV480", 0.9);
    Box outside = new Box(5000, 5000, 40, 10);
    List<TextRecognizer.Reading> r = recognizer.read(img, List.of(plate, short_, outside));
    assertThat(r).hasSize(3);
    assertThat(PlateText.alnum(r.get(0).text())).isEqualTo("KA05MX2391");
    assertThat(PlateText.alnum(r.get(1).text())).isEqualTo("8FV480");
    assertThat(r.get(0).confidence()).isGreaterThan(0.8);
    assertThat(r.get(2)).isEqualTo(new TextRecognizer.Reading("", 0));
  }

  @Test
  void aBlankLineReadsAsNothingOrNearlyNothing() throws Exception {
    Mat grey = new Mat(100, 300, CvType.CV_8UC3, new Scalar(128, 128, 128));
    TextRecognizer.Reading r = recognizer.read(grey, List.of(new Box(20, 30, 200, 30))).get(0);
    assertThat(PlateText.judge(r.text(), r.confidence(), 0.5)).isEqualTo(PlateText.Verdict.UNREADABLE);
  }

  @Test
  void inputWidthKeepsTheAspectInMultiplesOfEightWithinBounds() {
    assertThat(TextRecognizer.inputWidth(new Rect(0, 0, 200, 48))).isEqualTo(200);
    assertThat(TextRecognizer.inputWidth(new Rect(0, 0, 101, 24))).isEqualTo(208);
    assertThat(TextRecognizer.inputWidth(new Rect(0, 0, 5, 40))).isEqualTo(16);
    assertThat(TextRecognizer.inputWidth(new Rect(0, 0, 4000, 20))).isEqualTo(TextRecognizer.MAX_WIDTH);
  }

  @Test
  void aCharacterListThatIsNotThePinnedOneIsRefused(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("ppocr-keys-v1.txt"), "a\nb\n");
    assertThatThrownBy(() -> TextRecognizer.loadCharacters(ModelManifest.load(), dir, "ppocr-keys-v1"))
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("sha256");
    assertThatThrownBy(() -> TextRecognizer.loadCharacters(ModelManifest.load(), dir.resolve("none"), "ppocr-keys-v1"))
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("fetch-models.sh");
  }
}
