package dev.edgeagent.enhance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeagent.TestAssets;
import dev.edgeagent.capture.OpenCv;
import dev.edgeagent.config.ConfigLoader;
import dev.edgeagent.detect.InferenceProvider;
import dev.edgeagent.detect.OnnxModel;
import dev.edgeagent.detect.OwnModelManifest;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Rect;
import org.opencv.imgcodecs.Imgcodecs;

/** The SR uncertainty map on the committed sampling graph (affine-stablesr-x2-sampler). */
class SrUncertaintyTest {
  static final Path SR = ConfigLoader.home().resolve("models/sr");
  static OnnxModel sampler;
  static Mat crop;

  @BeforeAll
  static void load() throws Exception {
    OpenCv.ensureLoaded();
    sampler = OnnxModel.loadOwn(OwnModelManifest.load(), ConfigLoader.home(), EnhanceConfig.FLOW_SAMPLER,
        InferenceProvider.CPU, 1);
    // Hair, face and background edges: detail the model has to invent at x2.
    crop = TestAssets.image("messi5.jpg").submat(new Rect(200, 60, 50, 40)).clone();
  }

  @AfterAll
  static void close() {
    sampler.close();
  }

  static UncertaintyMap map(int k, double tau, long seed, int tile, int overlap) throws Exception {
    return new SrUncertainty(sampler, tile, overlap, new UncertaintyParams(k, tau, seed)).estimate(crop);
  }

  static double mean(UncertaintyMap m) {
    long s = 0;
    for (byte b : m.grey()) {
      s += b & 0xff;
    }
    return (double) s / m.grey().length;
  }

  @Test
  void theMapHasTheOutputSizeAndSomeSpread() throws Exception {
    UncertaintyMap m = map(4, 0.8, 0, 32, 8);
    assertThat(m.width()).isEqualTo(100);
    assertThat(m.height()).isEqualTo(80);
    assertThat(m.grey()).hasSize(100 * 80);
    assertThat(m.meanStdY()).isPositive();
    assertThat(m.maxStdY()).isGreaterThan(m.meanStdY());
  }

  @Test
  void theSameSeedGivesTheSameMapAndAnotherSeedAnother() throws Exception {
    UncertaintyMap a = map(3, 0.8, 42, 32, 8);
    assertThat(map(3, 0.8, 42, 32, 8).grey()).isEqualTo(a.grey());
    assertThat(map(3, 0.8, 43, 32, 8).meanStdY()).isNotEqualTo(a.meanStdY());
  }

  @Test
  void oneSampleOrTemperatureZeroHasNoSpread() throws Exception {
    assertThat(map(1, 0.8, 0, 32, 8).grey()).containsOnly((byte) 0);
    UncertaintyMap cold = map(3, 0.0, 0, 32, 8);
    assertThat(cold.grey()).containsOnly((byte) 0);
    assertThat(cold.maxStdY()).isZero();
  }

  @Test
  void aHigherTemperatureSpreadsTheSamplesMore() throws Exception {
    double low = map(4, 0.3, 0, 64, 8).meanStdY();
    double high = map(4, 1.0, 0, 64, 8).meanStdY();
    assertThat(high).isGreaterThan(2 * low);
  }

  @Test
  void moreSamplesThanOneRunTakesAreDrawnInSeveralRuns() throws Exception {
    // K over the batch size: the extra samples come from a second run with their own latents.
    UncertaintyMap m = map(SrUncertainty.BATCH + 2, 0.8, 0, 32, 8);
    assertThat(m.meanStdY()).isCloseTo(map(SrUncertainty.BATCH, 0.8, 0, 32, 8).meanStdY(),
        within(0.2 * m.meanStdY()));
  }

  @Test
  void tilingChangesTheMapOnlyNearSeams() throws Exception {
    // The latent is drawn per image position, not per tile, so tiles agree where they overlap.
    UncertaintyMap whole = map(4, 0.8, 0, 128, 16);
    UncertaintyMap tiled = map(4, 0.8, 0, 24, 8);
    assertThat(tiled.meanStdY()).isCloseTo(whole.meanStdY(), within(0.1 * whole.meanStdY()));
  }

  @Test
  void thePngIsAGreyImageOfTheMap() throws Exception {
    UncertaintyMap m = map(2, 0.8, 0, 32, 8);
    byte[] png = dev.edgeagent.encode.UncertaintyPng.encode(new dev.edgeagent.redact.AnonymizedFrame.Uncertainty(
        m.grey(), m.width(), m.height(), sampler.info(), 2, 0.8, 0, SrUncertainty.STD_FULL_SCALE_Y));
    Mat back = Imgcodecs.imdecode(new MatOfByte(png), Imgcodecs.IMREAD_UNCHANGED);
    assertThat(back.channels()).isEqualTo(1);
    assertThat(back.cols()).isEqualTo(100);
    byte[] px = new byte[100 * 80];
    back.get(0, 0, px);
    assertThat(px).isEqualTo(m.grey());
  }

  @Test
  void badParametersAreRefused() {
    assertThatThrownBy(() -> new UncertaintyParams(0, 0.8, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new UncertaintyParams(65, 0.8, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new UncertaintyParams(8, -0.1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new UncertaintyParams(8, Double.NaN, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aModelWithoutALatentInputIsNotASampler() throws Exception {
    try (OnnxModel plain = OnnxModel.loadOwn(OwnModelManifest.load(), ConfigLoader.home(),
        EnhanceConfig.FLOW_MODEL, InferenceProvider.CPU, 1)) {
      assertThatThrownBy(() -> new SrUncertainty(plain, 32, 8, new UncertaintyParams(2, 0.8, 0)))
          .hasMessageContaining("'z'");
    }
  }

  /** The Java path runs the graph export_sampler.py checked against torch (reference_sampler_x2.json). */
  @Test
  void theSamplerMatchesTheTorchReferenceAtAFixedLatent() throws Exception {
    JsonNode ref = new ObjectMapper().readTree(SR.resolve("reference_sampler_x2.json").toFile());
    Mat lr = Imgcodecs.imread(SR.resolve("ref_lr.png").toString(), Imgcodecs.IMREAD_COLOR);
    byte[] bgr = new byte[32 * 32 * 3];
    lr.get(0, 0, bgr);
    float[] z = new float[12 * 32 * 32];
    for (int c = 0; c < 12; c++) {
      for (int y = 0; y < 32; y++) {
        for (int x = 0; x < 32; x++) {
          z[(c * 32 + y) * 32 + x] = (float) Math.sin(1.0 + 0.7 * c + 0.31 * y + 0.17 * x);
        }
      }
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OnnxTensor tl = OnnxTensor.createTensor(env, FloatBuffer.wrap(SrTranslator.toTensor(bgr, 32, 0, 0, 32, 32)),
            new long[] {1, 3, 32, 32});
         OnnxTensor tz = OnnxTensor.createTensor(env, FloatBuffer.wrap(z), new long[] {1, 12, 32, 32});
         OrtSession.Result r = sampler.run(Map.of("lr", tl, "z", tz))) {
      OnnxTensor out = (OnnxTensor) r.get("sr").orElseThrow();
      float[] sr = SrTranslator.fromTensor(out.getInfo().getShape(), out.getFloatBuffer(), 64, 64);
      for (JsonNode p : ref.path("fixed_z").path("pixels")) {
        int c = p.path("index").get(0).asInt();
        int y = p.path("index").get(1).asInt();
        int x = p.path("index").get(2).asInt();
        assertThat((double) sr[c * 64 * 64 + y * 64 + x]).as("pixel " + p.path("index"))
            .isCloseTo(p.path("value").asDouble(), within(1e-4));
      }
    }
  }
}
