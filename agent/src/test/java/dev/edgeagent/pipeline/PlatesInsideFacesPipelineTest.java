package dev.edgeagent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeagent.TestAssets;
import dev.edgeagent.capture.FrameMeta;
import dev.edgeagent.capture.RawFrame;
import dev.edgeagent.detect.Box;
import dev.edgeagent.detect.Detection;
import dev.edgeagent.detect.Detector;
import dev.edgeagent.detect.ModelInfo;
import dev.edgeagent.detect.ObjectClass;
import dev.edgeagent.health.AgentMetrics;
import dev.edgeagent.redact.AnonymizedFrame;
import dev.edgeagent.redact.Redaction;
import dev.edgeagent.track.BoxTracker;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;

/**
 * The frame processor, which run, anonymize, eval, bench and the demo all go through, leaves a
 * plate inside a face's redaction to the face: not redacted again, not counted as a plate, but
 * counted in edgeagent_plates_inside_faces_total.
 */
class PlatesInsideFacesPipelineTest {
  static final Detection FACE = new Detection(ObjectClass.FACE, new Box(218, 86, 44, 50), 0.9);
  static final Detection EYE = new Detection(ObjectClass.PLATE, new Box(225, 100, 14, 6), 0.7);
  static final Detection ACROSS = new Detection(ObjectClass.PLATE, new Box(250, 120, 60, 20), 0.7);
  static final Detection SIGN = new Detection(ObjectClass.PLATE, new Box(20, 270, 120, 30), 0.7);

  static final class Fixed implements Detector {
    @Override
    public ModelInfo model() {
      return new ModelInfo("fixed", "0".repeat(64));
    }

    @Override
    public List<Detection> detect(Mat bgr) {
      return List.of(FACE, EYE, ACROSS, SIGN);
    }
  }

  @Test
  void aPlateInsideAFaceIsLeftToTheFaceAndCountedApart() throws Exception {
    AgentMetrics metrics = new AgentMetrics();
    try (Components c = Components.build(TestAssets.config(Map.of("detect.faces", false, "detect.plates", false,
        "detect.plate_map", false, "redact.mode", "solid")), metrics, List.of(new Fixed()))) {
      Mat img = TestAssets.image("messi5.jpg");
      FrameProcessor.Outcome o = new FrameProcessor(c).process(
          new RawFrame(new FrameMeta("cam", 1, 0, 0, img.cols(), img.rows(), "messi5.jpg"), img), new BoxTracker(0));
      try (AnonymizedFrame f = o.frame()) {
        assertThat(o.dropped()).isNull();
        assertThat(f.redactions()).extracting(Redaction::detected)
            .containsExactlyInAnyOrder(FACE.box(), ACROSS.box(), SIGN.box());
        assertThat(f.count(ObjectClass.PLATE)).isEqualTo(2);
      }
      assertThat(metrics.total("regions.plate")).isEqualTo(2);
      assertThat(metrics.total("regions.face")).isEqualTo(1);
      assertThat(metrics.total("plates.inside_faces")).isEqualTo(1);
      assertThat(metrics.scrape()).contains("edgeagent_plates_inside_faces_total 1.0");
    }
  }
}
