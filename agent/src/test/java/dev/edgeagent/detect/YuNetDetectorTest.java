package dev.edgeagent.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeagent.TestAssets;
import dev.edgeagent.config.ConfigLoader;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/** YuNet-n with its committed, pinned weights on real photographs. */
class YuNetDetectorTest {
  /** Hand-checked in models/eval/real_annotations.json: the player's face, brow to chin, ear to ear. */
  static final Box MESSI = new Box(218, 86, 44, 50);
  static OnnxModel model;

  @BeforeAll
  static void load() throws Exception {
    dev.edgeagent.capture.OpenCv.ensureLoaded();
    model = OnnxModel.loadOwn(OwnModelManifest.load(), ConfigLoader.home(), "yunet-n",
        InferenceProvider.CPU, 1);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  static YuNetDetector detector(double threshold, double upscale, int maxPassPx, double verify) {
    return new YuNetDetector(model, new YuNetDetector.Params(threshold, upscale, maxPassPx, verify, 3, false, 0),
        (m, n) -> { });
  }

  @Test
  void findsThePlayersFaceWithFiveLandmarksOnIt() throws Exception {
    Mat img = TestAssets.image("messi5.jpg");
    List<Detection> faces = detector(0.5, 1, 1920, 0).detect(img);
    Detection face = faces.stream().max((a, b) -> Double.compare(a.box().iou(MESSI), b.box().iou(MESSI)))
        .orElseThrow();
    assertThat(face.cls()).isEqualTo(ObjectClass.FACE);
    assertThat(face.box().iou(MESSI)).isGreaterThan(0.4);
    assertThat(face.score()).isBetween(0.5, 1.0);
    // Five key points inside the grown box; both eyes above the mouth corners.
    assertThat(face.landmarks()).hasSize(5).allSatisfy(p -> {
      assertThat(p.x()).isBetween(face.box().x() - 5, face.box().right() + 5);
      assertThat(p.y()).isBetween(face.box().y() - 5, face.box().bottom() + 5);
    });
    assertThat(face.landmarks().get(0).y()).isLessThan(face.landmarks().get(3).y());
    assertThat(face.landmarks().get(1).y()).isLessThan(face.landmarks().get(4).y());
  }

  @Test
  void aFaceShrunkTo12PxIsFoundByTheEnlargedPass() throws Exception {
    // messi5 shrunk 4x: the face is about 11 x 12 px, under what YuNet's stride-8 priors see well.
    Mat img = TestAssets.image("messi5.jpg");
    Mat small = new Mat();
    Imgproc.resize(img, small, new Size(img.cols() / 4.0, img.rows() / 4.0), 0, 0, Imgproc.INTER_AREA);
    Box truth = MESSI.scale(0.25, 0.25, 0, 0);
    List<Detection> enlarged = detector(0.5, 3, 1920, 0).detect(small);
    assertThat(enlarged).anySatisfy(d -> assertThat(d.box().iou(truth)).isGreaterThan(0.3));
  }

  @Test
  void tilesOfA4kFrameFindTheSameFaceAsOnePassAndMergeIntoOneBox() throws Exception {
    // messi5 enlarged 7x (3836 x 2394): the face straddles nothing special, but the frame needs tiles.
    Mat img = TestAssets.image("messi5.jpg");
    Mat big = new Mat();
    Imgproc.resize(img, big, new Size(img.cols() * 7, img.rows() * 7), 0, 0, Imgproc.INTER_LINEAR);
    Box truth = MESSI.scale(7, 7, 0, 0);
    assertThat(YuNetDetector.passes(big.cols(), big.rows(), detector(0.5, 1, 1920, 0).params()))
        .hasSizeGreaterThan(2);
    List<Detection> faces = detector(0.5, 1, 1920, 0).detect(big);
    assertThat(faces.stream().filter(d -> d.box().iou(truth) > 0.3)).hasSize(1);
  }

  @Test
  void theSecondLookKeepsTheRealFaceAndEveryKeptFaceReachesTheVerifyScore() throws Exception {
    Mat img = TestAssets.image("messi5.jpg");
    List<Detection> faces = detector(0.2, 1, 1920, 0.6).detect(img);
    assertThat(faces).anySatisfy(d -> assertThat(d.box().iou(MESSI)).isGreaterThan(0.4));
    assertThat(faces).allSatisfy(d -> assertThat(d.score()).isGreaterThanOrEqualTo(0.6));
    // Without the second look the same low search threshold keeps weaker candidates too.
    assertThat(detector(0.2, 1, 1920, 0).detect(img).size()).isGreaterThanOrEqualTo(faces.size());
  }

  @Test
  void aBlankFrameHasNoFaces() throws Exception {
    Mat blank = Mat.zeros(720, 1280, org.opencv.core.CvType.CV_8UC3);
    Core.add(blank, new org.opencv.core.Scalar(90, 90, 90), blank);
    assertThat(detector(0.5, 2, 1920, 0).detect(blank)).isEmpty();
  }

  @Test
  void passesCoverTheFrameWithBoundedInputs() {
    YuNetDetector.Params p = new YuNetDetector.Params(0.5, 1, 1920, 0, 3, false, 0);
    // 1080p at its own size: one run of 1920 x 1088.
    assertThat(YuNetDetector.passes(1920, 1080, p)).containsExactly(
        new YuNetDetector.Pass(new Rect(0, 0, 1920, 1080), 1.0));
    // 4K: overlapping 1920 px tiles, plus the whole frame shrunk to 1920 for large faces.
    List<YuNetDetector.Pass> k4 = YuNetDetector.passes(3840, 2160, p);
    assertThat(k4).allSatisfy(x -> assertThat(Math.max(x.region().width, x.region().height) * x.scale())
        .isLessThanOrEqualTo(1920));
    assertThat(k4).contains(new YuNetDetector.Pass(new Rect(0, 0, 3840, 2160), 0.5));
    // 720p enlarged 2x: tiles of 960 frame px (1920 input px) covering every pixel.
    List<YuNetDetector.Pass> up = YuNetDetector.passes(1280, 720,
        new YuNetDetector.Params(0.5, 2, 1920, 0, 3, false, 0));
    List<YuNetDetector.Pass> enlarged = up.stream().filter(x -> x.scale() == 2).toList();
    assertThat(enlarged).allSatisfy(x -> assertThat(x.region().width).isLessThanOrEqualTo(960));
    assertThat(enlarged.stream().mapToInt(x -> x.region().x + x.region().width).max().orElse(0)).isEqualTo(1280);
    assertThat(enlarged.stream().mapToInt(x -> x.region().x).min().orElse(1)).isZero();
  }

  @Test
  void aBoxCutByAnInnerSeamIsLeftToTheNeighbourAndLargeFacesToTheFramesOwnResolution() {
    YuNetDetector.Pass leftTile = new YuNetDetector.Pass(new Rect(0, 0, 960, 720), 2.0);
    // Touches the tile's right edge at x = 960, which is inside the 1280 px frame: cut.
    assertThat(leftTile.keeps(face(940, 100, 20, 24), 1280, 720)).isFalse();
    // Touches the frame's own left edge: not a seam, kept.
    assertThat(leftTile.keeps(face(0, 100, 20, 24), 1280, 720)).isTrue();
    // Whole inside, but 60 px tall: the enlarged pass leaves it to the native pass.
    assertThat(leftTile.keeps(face(300, 100, 50, 60), 1280, 720)).isFalse();
    YuNetDetector.Pass whole = new YuNetDetector.Pass(new Rect(0, 0, 1280, 720), 1.0);
    assertThat(whole.keeps(face(1200, 600, 80, 120), 1280, 720)).isTrue();
  }

  static Detection face(double x, double y, double w, double h) {
    return new Detection(ObjectClass.FACE, new Box(x, y, w, h), 0.9);
  }

  @Test
  void aHeadTiltedBy35DegreesIsFoundByTheTurnedPassesAndMappedBackOntoIt() throws Exception {
    Mat img = TestAssets.image("messi5.jpg");
    double cx = MESSI.x() + MESSI.w() / 2;
    double cy = MESSI.y() + MESSI.h() / 2;
    try (AffineView tilted = AffineView.rotated(img, 35)) {
      // Where the face centre went in the tilted photo: invert the view's own back-mapping.
      org.opencv.core.Mat fwd = Imgproc.getRotationMatrix2D(new org.opencv.core.Point(img.cols() / 2.0,
          img.rows() / 2.0), 35, 1.0);
      double[] m = new double[6];
      fwd.get(0, 0, m);
      double tx = m[0] * cx + m[1] * cy + m[2];
      double ty = m[3] * cx + m[4] * cy + m[5];
      YuNetDetector turned = new YuNetDetector(model, new YuNetDetector.Params(0.5, 1, 1920, 0, 3, false, 35),
          (a, b) -> { });
      List<Detection> faces = turned.detect(tilted.image());
      assertThat(faces).anySatisfy(d -> {
        assertThat(d.box().x()).isLessThan(tx);
        assertThat(d.box().right()).isGreaterThan(tx);
        assertThat(d.box().y()).isLessThan(ty);
        assertThat(d.box().bottom()).isGreaterThan(ty);
        assertThat(d.box().w()).isBetween(MESSI.w() * 0.6, MESSI.w() * 2.5);
      });
    }
  }

  @Test
  void aMirroredViewMapsItsBoxesBackOntoTheSameFace() throws Exception {
    Mat img = TestAssets.image("messi5.jpg");
    try (AffineView mirrored = AffineView.mirrored(img)) {
      Box seen = new Box(img.cols() - MESSI.right(), MESSI.y(), MESSI.w(), MESSI.h());
      Detection back = mirrored.toFrame(new Detection(ObjectClass.FACE, seen, 0.9));
      assertThat(back.box().iou(MESSI)).isGreaterThan(0.99);
    }
    YuNetDetector both = new YuNetDetector(model, new YuNetDetector.Params(0.5, 1, 1920, 0, 3, true, 0),
        (a, b) -> { });
    assertThat(both.detect(img).stream().filter(d -> d.box().iou(MESSI) > 0.3)).hasSize(1);
  }

  @Test
  void closeUpsShareOneMosaicAndEachLookMapsBackToItsOwnCandidate() throws Exception {
    Mat img = TestAssets.image("messi5.jpg");
    Rect around = FaceDetector.contextRect(MESSI, 3, img.cols(), img.rows());
    Rect elsewhere = new Rect(400, 250, 60, 60);
    try (CloseUpMosaic mosaic = CloseUpMosaic.of(img, List.of(elsewhere, around), List.of(2.0, 1.0))) {
      assertThat(mosaic.size()).isEqualTo(2);
      List<Detection> looks = detector(0.5, 1, 1920, 0).detect(mosaic.image());
      // The face is found in the second cell only, and maps back onto the player's face.
      assertThat(looks).anySatisfy(v -> {
        assertThat(mosaic.cellOf(v)).isEqualTo(1);
        assertThat(mosaic.toFrame(v, 1).box().iou(MESSI)).isGreaterThan(0.4);
      });
      assertThat(looks).noneSatisfy(v -> assertThat(mosaic.cellOf(v)).isZero());
    }
  }
}
