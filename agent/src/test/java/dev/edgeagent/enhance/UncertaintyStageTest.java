package dev.edgeagent.enhance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgeagent.config.ConfigException;
import dev.edgeagent.config.ConfigLoader;
import dev.edgeagent.detect.InferenceProvider;
import dev.edgeagent.detect.OnnxModel;
import dev.edgeagent.detect.OwnModelManifest;
import dev.edgeagent.redact.AnonymizedFrame;
import dev.edgeagent.redact.TestFrames;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/** enhance.uncertainty: the settings, and the map travelling with the enhanced frame. */
class UncertaintyStageTest {

  static OnnxModel sampler() throws Exception {
    return OnnxModel.loadOwn(OwnModelManifest.load(), ConfigLoader.home(), EnhanceConfig.FLOW_SAMPLER,
        InferenceProvider.CPU, 1);
  }

  @Test
  void theEnhancedFrameCarriesAMapOfItsOwnSize() throws Exception {
    try (OnnxModel s = sampler();
         OnnxModel flow = OnnxModel.loadOwn(OwnModelManifest.load(), ConfigLoader.home(), EnhanceConfig.FLOW_MODEL,
             InferenceProvider.CPU, 1)) {
      SrUncertainty u = new SrUncertainty(s, 32, 8, new UncertaintyParams(2, 0.8, 5));
      assertThatThrownBy(() -> new EnhanceStage(EnhanceConfig.Mode.FRAME, null, new BicubicUpscaler(2), u))
          .isInstanceOf(IllegalArgumentException.class);
      EnhanceStage stage = new EnhanceStage(EnhanceConfig.Mode.REGION, Region.parse("r", "0.5,0.5,0.5,0.5"),
          new SuperResolver(flow, 2, 32, 8), u);
      try (AnonymizedFrame out = stage.apply(TestFrames.anonymized("cam", 1, 64, 48, true))) {
        AnonymizedFrame.Uncertainty m = out.enhancement().uncertainty();
        assertThat(m.samples()).isEqualTo(2);
        assertThat(m.seed()).isEqualTo(5);
        assertThat(m.sampler().id()).isEqualTo(EnhanceConfig.FLOW_SAMPLER);
        assertThat(m.stdFullScale()).isEqualTo(SrUncertainty.STD_FULL_SCALE_Y);
        Mat png = Imgcodecs.imdecode(new MatOfByte(dev.edgeagent.encode.UncertaintyPng.encode(m)),
            Imgcodecs.IMREAD_UNCHANGED);
        assertThat(png.channels()).isEqualTo(1);
        assertThat(png.cols()).isEqualTo(out.pixels().cols()).isEqualTo(64);
        assertThat(png.rows()).isEqualTo(out.pixels().rows()).isEqualTo(48);
      }
    }
  }

  @Test
  void aFailingMapFailsTheWholeEnhancementAndLeavesTheInputOpen() throws Exception {
    OnnxModel s = sampler();
    SrUncertainty u = new SrUncertainty(s, 32, 8, new UncertaintyParams(2, 0.8, 0));
    s.close(); // a closed session: the sampler run fails
    try (OnnxModel flow = OnnxModel.loadOwn(OwnModelManifest.load(), ConfigLoader.home(), EnhanceConfig.FLOW_MODEL,
             InferenceProvider.CPU, 1);
         AnonymizedFrame in = TestFrames.anonymized("cam", 3, 40, 30, true)) {
      EnhanceStage stage = new EnhanceStage(EnhanceConfig.Mode.FRAME, null, new SuperResolver(flow, 2, 32, 8), u);
      assertThatThrownBy(() -> stage.apply(in)).isInstanceOfAny(EnhanceException.class, RuntimeException.class);
      assertThat(in.pixels().cols()).isEqualTo(40);
    }
  }

  @Test
  void settingsAreOffByDefaultAndCheckedWhenOn() throws Exception {
    assertThat(EnhanceConfig.from(ConfigLoader.defaults()).uncertainty()).isNull();
    assertThat(EnhanceConfig.from(ConfigLoader.defaults()).samplerModel()).isNull();
    EnhanceConfig on = EnhanceConfig.from(ConfigLoader.defaults().with(Map.of("enhance.mode", "frame",
        "enhance.uncertainty", "true", "enhance.uncertainty_samples", "4",
        "enhance.uncertainty_temperature", "0.5", "enhance.uncertainty_seed", "9"), null));
    assertThat(on.uncertainty()).isEqualTo(new UncertaintyParams(4, 0.5, 9));
    assertThat(on.samplerModel()).isEqualTo(EnhanceConfig.FLOW_SAMPLER);
    assertThatThrownBy(() -> EnhanceConfig.from(ConfigLoader.defaults().with(Map.of("enhance.mode", "frame",
        "enhance.uncertainty", "true", "enhance.model", "fsrcnn-x2"), null)))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("enhance.uncertainty");
    for (Map<String, Object> bad : java.util.List.<Map<String, Object>>of(
        Map.of("enhance.uncertainty_samples", "0"), Map.of("enhance.uncertainty_samples", "65"),
        Map.of("enhance.uncertainty_temperature", "-0.1"), Map.of("enhance.uncertainty_temperature", "2.5"))) {
      assertThatThrownBy(() -> ConfigLoader.defaults().with(bad, null)).as(bad.toString())
          .isInstanceOf(ConfigException.class).hasMessageContaining(bad.keySet().iterator().next());
    }
  }
}
