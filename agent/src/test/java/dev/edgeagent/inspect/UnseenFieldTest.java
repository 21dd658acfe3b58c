package dev.edgeagent.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeagent.capture.OpenCv;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * On the photo no training patch came from (a forest floor; the flows alone ranked its defects
 * worse than chance), the shipped score's most unusual patch lies on the defect, for the defect
 * kinds the flows alone missed most: colour-only (dry) patches and holes (ADR 0024).
 */
class UnseenFieldTest {
  static PatchFlowModel model;

  @BeforeAll
  static void load() throws Exception {
    OpenCv.ensureLoaded();
    model = PatchFlowModelTest.load();
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"018_dry.jpg", "019_dry.jpg", "022_dry.jpg", "000_hole.jpg", "010_hole.jpg"})
  void theMostUnusualPatchIsOnTheDefect(String file) throws Exception {
    JsonNode item = null;
    for (JsonNode it : new ObjectMapper().readTree(PatchFlowModelTest.DIR.resolve("defects/defects.json").toFile())
        .path("items")) {
      if (it.path("file").asText().equals("images/" + file)) {
        item = it;
      }
    }
    assertThat(item).as(file).isNotNull();
    assertThat(item.path("role").asText()).isEqualTo("unseen");
    Mat img = Imgcodecs.imread(PatchFlowModelTest.DIR.resolve("defects/images/" + file).toString());
    AnomalyMap map = new CropInspector(model).inspectPixels(img).map();
    int best = 0;
    for (int i = 1; i < map.scores().length; i++) {
      if (map.scores()[i] > map.scores()[best]) {
        best = i;
      }
    }
    PatchGrid g = map.grid();
    int x = (best % g.cols()) * g.stride();
    int y = (best / g.cols()) * g.stride();
    JsonNode b = item.path("bbox_xywh");
    boolean overlaps = x < b.get(0).asInt() + b.get(2).asInt() && b.get(0).asInt() < x + g.patch()
        && y < b.get(1).asInt() + b.get(3).asInt() && b.get(1).asInt() < y + g.patch();
    assertThat(overlaps).as(file + ": most unusual patch at " + x + "," + y + " vs defect " + b).isTrue();
  }
}
