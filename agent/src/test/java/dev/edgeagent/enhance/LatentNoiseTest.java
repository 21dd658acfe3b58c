package dev.edgeagent.enhance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatentNoiseTest {

  @Test
  void valuesAreStandardNormal() {
    int n = 200_000;
    double s = 0;
    double s2 = 0;
    int beyond2 = 0;
    for (int i = 0; i < n; i++) {
      double v = LatentNoise.gaussian(7, i % 5, i % 12, i / 1000, i % 1000);
      s += v;
      s2 += v * v;
      beyond2 += Math.abs(v) > 2 ? 1 : 0;
    }
    assertThat(s / n).isCloseTo(0, within(0.01));
    assertThat(s2 / n).isCloseTo(1, within(0.02));
    assertThat(beyond2 / (double) n).isCloseTo(0.0455, within(0.004));
  }

  @Test
  void aTileIsThePartOfTheImageLatentItCovers() {
    float[] big = LatentNoise.tile(3, 1, 12, 0, 0, 20, 16, 0.5f);
    float[] small = LatentNoise.tile(3, 1, 12, 7, 5, 6, 4, 0.5f);
    for (int c = 0; c < 12; c++) {
      for (int y = 0; y < 4; y++) {
        for (int x = 0; x < 6; x++) {
          assertThat(small[(c * 4 + y) * 6 + x]).isEqualTo(big[(c * 16 + y + 5) * 20 + x + 7]);
        }
      }
    }
  }

  @Test
  void samplesAndSeedsDrawDifferentValuesAndTemperatureScales() {
    assertThat(LatentNoise.gaussian(0, 0, 0, 0, 0)).isNotEqualTo(LatentNoise.gaussian(0, 1, 0, 0, 0));
    assertThat(LatentNoise.gaussian(0, 0, 0, 0, 0)).isNotEqualTo(LatentNoise.gaussian(1, 0, 0, 0, 0));
    float[] one = LatentNoise.tile(0, 0, 12, 0, 0, 4, 4, 1f);
    float[] half = LatentNoise.tile(0, 0, 12, 0, 0, 4, 4, 0.5f);
    assertThat(half[5]).isEqualTo(one[5] * 0.5f);
    assertThat(LatentNoise.tile(0, 0, 12, 0, 0, 4, 4, 0f)).containsOnly(0f);
  }
}
