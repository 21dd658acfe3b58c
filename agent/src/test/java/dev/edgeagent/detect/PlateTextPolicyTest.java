package dev.edgeagent.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgeagent.TestAssets;
import dev.edgeagent.capture.FrameMeta;
import dev.edgeagent.capture.RawFrame;
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
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.imgproc.Imgproc;

/**
 * detect.plate_text_policy with the real text detector and recogniser, on a real photo with a
 * plate, a sign and a video timestamp drawn on it: all_text keeps every plate-shaped text line,
 * plates keeps the plate and leaves the sign and the timestamp, and a recogniser that fails
 * drops the frame.
 */
class PlateTextPolicyTest {
  static OnnxModel text;
  static OnnxModel rec;
  static TextDetectionTranslator.Params params;
  /** messi5.jpg with a plate, a sign and a timestamp drawn on it. */
  static Mat img;
  static Box drawnPlate;
  static Box drawnSign;
  static Box drawnClock;

  @BeforeAll
  static void load() throws Exception {
    ModelManifest manifest = ModelManifest.load();
    text = OnnxModel.load(manifest, TestAssets.modelsDir(), "ppocr-v4-det", InferenceProvider.CPU, 1);
    rec = TextRecognizerTest.loadModel();
    params = Components.plateParams(TestAssets.config(Map.of()));
    img = TestAssets.image("messi5.jpg");
    drawnPlate = PlateDetectorTest.drawPlate(img, 30, 270, "KA05 MX 2391", 0.8);
    drawnSign = PlateDetectorTest.drawPlate(img, 300, 20, "EXIT ONLY", 0.9);
    drawnClock = drawText(img, 290, 200, "2014-05-08 14:12:59");
  }

  /** White overlay text with a dark outline, as a dash camera stamps it; returns the glyphs' box. */
  static Box drawText(Mat m, int x, int y, String s) {
    Imgproc.putText(m, s, new Point(x, y), Imgproc.FONT_HERSHEY_SIMPLEX, 0.7, new Scalar(0, 0, 0), 4);
    Imgproc.putText(m, s, new Point(x, y), Imgproc.FONT_HERSHEY_SIMPLEX, 0.7, new Scalar(255, 255, 255), 2);
    int[] baseline = new int[1];
    org.opencv.core.Size ts = Imgproc.getTextSize(s, Imgproc.FONT_HERSHEY_SIMPLEX, 0.7, 2, baseline);
    return new Box(x, y - ts.height, ts.width, ts.height);
  }

  @AfterAll
  static void close() {
    text.close();
    rec.close();
  }

  static PlateDetector detector(PlateReadingFilter filter) {
    return new PlateDetector(text, params, 0.15, 0.5, filter, (m, n) -> { });
  }

  static PlateReadingFilter reader(OnnxModel m) throws ModelLoadException {
    return new PlateReadingFilter(TextRecognizerTest.recognizer(m),
        new PlateReadingFilter.Params(6, 0.5, true));
  }

  static boolean covers(Detection d, Box b) {
    return d.box().intersection(b) / b.area() > 0.9;
  }

  @Test
  void allTextKeepsThePlateTheSignAndTheTimestampAndNamesOnlyTheTextModel() throws Exception {
    PlateDetector allText = detector(null);
    List<Detection> lines = allText.detect(img);
    assertThat(lines).anyMatch(d -> covers(d, drawnPlate)).anyMatch(d -> covers(d, drawnSign))
        .anyMatch(d -> covers(d, drawnClock));
    assertThat(allText.models()).extracting(ModelInfo::id).containsExactly("ppocr-v4-det");
  }

  @Test
  void platesKeepsThePlateAndLeavesTheSignAndTheTimestamp() throws Exception {
    PlateDetector plates = detector(reader(rec));
    List<Detection> kept = plates.detect(img);
    List<Detection> all = detector(null).detect(img);
    assertThat(kept).anyMatch(d -> covers(d, drawnPlate));
    assertThat(kept).noneMatch(d -> d.box().intersection(drawnSign) > 0);
    assertThat(kept).noneMatch(d -> d.box().intersection(drawnClock) > 0);
    // What is kept is a subset of what all_text returns, boxes unchanged.
    assertThat(all).extracting(Detection::box).containsAll(kept.stream().map(Detection::box).toList());
    assertThat(plates.models()).extracting(ModelInfo::id).containsExactly("ppocr-v4-det", "ppocr-v4-rec");
  }

  @Test
  void aRecogniserThatFailsIsADetectorErrorAndTheFrameIsDropped() throws Exception {
    // The text detector in the recogniser's place: a real model with the wrong contract.
    PlateDetector broken = detector(reader(text));
    assertThatThrownBy(() -> broken.detect(img)).isInstanceOf(DetectorException.class)
        .hasMessageContaining("text recogniser");
    AgentMetrics metrics = new AgentMetrics();
    try (Components c = Components.build(TestAssets.config(Map.of("detect.faces", false, "detect.plates", false,
        "detect.plate_map", false)), metrics, List.of(broken))) {
      Mat frame = img.clone();
      FrameProcessor.Outcome o = new FrameProcessor(c).process(new RawFrame(
          new FrameMeta("cam", 1, 0, 0, frame.cols(), frame.rows(), "plate.jpg"), frame), new BoxTracker(0));
      assertThat(o.frame()).isNull();
      assertThat(o.dropped()).isIn(DropReason.DETECTOR_ERROR, DropReason.DETECTOR_BAD_OUTPUT);
      assertThat(metrics.total("dropped." + o.dropped().label())).isEqualTo(1);
    }
  }

  @Test
  void theDefaultPolicyReadsTextLinesAndPlateMapBoxesWithOneSession() throws Exception {
    try (Components c = Components.build(TestAssets.config(Map.of("detect.faces", false, "detect.plate_map", true)),
        new AgentMetrics())) {
      assertThat(c.models()).extracting(m -> m.info().id()).containsOnlyOnce("ppocr-v4-rec");
      assertThat(c.detection().models()).extracting(ModelInfo::id)
          .containsExactly("ppocr-v4-det", "ppocr-v4-rec", "plate-det-s4", "plate-cls");
      assertThat(c.detection().detect(img)).filteredOn(d -> d.cls() == ObjectClass.PLATE)
          .anyMatch(d -> covers(d, drawnPlate));
    }
    try (Components c = Components.build(TestAssets.config(Map.of("detect.faces", false,
        "detect.plate_text_policy", "all_text")), new AgentMetrics())) {
      assertThat(c.models()).extracting(m -> m.info().id()).containsExactly("ppocr-v4-det");
      assertThat(c.detection().detect(img)).hasSameSizeAs(detector(null).detect(img));
    }
  }
}
