package dev.edgeagent.enhance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeagent.capture.OpenCv;
import dev.edgeagent.config.ConfigLoader;
import dev.edgeagent.detect.InferenceProvider;
import dev.edgeagent.detect.OnnxModel;
import dev.edgeagent.detect.OwnModelManifest;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * The Java ONNX Runtime path reproduces the torch outputs export.py recorded
 * (models/sr/reference_x2.json, on models/sr/ref_lr.png): same preprocessing, same channel
 * order, same weights.
 */
class ReferenceOutputTest {
  static final Path SR = ConfigLoader.home().resolve("models/sr");

  @ParameterizedTest
  @CsvSource({"affine-stablesr-x2,affine_stablesr_x2.onnx", "fsrcnn-x2,fsrcnn_x2.onnx"})
  void javaOutputMatchesTheTorchReference(String name, String file) throws Exception {
    OpenCv.ensureLoaded();
    JsonNode ref = new ObjectMapper().readTree(SR.resolve("reference_x2.json").toFile())
        .path("models").path(file);
    assertThat(ref.isMissingNode()).as("reference for " + file).isFalse();
    Mat lr = Imgcodecs.imread(SR.resolve("ref_lr.png").toString(), Imgcodecs.IMREAD_COLOR);
    assertThat(lr.size().width).isEqualTo(32);
    byte[] bgr = new byte[32 * 32 * 3];
    lr.get(0, 0, bgr);
    try (OnnxModel m = OnnxModel.loadOwn(OwnModelManifest.load(), ConfigLoader.home(), name,
            InferenceProvider.CPU, 1);
         OnnxTensor in = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(),
             FloatBuffer.wrap(SrTranslator.toTensor(bgr, 32, 0, 0, 32, 32)), new long[] {1, 3, 32, 32});
         OrtSession.Result r = m.session().run(Map.of("lr", in))) {
      OnnxTensor out = (OnnxTensor) r.get("sr").orElseThrow();
      float[] sr = SrTranslator.fromTensor(out.getInfo().getShape(), out.getFloatBuffer(), 64, 64);
      double mean = 0;
      for (float v : sr) {
        mean += v;
      }
      assertThat(mean / sr.length).isCloseTo(ref.path("mean").asDouble(), within(1e-3));
      assertThat(ref.path("pixels")).hasSizeGreaterThanOrEqualTo(4);
      for (JsonNode p : ref.path("pixels")) {
        int c = p.path("index").get(0).asInt();
        int y = p.path("index").get(1).asInt();
        int x = p.path("index").get(2).asInt();
        assertThat((double) sr[c * 64 * 64 + y * 64 + x]).as("pixel " + p.path("index"))
            .isCloseTo(p.path("value").asDouble(), within(1e-3));
      }
      // The whole tiled 8-bit path gives the same pixels, rounded (channel c is BGR index 2 - c).
      Mat up = new SuperResolver(m, 2, 128, 16).upscale(lr);
      byte[] px = new byte[64 * 64 * 3];
      up.get(0, 0, px);
      for (JsonNode p : ref.path("pixels")) {
        int c = p.path("index").get(0).asInt();
        int i = (p.path("index").get(1).asInt() * 64 + p.path("index").get(2).asInt()) * 3 + 2 - c;
        // Half a level of rounding plus the 1e-3 allowed above (0.26 levels).
        assertThat((double) (px[i] & 0xff)).isCloseTo(p.path("value").asDouble() * 255, within(0.8));
      }
    }
  }
}
