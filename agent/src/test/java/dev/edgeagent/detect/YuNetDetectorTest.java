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
    model = OnnxModel.loadOwn(OwnModelManifest.load(), ConfigLoader.home(), "yunet-n",
        InferenceProvider.CPU, 1);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  static YuNetDetector detector(double threshold, double upscale, int maxPassPx, double verify) {
    return new YuNetDetector(model, new YuNetDetector.Params(threshold, upscale, maxPassPx, verify, 3),
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
  void aFaceShrunkTo12PxIsFoundOnlyWithTheEnlargedPassOrTheSecondLook() throws Exception {
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
    YuNetDetector.Params p = new YuNetDetector.Params(0.5, 1, 1920, 0, 3);
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
        new YuNetDetector.Params(0.5, 2, 1920, 0, 3));
    List<YuNetDetector.Pass> enlarged = up.stream().filter(x -> x.scale() == 2).toList();
    assertThat(enlarged).allSatisfy(x -> assertThat(x.region().width).isLessThanOrEqualTo(960));
    assertThat(enlarged.stream().mapToInt(x -> x.region().x + x.region().width).max().orElse(0)).isEqualTo(1280);
    assertThat(enlarged.stream().mapToInt(x -> x.region().x).min().orElse(1)).isZero();
  }
}
