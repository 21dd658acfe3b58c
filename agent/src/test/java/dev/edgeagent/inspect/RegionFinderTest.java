package dev.edgeagent.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RegionFinderTest {
  /** A 6 x 8 grid (patch 16, stride 8 over a 72 x 56 image) with the given cells scoring 5. */
  static AnomalyMap map(double toInput, int... cells) {
    PatchGrid g = new PatchGrid(72, 56, 16, 8);
    assertThat(g.rows()).isEqualTo(6);
    assertThat(g.cols()).isEqualTo(8);
    double[] scores = new double[g.size()];
    for (int c : cells) {
      scores[c] = 5 + c / 100.0;
    }
    return new AnomalyMap((int) Math.round(72 * toInput), (int) Math.round(56 * toInput), g, toInput,
        new float[g.size()], scores, 2.0);
  }

  @Test
  void diagonalNeighboursJoinAndSeparateBlobsStaySeparate() {
    // cells (0,0) and (1,1) touch diagonally; (5,7) is alone.
    List<FlaggedRegion> rs = RegionFinder.find(map(1.0, 0, 9, 47));
    assertThat(rs).hasSize(2);
    FlaggedRegion alone = rs.get(0);   // 5.47 is the highest score
    assertThat(alone.patches()).isEqualTo(1);
    assertThat(new int[] {alone.x(), alone.y(), alone.w(), alone.h()}).containsExactly(56, 40, 16, 16);
    FlaggedRegion pair = rs.get(1);
    assertThat(pair.patches()).isEqualTo(2);
    assertThat(new int[] {pair.x(), pair.y(), pair.w(), pair.h()}).containsExactly(0, 0, 24, 24);
    assertThat(pair.score()).isEqualTo(5.09);
    assertThat(pair.meanScore()).isEqualTo((5.0 + 5.09) / 2);
  }

  @Test
  void boxesAreScaledBackToTheInputAndClampedToIt() {
    List<FlaggedRegion> rs = RegionFinder.find(map(2.5, 47));
    FlaggedRegion r = rs.get(0);
    assertThat(new int[] {r.x(), r.y(), r.x() + r.w(), r.y() + r.h()}).containsExactly(140, 100, 180, 140);
  }

  @Test
  void nothingOverTheThresholdGivesNoRegions() {
    assertThat(RegionFinder.find(map(1.0))).isEmpty();
  }
}
