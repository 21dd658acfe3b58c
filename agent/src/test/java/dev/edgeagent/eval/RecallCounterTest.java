package dev.edgeagent.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgeagent.capture.OpenCv;
import dev.edgeagent.detect.Box;
import dev.edgeagent.detect.ObjectClass;
import dev.edgeagent.redact.Redaction;
import dev.edgeagent.redact.RedactionMode;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RecallCounterTest {
  @BeforeAll
  static void opencv() {
    OpenCv.ensureLoaded();
  }

  static Redaction region(ObjectClass c, Box b) {
    return new Redaction(c, b, b, 0.9, RedactionMode.SOLID, 0);
  }

  @Test
  void aBoxCountsAsFoundOnlyWhenNinetyPercentIsCovered() {
    RecallCounter rc = new RecallCounter();
    Box face = new Box(10, 10, 20, 20); // small (< 32 px tall)
    Box plate = new Box(100, 100, 100, 40); // medium
    Box bigFace = new Box(200, 10, 100, 100); // large
    rc.add(400, 300, List.of(
            new CocoDataset.Truth(ObjectClass.FACE, face),
            new CocoDataset.Truth(ObjectClass.PLATE, plate),
            new CocoDataset.Truth(ObjectClass.FACE, bigFace)),
        List.of(
            region(ObjectClass.FACE, new Box(8, 8, 24, 24)), // covers the small face
            region(ObjectClass.PLATE, new Box(100, 100, 85, 40)), // 85% of the plate: not found
            region(ObjectClass.FACE, new Box(350, 250, 10, 10)))); // false positive
    JsonNode j = rc.toJson();
    assertThat(j.at("/face/gt").asInt()).isEqualTo(2);
    assertThat(j.at("/face/found").asInt()).isEqualTo(1);
    assertThat(j.at("/face/recall").asDouble()).isEqualTo(0.5);
    assertThat(j.at("/face/precision").asDouble()).isEqualTo(0.5);
    assertThat(j.at("/face/recall_by_size/small/recall").asDouble()).isEqualTo(1.0);
    assertThat(j.at("/face/recall_by_size/large/recall").asDouble()).isEqualTo(0.0);
    assertThat(j.at("/face/recall_by_size/medium/recall").isNull()).isTrue();
    assertThat(j.at("/plate/recall").asDouble()).isEqualTo(0.0);
    assertThat(j.at("/plate/precision").asDouble()).isEqualTo(1.0);
    assertThat(j.at("/face/precision_same_class").asDouble()).isEqualTo(0.5);
  }

  @Test
  void aFaceHiddenByAPlateRegionIsStillHidden() {
    RecallCounter rc = new RecallCounter();
    rc.add(100, 100, List.of(new CocoDataset.Truth(ObjectClass.FACE, new Box(10, 10, 30, 30))),
        List.of(region(ObjectClass.PLATE, new Box(0, 0, 50, 50))));
    assertThat(rc.toJson().at("/face/recall").asDouble()).isEqualTo(1.0);
    // The plate region removed a face: correct as a redaction, wrong as a plate.
    assertThat(rc.toJson().at("/plate/precision").asDouble()).isEqualTo(1.0);
    assertThat(rc.toJson().at("/plate/precision_same_class").asDouble()).isEqualTo(0.0);
  }
}
