package dev.edgeagent.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BlazeFaceTranslatorTest {

  @Test
  void anchorGridsMatchTheModelOutputs() {
    assertThat(new BlazeFaceTranslator(256).anchors()).isEqualTo(512 + 384);
    assertThat(new BlazeFaceTranslator(128).anchors()).isEqualTo(512 + 384);
  }

  @Test
  void decodesAnAnchorIntoFramePixelsThroughTheLetterbox() throws Exception {
    BlazeFaceTranslator t = new BlazeFaceTranslator(256);
    float[] scores = new float[896];
    java.util.Arrays.fill(scores, -10f);
    float[] regs = new float[896 * 16];
    // Anchor 0 sits at the centre of the first 16x16 cell: (0.5/16, 0.5/16) of the input.
    scores[0] = 5f;
    regs[0] = 8f; // centre moves 8 px right
    regs[2] = 32f; // 32 px wide
    regs[3] = 16f; // 16 px tall
    // A 512x256 frame letterboxed into 256: scale 0.5, 64 px padding on top.
    BlazeFaceTranslator.Letterbox lb = new BlazeFaceTranslator.Letterbox(0.5, 0, 64, 0, 0);
    List<Detection> d = t.decode(scores, regs, lb, 0.5);
    assertThat(d).hasSize(1);
    Box b = d.get(0).box();
    double cx = 8 + 8; // anchor centre 8 px + offset 8 px, in input pixels
    double cy = 8;
    assertThat(b.x()).isCloseTo((cx - 16) * 2, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(b.y()).isCloseTo((cy - 8 - 64) * 2, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(b.w()).isCloseTo(64, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(b.h()).isCloseTo(32, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(d.get(0).score()).isGreaterThan(0.99);
  }

  @Test
  void nanScoresAndWrongShapesAreRejected() {
    BlazeFaceTranslator t = new BlazeFaceTranslator(256);
    BlazeFaceTranslator.Letterbox lb = new BlazeFaceTranslator.Letterbox(1, 0, 0, 0, 0);
    float[] scores = new float[896];
    scores[3] = Float.NaN;
    assertThatThrownBy(() -> t.decode(scores, new float[896 * 16], lb, 0.5))
        .isInstanceOf(DetectorException.class)
        .satisfies(e -> assertThat(((DetectorException) e).reason()).isEqualTo(DropReason.DETECTOR_BAD_OUTPUT));
    assertThatThrownBy(() -> t.decode(new float[10], new float[160], lb, 0.5))
        .isInstanceOf(DetectorException.class);
  }

  @Test
  void weightedNmsMergesOverlapsAndKeepsSeparateFaces() {
    List<Detection> in = List.of(
        new Detection(ObjectClass.FACE, new Box(10, 10, 20, 20), 0.9),
        new Detection(ObjectClass.FACE, new Box(12, 12, 20, 20), 0.8),
        new Detection(ObjectClass.FACE, new Box(100, 100, 20, 20), 0.7));
    List<Detection> out = Nms.weighted(in, 0.3);
    assertThat(out).hasSize(2);
    assertThat(out.get(0).score()).isEqualTo(0.9);
    assertThat(out.get(0).box().x()).isBetween(10.0, 12.0);
  }
}
