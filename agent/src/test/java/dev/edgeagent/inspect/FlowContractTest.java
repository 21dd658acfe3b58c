package dev.edgeagent.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlowContractTest {
  static Map<String, String> meta() {
    Map<String, String> m = new HashMap<>(Map.of("patch", "16", "stride", "8", "analysis_long_side", "768",
        "score_rule", "llr-image-one+0.25*nll-global-two:smooth5", "threshold", "2.31"));
    for (String q : new String[] {"nll", "llr", "gen"}) {
      m.put(q + "_median_bpd", "1.5");
      m.put(q + "_scale_bpd", "0.5");
    }
    return m;
  }

  @Test
  void readsTheContractFromTheMetadata() {
    FlowContract c = FlowContract.fromMetadata(meta());
    assertThat(c.patch()).isEqualTo(16);
    assertThat(c.stride()).isEqualTo(8);
    assertThat(c.threshold()).isEqualTo(2.31);
    assertThat(c.stats().get("gen")).isEqualTo(new ScoreRule.Stats(1.5, 0.5));
    assertThat(c.scoreRule().terms()).hasSize(2);
  }

  @Test
  void aMissingOrImplausibleEntryIsRefusedByName() {
    Map<String, String> m = meta();
    m.remove("llr_scale_bpd");
    assertThatThrownBy(() -> FlowContract.fromMetadata(m)).hasMessageContaining("llr_scale_bpd");
    Map<String, String> zero = meta();
    zero.put("nll_scale_bpd", "0");
    assertThatThrownBy(() -> FlowContract.fromMetadata(zero)).hasMessageContaining("nll_scale_bpd");
    Map<String, String> text = meta();
    text.put("stride", "eight");
    assertThatThrownBy(() -> FlowContract.fromMetadata(text)).hasMessageContaining("stride");
    Map<String, String> tiny = meta();
    tiny.put("analysis_long_side", "8");
    assertThatThrownBy(() -> FlowContract.fromMetadata(tiny)).hasMessageContaining("implausible");
  }

  @Test
  void theImageReferencedTermNeedsItsStatsOnlyWhenTheRuleReadsIt() {
    assertThat(FlowContract.fromMetadata(meta()).stats()).doesNotContainKey("self");
    Map<String, String> m = meta();
    m.put("score_rule", "llr-image-one+1.0*self-image-one:smooth3");
    assertThatThrownBy(() -> FlowContract.fromMetadata(m)).hasMessageContaining("self_median");
    m.put("self_median", "3.2");
    m.put("self_scale", "1.6");
    FlowContract c = FlowContract.fromMetadata(m);
    assertThat(c.stats().get("self")).isEqualTo(new ScoreRule.Stats(3.2, 1.6));
    assertThat(c.scoreRule().uses("self")).isTrue();
  }
}
