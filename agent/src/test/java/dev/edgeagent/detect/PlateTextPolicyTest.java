package dev.edgeagent.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgeagent.TestAssets;
import dev.edgeagent.capture.FrameMeta;
import dev.edgeagent.capture.RawFrame;
import dev.edgeagent.config.ConfigLoader;
import dev.edgeagent.health.AgentMetrics;
import dev.edgeagent.pipeline.Components;
import dev.edgeagent.pipeline.FrameProcessor;
import dev.edgeagent.track.BoxTracker;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;

/**
 * detect.plate_text_policy with the real text detector and plate crop classifier, on a real
 * photo with a plate drawn on it: all_text keeps every plate-shaped text line, plates keeps only
 * the grown boxes the classifier confirms, and a classifier that fails drops the frame.
 */
class PlateTextPolicyTest {
  static OnnxModel text;
  static OnnxModel cls;
  static TextDetectionTranslator.Params params;
  /** messi5.jpg with a plate drawn on it, and the drawn plate's characters. */
  static Mat img;
  static Box drawnText;

  @BeforeAll
  static void load() throws Exception {
    text = OnnxModel.load(ModelManifest.load(), TestAssets.modelsDir(), "ppocr-v4-det", InferenceProvider.CPU, 1);
    cls = OnnxModel.loadOwn(OwnModelManifest.load(), ConfigLoader.home(), "plate-cls", InferenceProvider.CPU, 1);
    params = Components.plateParams(TestAssets.config(Map.of()));
    img = TestAssets.image("messi5.jpg");
    drawnText = PlateDetectorTest.drawPlate(img, 30, 270, "KA05 MX 2391", 0.8);
  }

  @AfterAll
  static void close() {
    text.close();
    cls.close();
  }

  static PlateDetector detector(PlateCropVerifier verifier) {
    return new PlateDetector(text, params, 0.15, 0.5, verifier, (m, n) -> { });
  }

  static PlateCropVerifier verifier(OnnxModel m, double threshold) {
    return new PlateCropVerifier(m, threshold, (a, b) -> { });
  }

  static boolean isTheDrawnPlate(Detection d) {
    return d.box().intersection(drawnText) / drawnText.area() > 0.9;
  }

  @Test
  void allTextKeepsEveryPlateShapedTextLineAndNamesOnlyTheTextModel() throws Exception {
    PlateDetector allText = detector(null);
    List<Detection> lines = allText.detect(img);
    assertThat(lines).anyMatch(PlateTextPolicyTest::isTheDrawnPlate);
    // Lines the classifier takes for no plate (on messi5's jersey and shadows) are kept too.
    assertThat(verifier(cls, 0.5).confirm(img, lines)).hasSizeLessThan(lines.size());
    assertThat(allText.models()).extracting(ModelInfo::id).containsExactly("ppocr-v4-det");
  }

  @Test
  void platesKeepsExactlyTheGrownBoxesTheClassifierConfirmsAndNamesItsModel() throws Exception {
    PlateCropVerifier v = verifier(cls, 0.5);
    PlateDetector plates = detector(v);
    List<Detection> lines = detector(null).detect(img);
    List<Detection> kept = plates.detect(img);
    // The classifier scored the grown boxes all_text returns, with its own crop rule.
    assertThat(kept).isEqualTo(v.confirm(img, lines));
    assertThat(kept).isNotEmpty().hasSizeLessThan(lines.size());
    assertThat(kept).allSatisfy(d -> {
      assertThat(d.score()).isGreaterThanOrEqualTo(0.5);
      assertThat(lines).extracting(Detection::box).contains(d.box());
    });
    assertThat(kept).anyMatch(PlateTextPolicyTest::isTheDrawnPlate);
    assertThat(plates.models()).extracting(ModelInfo::id).containsExactly("ppocr-v4-det", "plate-cls");
  }

  @Test
  void aClassifierThatFailsIsADetectorErrorAndTheFrameIsDropped() throws Exception {
    // The plate-map network in the classifier's place: a real model with the wrong contract.
    try (OnnxModel wrong = OnnxModel.loadOwn(OwnModelManifest.load(), ConfigLoader.home(), "plate-det-s4",
        InferenceProvider.CPU, 1)) {
      PlateDetector broken = detector(verifier(wrong, 0.5));
      assertThatThrownBy(() -> broken.detect(img)).isInstanceOf(DetectorException.class)
          .hasMessageContaining("plate classifier");
      AgentMetrics metrics = new AgentMetrics();
      try (Components c = Components.build(TestAssets.config(Map.of("detect.faces", false, "detect.plates", false,
          "detect.plate_map", false)), metrics, List.of(broken))) {
        Mat frame = img.clone();
        FrameProcessor.Outcome o = new FrameProcessor(c).process(new RawFrame(
            new FrameMeta("cam", 1, 0, 0, frame.cols(), frame.rows(), "plate.jpg"), frame), new BoxTracker(0));
        assertThat(o.frame()).isNull();
        assertThat(o.dropped()).isEqualTo(DropReason.DETECTOR_ERROR); // it takes one crop a run, not three
        assertThat(metrics.total("dropped." + o.dropped().label())).isEqualTo(1);
      }
    }
  }

  @Test
  void theDefaultPolicyVerifiesTextLinesWithTheSessionThePlateMapShares() throws Exception {
    try (Components c = Components.build(TestAssets.config(Map.of("detect.faces", false, "detect.plate_map", true)),
        new AgentMetrics())) {
      assertThat(c.models()).extracting(m -> m.info().id()).containsOnlyOnce("plate-cls");
      assertThat(c.detection().models()).extracting(ModelInfo::id)
          .containsExactly("ppocr-v4-det", "plate-cls", "plate-det-s4");
      assertThat(c.detection().detect(img)).filteredOn(d -> d.cls() == ObjectClass.PLATE)
          .anyMatch(PlateTextPolicyTest::isTheDrawnPlate)
          .allSatisfy(d -> assertThat(d.score()).isGreaterThanOrEqualTo(0.3));
    }
    try (Components c = Components.build(TestAssets.config(Map.of("detect.faces", false,
        "detect.plate_text_policy", "all_text")), new AgentMetrics())) {
      assertThat(c.models()).extracting(m -> m.info().id()).containsExactly("ppocr-v4-det");
      assertThat(c.detection().detect(img)).hasSameSizeAs(detector(null).detect(img));
    }
  }
}
