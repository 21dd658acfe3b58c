package dev.edgeagent.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ScoreRuleTest {

  @Test
  void parsesTheFourPartsAndWritesThemBack() {
    ScoreRule r = ScoreRule.parse("llr-image-two-smooth3");
    assertThat(r.quantity()).isEqualTo("llr");
    assertThat(r.perImage()).isTrue();
    assertThat(r.twoSided()).isTrue();
    assertThat(r.smooth()).isEqualTo(3);
    assertThat(r.key()).isEqualTo("llr-image-two-smooth3");
    assertThat(ScoreRule.parse("nll-global-one-none").smooth()).isEqualTo(1);
    assertThatThrownBy(() -> ScoreRule.parse("nll-global-sideways-none")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ScoreRule.parse("pixels")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void globalRuleUsesTheTrainingCentreAndScaleAndTwoSidedFlagsBothDirections() {
    double[] s = ScoreRule.parse("nll-global-two-none").scores(new float[] {3f, 5f, 1f}, 1, 3, 3.0, 0.5);
    assertThat(s).containsExactly(new double[] {0, 4, 4}, within(1e-9));
    double[] one = ScoreRule.parse("nll-global-one-none").scores(new float[] {3f, 5f, 1f}, 1, 3, 3.0, 0.5);
    assertThat(one).containsExactly(new double[] {0, 4, -4}, within(1e-9));
  }

  @Test
  void imageRuleCentresOnTheImagesOwnMedianWithTheSpreadFloored() {
    // Median 10, MAD 0 -> spread floored at 0.5 x training scale 2 = 1.
    float[] v = {10f, 10f, 10f, 10f, 14f};
    double[] s = ScoreRule.parse("llr-image-two-none").scores(v, 1, 5, 0.0, 2.0);
    assertThat(s).containsExactly(new double[] {0, 0, 0, 0, 4}, within(1e-9));
  }

  @Test
  void smoothingAveragesTheNeighboursThatExist() {
    float[] v = new float[9];
    v[4] = 9f;   // centre of a 3x3 grid
    double[] s = ScoreRule.parse("nll-global-one-smooth3").scores(v, 3, 3, 0.0, 1.0);
    assertThat(s[4]).isCloseTo(1.0, within(1e-9));   // 9 / 9 cells
    assertThat(s[0]).isCloseTo(9.0 / 4, within(1e-9));   // corner: 4 cells
    assertThat(s[1]).isCloseTo(9.0 / 6, within(1e-9));   // edge: 6 cells
  }

  @Test
  void medianMatchesNumpyForEvenCounts() {
    assertThat(ScoreRule.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    assertThat(ScoreRule.median(new double[] {5, 1, 3})).isEqualTo(3.0);
  }
}
