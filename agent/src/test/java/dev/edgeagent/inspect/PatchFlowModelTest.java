package dev.edgeagent.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeagent.capture.OpenCv;
import dev.edgeagent.config.ConfigLoader;
import dev.edgeagent.detect.InferenceProvider;
import dev.edgeagent.detect.OnnxModel;
import dev.edgeagent.detect.OwnModelManifest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * The Java path (grid, patch layout, ONNX Runtime) reproduces what export.py recorded with torch
 * (models/anomaly/reference.json), and the contract read from the model's metadata is the one
 * the benchmark used.
 */
class PatchFlowModelTest {
  static final Path DIR = ConfigLoader.home().resolve("models/anomaly");

  static PatchFlowModel load() throws Exception {
    return PatchFlowModel.of(OnnxModel.loadOwn(OwnModelManifest.load(), ConfigLoader.home(), PatchFlowModel.NAME,
        InferenceProvider.CPU, 1));
  }

  @Test
  void onnxRuntimeMatchesTheTorchReference() throws Exception {
    OpenCv.ensureLoaded();
    JsonNode ref = new ObjectMapper().readTree(DIR.resolve("reference.json").toFile());
    Mat img = Imgcodecs.imread(DIR.resolve(ref.path("image").asText()).toString(), Imgcodecs.IMREAD_COLOR);
    try (PatchFlowModel m = load()) {
      FlowContract c = m.contract();
      PatchGrid grid = new PatchGrid(img.cols(), img.rows(), c.patch(), c.stride());
      assertThat(grid.rows()).isEqualTo(ref.path("grid").path("rows").asInt());
      assertThat(grid.cols()).isEqualTo(ref.path("grid").path("cols").asInt());
      java.util.Map<String, float[]> values = m.values(grid, PatchGrid.bytes(img));
      double atol = ref.path("atol_suggested").asDouble();
      for (String q : new String[] {"nll", "llr", "gen"}) {
        float[] v = values.get(q);
        JsonNode first = ref.path(q + "_bpd_first");
        assertThat(first.size()).as(q).isEqualTo(8);
        for (int i = 0; i < first.size(); i++) {
          assertThat((double) v[i]).as(q + " patch " + i).isCloseTo(first.get(i).asDouble(), within(atol));
        }
        double mean = 0;
        for (float x : v) {
          mean += x;
        }
        assertThat(mean / v.length).as(q + " mean").isCloseTo(ref.path(q + "_bpd_mean").asDouble(), within(atol));
      }
    }
  }

  @Test
  void theImageReferencedDistanceMatchesPython() throws Exception {
    OpenCv.ensureLoaded();
    JsonNode ref = new ObjectMapper().readTree(DIR.resolve("reference.json").toFile());
    Mat img = Imgcodecs.imread(DIR.resolve(ref.path("image").asText()).toString(), Imgcodecs.IMREAD_COLOR);
    PatchGrid grid = new PatchGrid(img.cols(), img.rows(), 16, 8);
    float[] own = SelfReference.distances(PatchStatistics.of(grid, PatchGrid.bytes(img)));
    JsonNode first = ref.path("self_first");
    assertThat(first.size()).isEqualTo(8);
    for (int i = 0; i < first.size(); i++) {
      assertThat((double) own[i]).as("patch " + i).isCloseTo(first.get(i).asDouble(), within(1e-4));
    }
    double mean = 0;
    double max = 0;
    for (float x : own) {
      mean += x;
      max = Math.max(max, x);
    }
    assertThat(mean / own.length).isCloseTo(ref.path("self_mean").asDouble(), within(1e-4));
    assertThat(max).isCloseTo(ref.path("self_max").asDouble(), within(1e-3));
  }

  @Test
  void theInspectorScoresTheReferenceImageAsTheBenchmarkDid() throws Exception {
    OpenCv.ensureLoaded();
    JsonNode ref = new ObjectMapper().readTree(DIR.resolve("reference.json").toFile());
    Mat img = Imgcodecs.imread(DIR.resolve(ref.path("image").asText()).toString(), Imgcodecs.IMREAD_COLOR);
    try (PatchFlowModel m = load()) {
      Inspection in = new CropInspector(m).inspectPixels(img);
      assertThat(in.score()).isCloseTo(ref.path("image_score").asDouble(), within(0.02));
      assertThat(in.map().flaggedPatches()).isCloseTo(ref.path("flagged_patches").asLong(), within(1L));
      assertThat(in.regions()).isNotEmpty();
    }
  }

  @Test
  void aPinnedFileWithoutAScoringContractIsRefusedAsAModelLoadFailure() throws Exception {
    // A correctly pinned ONNX file that is not the crop flow: YuNet, entered under the crop
    // flow's name. It passes the sha256 check; its metadata has no contract.
    OwnModelManifest.Entry yunet = OwnModelManifest.load().get("yunet-n").orElseThrow();
    String row = String.join("\t", PatchFlowModel.NAME, yunet.path(), yunet.sha256(), "test", "0", "not a crop flow");
    OwnModelManifest manifest = OwnModelManifest.parse(
        new java.io.ByteArrayInputStream((row + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertThatThrownBy(() -> PatchFlowModel.loadPinned(manifest, ConfigLoader.home(),
        dev.edgeagent.detect.InferenceConfig.of(InferenceProvider.CPU, 1)))
        .isInstanceOf(dev.edgeagent.detect.ModelLoadException.class)
        .hasMessageContaining("not a usable anomaly model").hasMessageContaining("score_rule");
  }

  @Test
  void theContractIsTheOneTheBenchmarkCalibrated() throws Exception {
    JsonNode cal = new ObjectMapper().readTree(DIR.resolve("calibration.json").toFile());
    try (PatchFlowModel m = load()) {
      FlowContract c = m.contract();
      assertThat(c.scoreRule().key()).isEqualTo(cal.path("score_rule").asText());
      assertThat(c.threshold()).isCloseTo(cal.path("threshold").asDouble(), within(1e-9));
      for (String q : new String[] {"nll", "llr", "gen"}) {
        assertThat(c.stats().get(q).centre()).isCloseTo(cal.path(q + "_median_bpd").asDouble(), within(1e-9));
        assertThat(c.stats().get(q).scale()).isCloseTo(cal.path(q + "_scale_bpd").asDouble(), within(1e-9));
      }
      assertThat(c.stats().get("self").centre()).isCloseTo(cal.path("self_median").asDouble(), within(1e-9));
      assertThat(c.stats().get("self").scale()).isCloseTo(cal.path("self_scale").asDouble(), within(1e-9));
      assertThat(c.patch()).isEqualTo(16);
      assertThat(c.analysisLongSide()).isEqualTo(768);
    }
  }
}
