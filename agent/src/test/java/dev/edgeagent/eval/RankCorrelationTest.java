package dev.edgeagent.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RankCorrelationTest {

  @Test
  void monotoneIsOneReversedIsMinusOneAndTiesShareTheirRank() {
    assertThat(RankCorrelation.spearman(new double[] {1, 2, 3, 4}, new double[] {10, 20, 30, 400})).isEqualTo(1.0);
    assertThat(RankCorrelation.spearman(new double[] {1, 2, 3, 4}, new double[] {4, 3, 2, 1})).isEqualTo(-1.0);
    assertThat(RankCorrelation.ranks(new double[] {5, 1, 5, 2})).containsExactly(3.5, 1, 3.5, 2);
    // ranks 1..5 against 2,1,5,3.5,3.5: 5.5 / sqrt(10 * 9.5) (uncertainty_eval.py gives the same)
    assertThat(RankCorrelation.spearman(new double[] {1, 2, 3, 4, 5}, new double[] {2, 1, 4, 3, 3}))
        .isCloseTo(5.5 / Math.sqrt(95), within(1e-12));
  }
}
