package dev.edgeagent.detect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OrtOutputsTest {
  @Test
  void aSigmoidRoundedJustPastOneIsStillAProbabilityButNonsenseIsNot() {
    // The plate map answered 1.0000001 on a development clip, and the frame was dropped for it.
    assertThat(OrtOutputs.isProbability(1.0000001f)).isTrue();
    assertThat(OrtOutputs.isProbability(0f)).isTrue();
    assertThat(OrtOutputs.isProbability(-1e-7f)).isTrue();
    assertThat(OrtOutputs.isProbability(1.01f)).isFalse();
    assertThat(OrtOutputs.isProbability(-0.5f)).isFalse();
    assertThat(OrtOutputs.isProbability(Float.NaN)).isFalse();
    assertThat(OrtOutputs.isProbability(Float.POSITIVE_INFINITY)).isFalse();
  }
}
