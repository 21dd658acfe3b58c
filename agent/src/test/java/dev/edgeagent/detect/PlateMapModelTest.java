package dev.edgeagent.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeagent.TestAssets;
import dev.edgeagent.capture.OpenCv;
import dev.edgeagent.config.ConfigLoader;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.imgproc.Imgproc;

/** The committed plate-map network, loaded through its pin, on a plate drawn here and on a real photo. */
class PlateMapModelTest {
  static OnnxModel model;

  @BeforeAll
  static void load() throws Exception {
    OpenCv.ensureLoaded();
    model = OnnxModel.loadOwn(OwnModelManifest.load(), ConfigLoader.home(), "plate-det-s4",
        InferenceProvider.CPU, 1);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  static PlateMapDetector detector() {
    return new PlateMapDetector(model, new PlateMapDetector.Params(1920, 0.6, 0.8, 0.125, 4, 2), null, null,
        (m, n) -> { });
  }

  /** A white plate with a dark border and dark characters on a real photo. */
  static Mat photoWithPlate(Rect plate) {
    Mat img = TestAssets.image("messi5.jpg");
    Imgproc.rectangle(img, plate, new Scalar(235, 235, 235), -1);
    Imgproc.rectangle(img, plate, new Scalar(20, 20, 20), 2);
    Imgproc.putText(img, "KR 482 TX", new Point(plate.x + 6, plate.y + plate.height * 0.78),
        Imgproc.FONT_HERSHEY_DUPLEX, plate.height / 36.0, new Scalar(15, 15, 15), 2);
    return img;
  }

  @Test
  void findsADrawnPlateAndBoxesItWhole() throws Exception {
    Rect plate = new Rect(30, 280, 170, 38);
    List<Detection> found = detector().detect(photoWithPlate(plate));
    Box truth = new Box(plate.x, plate.y, plate.width, plate.height);
    assertThat(found).anySatisfy(d -> {
      assertThat(d.cls()).isEqualTo(ObjectClass.PLATE);
      assertThat(d.box().intersection(truth) / truth.area()).isGreaterThan(0.8);
    });
  }

  @Test
  void everyBoxLiesInsideTheFrameAndScoresAProbability() throws Exception {
    Mat img = TestAssets.image("scenetext06.jpg");
    for (Detection d : detector().detect(img)) {
      assertThat(d.box().x()).isGreaterThanOrEqualTo(0);
      assertThat(d.box().right()).isLessThanOrEqualTo(img.cols());
      assertThat(d.box().bottom()).isLessThanOrEqualTo(img.rows());
      assertThat(d.score()).isBetween(0.8, 1.0);
    }
  }

  @Test
  void switchedOnInTheConfigItRunsBesideTheTextDetectorAndIsNamedInTheModelList() throws Exception {
    try (dev.edgeagent.pipeline.Components c = dev.edgeagent.pipeline.Components.build(
        TestAssets.config(java.util.Map.of("detect.plate_map", true)), new dev.edgeagent.health.AgentMetrics())) {
      assertThat(c.detection().models()).extracting(ModelInfo::id)
          .contains("yunet-n", "ppocr-v4-det", "plate-det-s4");
      Rect plate = new Rect(30, 280, 170, 38);
      Box truth = new Box(plate.x, plate.y, plate.width, plate.height);
      assertThat(c.detection().detect(photoWithPlate(plate)))
          .anySatisfy(d -> assertThat(d.box().intersection(truth) / truth.area()).isGreaterThan(0.8));
    }
  }
}
