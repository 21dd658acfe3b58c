package dev.edgeagent.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ScoreRuleTest {
  static final Map<String, ScoreRule.Stats> STATS = Map.of("nll", new ScoreRule.Stats(3.0, 0.5),
      "llr", new ScoreRule.Stats(0.0, 2.0), "gen", new ScoreRule.Stats(0.0, 1.0));

  static double[] score(String rule, int rows, int cols, String q, float... v) {
    return ScoreRule.parse(rule).scores(Map.of(q, v), STATS, rows, cols);
  }

  @Test
  void parsesWeightedTermsAndTheSmoothing() {
    ScoreRule r = ScoreRule.parse("llr-image-one+0.25*nll-global-two:smooth5");
    assertThat(r.terms()).containsExactly(new ScoreRule.Term(1.0, "llr", true, false),
        new ScoreRule.Term(0.25, "nll", false, true));
    assertThat(r.smooth()).isEqualTo(5);
    assertThat(r.key()).isEqualTo("llr-image-one+0.25*nll-global-two:smooth5");
    assertThat(ScoreRule.parse("gen-global-one:none").smooth()).isEqualTo(1);
    ScoreRule hybrid = ScoreRule.parse("llr-image-one+1.0*self-image-one:smooth3");
    assertThat(hybrid.terms()).containsExactly(new ScoreRule.Term(1.0, "llr", true, false),
        new ScoreRule.Term(1.0, "self", true, false));
    assertThat(hybrid.uses("self")).isTrue();
    assertThat(r.uses("self")).isFalse();
    assertThat(ScoreRule.metadataKey("self", "median")).isEqualTo("self_median");
    assertThat(ScoreRule.metadataKey("llr", "scale")).isEqualTo("llr_scale_bpd");
    assertThatThrownBy(() -> ScoreRule.parse("nll-global-sideways:none")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ScoreRule.parse("nll-global-two")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ScoreRule.parse("x*nll-global-two:none")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void globalTermsUseTheTrainingCentreAndScaleAndTwoSidedFlagsBothDirections() {
    assertThat(score("nll-global-two:none", 1, 3, "nll", 3f, 5f, 1f)).containsExactly(new double[] {0, 4, 4}, within(1e-9));
    assertThat(score("nll-global-one:none", 1, 3, "nll", 3f, 5f, 1f)).containsExactly(new double[] {0, 4, -4}, within(1e-9));
  }

  @Test
  void imageTermsCentreOnTheImagesOwnMedianWithTheSpreadFloored() {
    // Median 10, MAD 0 -> spread floored at 0.5 x training scale 2 = 1.
    assertThat(score("llr-image-two:none", 1, 5, "llr", 10f, 10f, 10f, 10f, 14f))
        .containsExactly(new double[] {0, 0, 0, 0, 4}, within(1e-9));
  }

  @Test
  void weightedTermsAreSummed() {
    double[] s = ScoreRule.parse("llr-global-one+0.25*nll-global-two:none")
        .scores(Map.of("llr", new float[] {4f}, "nll", new float[] {1f}), STATS, 1, 1);
    assertThat(s[0]).isCloseTo(4 / 2.0 + 0.25 * 4, within(1e-9));
  }

  @Test
  void smoothingAveragesTheNeighboursThatExist() {
    float[] v = new float[9];
    v[4] = 9f;   // centre of a 3x3 grid
    double[] s = score("gen-global-one:smooth3", 3, 3, "gen", v);
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
