package dev.edgeagent.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The image-referenced distance and the patch statistics it reads (their Python twin's match: PatchFlowModelTest). */
class SelfReferenceTest {

  @Test
  void aPatchUnlikeTheRestOfItsImageIsTheFarthest() {
    Random rnd = new Random(3);
    double[][] f = new double[200][PatchStatistics.COUNT];
    for (double[] row : f) {
      for (int j = 0; j < row.length; j++) {
        row[j] = 0.5 + 0.05 * rnd.nextGaussian();
      }
    }
    // A whole cluster of unusual patches (a quarter of the image minus one): the 75% reference
    // is still fitted on the typical ones, so they stay far away.
    for (int i = 0; i < 49; i++) {
      f[i][0] += 0.5;
    }
    float[] d = SelfReference.distances(f);
    double typicalMax = 0;
    double unusualMin = Double.MAX_VALUE;
    for (int i = 0; i < d.length; i++) {
      if (i < 49) {
        unusualMin = Math.min(unusualMin, d[i]);
      } else {
        typicalMax = Math.max(typicalMax, d[i]);
      }
    }
    assertThat(unusualMin).isGreaterThan(typicalMax);
  }

  @Test
  void tooFewPatchesForAReferenceGiveZeros() {
    double[][] f = new double[SelfReference.MIN_PATCHES - 1][PatchStatistics.COUNT];
    f[0][0] = 100;
    assertThat(SelfReference.distances(f)).containsOnly(0f);
  }

  @Test
  void aFlatImageGivesFiniteDistances() {
    double[][] f = new double[100][PatchStatistics.COUNT];   // every statistic constant
    float[] d = SelfReference.distances(f);
    for (float x : d) {
      assertThat(x).isFinite().isGreaterThanOrEqualTo(0f);
    }
  }

  @Test
  void quantileInterpolatesAsNumpy() {
    assertThat(SelfReference.quantile(new double[] {4, 1, 3, 2}, 0.75)).isCloseTo(3.25, within(1e-12));
    assertThat(SelfReference.quantile(new double[] {7}, 0.75)).isEqualTo(7.0);
  }

  @Test
  void statisticsOfAFlatPatchAndOfAnEdge() {
    // 16 x 16 image, one patch: left half BGR (0, 255, 0) = green, right half black.
    int side = 16;
    byte[] bgr = new byte[side * side * 3];
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side / 2; x++) {
        bgr[(y * side + x) * 3 + 1] = (byte) 255;
      }
    }
    double[] s = PatchStatistics.of(new PatchGrid(side, side, side, 8), bgr)[0];
    assertThat(s).hasSize(PatchStatistics.COUNT);
    assertThat(s[0]).isCloseTo(0.0, within(1e-12));   // mean R
    assertThat(s[1]).isCloseTo(0.5, within(1e-12));   // mean G
    assertThat(s[4]).isCloseTo(0.5, within(1e-12));   // std G
    assertThat(s[6]).isCloseTo(1.0, within(1e-12));   // excess green 2G - R - B
    // one vertical edge of height 0.587 in grey: 16 of the 16 x 15 horizontal differences
    assertThat(s[7]).isCloseTo(0.587 * 16 / (16 * 15), within(1e-12));
    assertThat(s[8]).isCloseTo(0.0, within(1e-12));   // no vertical change
    assertThat(s[10]).isCloseTo(0.0, within(1e-12));   // R is flat: no correlation with G
  }
}
