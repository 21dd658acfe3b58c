package dev.edgeagent.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeagent.TestAssets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.opencv.core.Rect;

/** BlazeFace with the real pinned weights on real photographs, boxes checked by eye beforehand. */
class FaceDetectorTest {
  static OnnxModel model;

  @BeforeAll
  static void load() throws Exception {
    model = OnnxModel.load(ModelManifest.load(), TestAssets.modelsDir(), "blazeface-back-256",
        InferenceProvider.CPU, 1);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  static FaceDetector detector(int tiles) {
    return new FaceDetector(model, 0.5, tiles, 0.2, (m, n) -> { });
  }

  @Test
  void findsTheFaceInMessi5WhereItWasCheckedByEye() throws Exception {
    Mat img = TestAssets.image("messi5.jpg");
    List<Detection> faces = detector(1).detect(img);
    // Hand-checked: the player's face (brow to chin, ear to ear) spans about x 218..262, y 86..136.
    Box truth = new Box(218, 86, 44, 50);
    assertThat(faces).anySatisfy(d -> {
      assertThat(d.cls()).isEqualTo(ObjectClass.FACE);
      assertThat(d.box().iou(truth)).isGreaterThan(0.4);
      assertThat(d.score()).isBetween(0.5, 1.0);
    });
  }

  @Test
  void tilingStillFindsTheFaceAndMergesDuplicates() throws Exception {
    Mat img = TestAssets.image("messi5.jpg");
    List<Detection> faces = detector(2).detect(img);
    Box truth = new Box(218, 86, 44, 50);
    assertThat(faces.stream().filter(d -> d.box().iou(truth) > 0.3)).hasSize(1);
  }

  @Test
  void theSecondLookKeepsARealFaceAndDropsWhatItCannotConfirm() throws Exception {
    Mat img = TestAssets.image("messi5.jpg");
    Box truth = new Box(218, 86, 44, 50);
    // Search low (0.3), confirm at 0.5: the real face survives with a box on it.
    List<Detection> confirmed = new FaceDetector(model, 0.3, 1, 0, 0.2, 0.5, 5, (m, n) -> { }).detect(img);
    assertThat(confirmed).anySatisfy(d -> assertThat(d.box().iou(truth)).isGreaterThan(0.4));
    assertThat(confirmed).allSatisfy(d -> assertThat(d.score()).isGreaterThanOrEqualTo(0.5));
    List<Detection> unconfirmed = new FaceDetector(model, 0.3, 1, 0, 0.2, 0, 5, (m, n) -> { }).detect(img);
    assertThat(unconfirmed.size()).isGreaterThanOrEqualTo(confirmed.size());
    // A confirmation bar no close-up reaches removes every candidate.
    assertThat(new FaceDetector(model, 0.3, 1, 0, 0.2, 1.0, 5, (m, n) -> { }).detect(img)).isEmpty();
  }

  @Test
  void theCloseUpIsCentredOnTheCandidateAndClippedToTheFrame() {
    Rect inside = FaceDetector.contextRect(new Box(100, 100, 20, 10), 5, 640, 480);
    assertThat(inside).isEqualTo(new Rect(60, 55, 100, 100));
    Rect corner = FaceDetector.contextRect(new Box(0, 0, 20, 20), 5, 640, 480);
    assertThat(corner).isEqualTo(new Rect(0, 0, 60, 60));
  }

  @Test
  void findsNoFaceInAPhotoWithoutPeople() throws Exception {
    Mat img = TestAssets.image("licenseplate_motion.jpg");
    assertThat(detector(1).detect(img)).isEmpty();
  }

  @Test
  void fixedSizeTilesCoverEveryPixelAndOverlap() {
    List<Rect> tiles = FaceDetector.fixedTiles(1920, 1080, 256, 0.2);
    assertThat(tiles).allSatisfy(r -> {
      assertThat(r.width).isEqualTo(256);
      assertThat(r.height).isEqualTo(256);
      assertThat(r.x + r.width).isLessThanOrEqualTo(1920);
      assertThat(r.y + r.height).isLessThanOrEqualTo(1080);
    });
    boolean[][] covered = new boolean[1080][1920];
    tiles.forEach(r -> {
      for (int y = r.y; y < r.y + r.height; y++) {
        java.util.Arrays.fill(covered[y], r.x, r.x + r.width, true);
      }
    });
    long uncovered = 0;
    for (boolean[] row : covered) {
      for (boolean c : row) {
        uncovered += c ? 0 : 1;
      }
    }
    assertThat(uncovered).isZero();
    // neighbours overlap by at least 20% of a tile
    assertThat(tiles.get(1).x - tiles.get(0).x).isLessThanOrEqualTo((int) (256 * 0.8));
    assertThat(FaceDetector.fixedTiles(200, 100, 256, 0.2)).singleElement()
        .satisfies(r -> assertThat(r.width).isEqualTo(200));
  }

  @Test
  void tilesCoverTheWholeFrameWithOverlap() {
    List<Rect> tiles = FaceDetector.tileRects(1280, 720, 2, 0.2);
    assertThat(tiles).hasSize(4);
    assertThat(tiles.get(0).x).isZero();
    assertThat(tiles.get(3).x + tiles.get(3).width).isEqualTo(1280);
    assertThat(tiles.get(3).y + tiles.get(3).height).isEqualTo(720);
    assertThat(tiles.get(0).x + tiles.get(0).width).isGreaterThan(tiles.get(1).x);
  }
}
