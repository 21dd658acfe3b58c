package dev.edgeagent.enhance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgeagent.config.ConfigException;
import dev.edgeagent.config.ConfigLoader;
import dev.edgeagent.redact.AnonymizedFrame;
import dev.edgeagent.redact.TestFrames;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opencv.core.Rect;

class EnhanceStageTest {

  @Test
  void frameModeDoublesTheFrameKeepsItsRecordAndClosesTheInput() throws Exception {
    AnonymizedFrame in = TestFrames.anonymized("cam", 7, 160, 120, true);
    EnhanceStage stage = new EnhanceStage(EnhanceConfig.Mode.FRAME, null, new BicubicUpscaler(2));
    try (AnonymizedFrame out = stage.apply(in)) {
      assertThat(out.pixels().cols()).isEqualTo(320);
      assertThat(out.pixels().rows()).isEqualTo(240);
      assertThat(out.meta().width()).isEqualTo(320);
      assertThat(out.meta().sequence()).isEqualTo(7);
      assertThat(out.redactions()).isEqualTo(in.redactions()).hasSize(1);
      assertThat(out.models()).isEqualTo(TestFrames.MODELS);
    }
    assertThatThrownBy(in::pixels).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void regionModePublishesTheEnlargedRegion() throws Exception {
    AnonymizedFrame in = TestFrames.anonymized("cam", 1, 200, 100, true);
    Region r = Region.parse("enhance.region", "0.5,0.25,0.5,0.5");
    Rect rect = r.toRect(200, 100);
    assertThat(rect).isEqualTo(new Rect(100, 25, 100, 50));
    double cropMean = TestFrames.mean(in.pixels().submat(rect));
    EnhanceStage stage = new EnhanceStage(EnhanceConfig.Mode.REGION, r, new BicubicUpscaler(2));
    try (AnonymizedFrame out = stage.apply(in)) {
      assertThat(out.meta().width()).isEqualTo(200);
      assertThat(out.meta().height()).isEqualTo(100);
      // Bicubic enlargement keeps the mean: the pixels are the region's, not another part's.
      assertThat(TestFrames.mean(out.pixels())).isCloseTo(cropMean, org.assertj.core.data.Offset.offset(1.0));
    }
  }

  @Test
  void whenSrFailsTheInputFrameIsLeftOpenForTheCaller() throws Exception {
    Upscaler broken = new Upscaler() {
      @Override
      public org.opencv.core.Mat upscale(org.opencv.core.Mat bgr) throws EnhanceException {
        throw new EnhanceException("SR model returned NaN");
      }

      @Override
      public int scale() {
        return 2;
      }

      @Override
      public String name() {
        return "broken";
      }
    };
    try (AnonymizedFrame in = TestFrames.anonymized("cam", 3, 64, 48, true)) {
      EnhanceStage stage = new EnhanceStage(EnhanceConfig.Mode.FRAME, null, broken);
      assertThatThrownBy(() -> stage.apply(in)).isInstanceOf(EnhanceException.class);
      assertThat(in.pixels().cols()).isEqualTo(64);
    }
  }

  @Test
  void offModeHandsTheSameFrameBack() throws Exception {
    try (AnonymizedFrame in = TestFrames.anonymized("cam", 1, 64, 48, false)) {
      assertThat(new EnhanceStage(EnhanceConfig.Mode.OFF, null, null).apply(in)).isSameAs(in);
    }
  }

  @Test
  void badRegionsNameTheSetting() {
    assertThatThrownBy(() -> Region.parse("enhance.region", "0.5,0.5,0.6,0.2"))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("enhance.region:").hasMessageContaining("inside");
    assertThatThrownBy(() -> Region.parse("enhance.region", "0.1,0.1,0.5"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("x,y,w,h");
    assertThatThrownBy(() -> Region.parse("enhance.region", "0.1,a,0.5,0.5"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("'a' is not a number");
  }

  @Test
  void configDefaultsAreOffAndTheOverlapMustBeUnderHalfATile() throws Exception {
    EnhanceConfig d = EnhanceConfig.from(ConfigLoader.defaults());
    assertThat(d.mode()).isEqualTo(EnhanceConfig.Mode.OFF);
    assertThat(d.model()).isEqualTo("affine-stablesr-x2");
    assertThat(d.tilePx()).isEqualTo(128);
    assertThat(d.overlapPx()).isEqualTo(16);
    assertThat(d.region()).isEqualTo(new Region(0.25, 0.25, 0.5, 0.5));
    assertThatThrownBy(() -> EnhanceConfig.from(ConfigLoader.defaults().with(
        Map.of("enhance.tile_px", "64", "enhance.tile_overlap_px", "32"), null)))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("enhance.tile_overlap_px");
  }
}
