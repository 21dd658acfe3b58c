package dev.edgeagent.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The YuNet contract (models/yunet/README.md) on hand-made outputs: geometry, scores, refusals. */
class YuNetTranslatorTest {

  @Test
  void inputIsScaledThenPaddedToMultiplesOf32NeverStretched() {
    YuNetTranslator.Placement p = YuNetTranslator.Placement.of(0, 0, 1280, 720, 1.0);
    assertThat(p.inputWidth()).isEqualTo(1280);
    assertThat(p.inputHeight()).isEqualTo(736);
    assertThat(p.scaledHeight()).isEqualTo(720);
    assertThat(p.shape()).containsExactly(1, 3, 736, 1280);
    YuNetTranslator.Placement up = YuNetTranslator.Placement.of(10, 20, 100, 50, 2.0);
    assertThat(up.inputWidth()).isEqualTo(224);
    assertThat(up.inputHeight()).isEqualTo(128);
    assertThat(up.cells(8)).isEqualTo(28 * 16);
  }

  /** Outputs for a 64 x 32 input where only the given stride-8 cell scores. */
  static List<YuNetTranslator.StrideOutput> outputs(int hotCell, float cls, float obj, float[] bbox,
      float[] kps) {
    List<YuNetTranslator.StrideOutput> outs = new ArrayList<>();
    for (int s : YuNetTranslator.STRIDES) {
      int cells = (64 / s) * (32 / s);
      float[] c = new float[cells];
      float[] o = new float[cells];
      float[] b = new float[cells * 4];
      float[] k = new float[cells * 10];
      if (s == 8) {
        c[hotCell] = cls;
        o[hotCell] = obj;
        System.arraycopy(bbox, 0, b, hotCell * 4, 4);
        System.arraycopy(kps, 0, k, hotCell * 10, 10);
      }
      outs.add(new YuNetTranslator.StrideOutput(s, c, o, b, k));
    }
    return outs;
  }

  @Test
  void decodesTheAnchorFreeBoxLandmarksAndScoreIntoFramePixels() throws Exception {
    // Cell 10 of stride 8 on a 64-wide input: row 1, col 2.
    float[] kps = {0.5f, 0.5f, 1, 0.5f, 0.75f, 1, 0.5f, 1.5f, 1, 1.5f};
    List<YuNetTranslator.StrideOutput> outs =
        outputs(10, 0.81f, 1.0f, new float[] {0.5f, 0.5f, (float) Math.log(2), 0}, kps);
    // The region sat at (100, 200) in the frame and was enlarged 2x into the input.
    YuNetTranslator.Placement p = YuNetTranslator.Placement.of(100, 200, 32, 16, 2.0);
    List<Detection> d = YuNetTranslator.decode(outs, p, 0.5);
    assertThat(d).hasSize(1);
    Detection face = d.get(0);
    assertThat(face.score()).isCloseTo(0.9, org.assertj.core.data.Offset.offset(1e-6));
    // Input: centre ((2 + .5) * 8, (1 + .5) * 8) = (20, 12), size 16 x 8; frame: halved, shifted.
    assertThat(face.box().x()).isCloseTo(100 + (20 - 8) / 2.0, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(face.box().y()).isCloseTo(200 + (12 - 4) / 2.0, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(face.box().w()).isCloseTo(8, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(face.box().h()).isCloseTo(4, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(face.landmarks()).hasSize(5);
    assertThat(face.landmarks().get(0).x()).isCloseTo(100 + (2.5 * 8) / 2, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(face.landmarks().get(2).y()).isCloseTo(200 + (2.0 * 8) / 2, org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void priorsUnderTheThresholdAreNotFaces() throws Exception {
    List<YuNetTranslator.StrideOutput> outs = outputs(3, 0.2f, 0.2f, new float[4], new float[10]);
    assertThat(YuNetTranslator.decode(outs, YuNetTranslator.Placement.of(0, 0, 64, 32, 1), 0.5)).isEmpty();
  }

  @Test
  void aNanScoreOrAnAbsurdBoxOrAWrongLengthIsRefusedSoTheFrameIsDropped() {
    YuNetTranslator.Placement p = YuNetTranslator.Placement.of(0, 0, 64, 32, 1);
    assertThatThrownBy(() -> YuNetTranslator.decode(outputs(0, Float.NaN, 1, new float[4], new float[10]), p, 0.5))
        .isInstanceOf(DetectorException.class)
        .satisfies(e -> assertThat(((DetectorException) e).reason()).isEqualTo(DropReason.DETECTOR_BAD_OUTPUT));
    assertThatThrownBy(() -> YuNetTranslator.decode(
        outputs(0, 1, 1, new float[] {0, 0, Float.POSITIVE_INFINITY, 0}, new float[10]), p, 0.5))
        .isInstanceOf(DetectorException.class);
    List<YuNetTranslator.StrideOutput> outs = outputs(0, 0, 0, new float[4], new float[10]);
    outs.set(0, new YuNetTranslator.StrideOutput(8, new float[5], new float[5], new float[20], new float[50]));
    assertThatThrownBy(() -> YuNetTranslator.decode(outs, p, 0.5))
        .isInstanceOf(DetectorException.class)
        .hasMessageContaining("stride 8");
  }

  @Test
  void preprocessWritesRawBgrPlanesAndZeroPadding() {
    dev.edgeagent.capture.OpenCv.ensureLoaded();
    org.opencv.core.Mat img = new org.opencv.core.Mat(20, 40, org.opencv.core.CvType.CV_8UC3,
        new org.opencv.core.Scalar(10, 20, 30));
    img.put(5, 7, new byte[] {(byte) 200, 100, 50});
    YuNetTranslator.Placement p = YuNetTranslator.Placement.of(0, 0, 40, 20, 1.0);
    java.nio.FloatBuffer fb = java.nio.FloatBuffer.allocate(p.floats());
    YuNetTranslator.preprocess(img, p, fb);
    int w = p.inputWidth();
    int plane = w * p.inputHeight();
    assertThat(w).isEqualTo(64);
    assertThat(p.inputHeight()).isEqualTo(32);
    // Pixel (x 7, y 5): B, G, R planes in that order, raw values.
    assertThat(fb.get(5 * w + 7)).isEqualTo(200f);
    assertThat(fb.get(plane + 5 * w + 7)).isEqualTo(100f);
    assertThat(fb.get(2 * plane + 5 * w + 7)).isEqualTo(50f);
    assertThat(fb.get(0)).isEqualTo(10f);
    assertThat(fb.get(2 * plane)).isEqualTo(30f);
    // Right of column 40 and below row 20 is zero padding.
    assertThat(fb.get(3 * w + 50)).isZero();
    assertThat(fb.get(plane + 25 * w + 3)).isZero();
  }
}
