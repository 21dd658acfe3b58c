package dev.edgeagent.enhance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TileGridTest {

  @ParameterizedTest
  @CsvSource({"100,32,8", "128,128,16", "129,128,16", "250,128,16", "1080,128,16", "1920,128,16",
      "37,16,7", "500,64,0", "20,128,16"})
  void tilesCoverTheAxisOverlapEnoughAndWeightsSumToOne(int length, int tile, int overlap) {
    TileGrid g = new TileGrid(length, tile, overlap);
    int scale = 2;
    double[] sum = new double[length * scale];
    int[] covered = new int[length * scale];
    assertThat(g.start(0)).isZero();
    assertThat(g.start(g.count() - 1) + g.tile()).isEqualTo(length);
    for (int i = 0; i < g.count(); i++) {
      if (i > 0) {
        assertThat(g.start(i - 1) + g.tile() - g.start(i)).as("overlap").isGreaterThanOrEqualTo(overlap);
      }
      float[] w = g.weights(i, scale);
      assertThat(w).hasSize(g.tile() * scale);
      for (int k = 0; k < w.length; k++) {
        assertThat(w[k]).isBetween(0f, 1f);
        sum[g.start(i) * scale + k] += w[k];
        covered[g.start(i) * scale + k]++;
      }
    }
    // Where two tiles meet, the linear cross-fades sum to 1 on their own. Where three meet (short
    // steps on small images) SuperResolver divides by the sum, which must never be 0.
    for (int p = 0; p < sum.length; p++) {
      if (covered[p] <= 2) {
        assertThat(sum[p]).as("weight sum at " + p).isCloseTo(1.0, within(1e-5));
      } else {
        assertThat(sum[p]).as("weight sum at " + p).isGreaterThan(0.0);
      }
    }
  }

  @Test
  void theOutermostPixelsOfAnInnerEdgeAreNotUsedButTheImageEdgeIs() {
    TileGrid g = new TileGrid(200, 128, 16);
    assertThat(g.count()).isEqualTo(2);
    float[] w = g.weights(1, 2);
    assertThat(w[0]).isZero();
    assertThat(w[w.length - 1]).isEqualTo(1f);
  }

  @Test
  void anOverlapOfHalfATileIsRefused() {
    assertThatThrownBy(() -> new TileGrid(300, 32, 16)).isInstanceOf(IllegalArgumentException.class);
  }
}
