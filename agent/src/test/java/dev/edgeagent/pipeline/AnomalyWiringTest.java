package dev.edgeagent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.edgeagent.TestAssets;
import dev.edgeagent.capture.Sources;
import dev.edgeagent.detect.OwnModelManifest;
import dev.edgeagent.encode.FrameSink;
import dev.edgeagent.encode.JpegEncoder;
import dev.edgeagent.health.AgentMetrics;
import dev.edgeagent.inspect.PatchFlowModel;
import dev.edgeagent.protocol.v1.FrameRecord;
import dev.edgeagent.publish.RecordMapper;
import dev.edgeagent.redact.AnonymizedFrame;
import dev.edgeagent.track.TrackOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With inspect.enabled, a camera's records carry the crop-anomaly watch's newest summary, which
 * names an earlier frame of the same camera; without it they carry none. The camera is the
 * committed synthetic-defect set (models/anomaly/defects, 192 x 192 field crops).
 */
class AnomalyWiringTest {
  private static final String DEFECTS = TestAssets.home().resolve("models/anomaly/defects/images").toString();

  @Test
  void recordsCarryTheNewestSummaryOfAnEarlierFrame() throws Exception {
    AgentMetrics metrics = new AgentMetrics();
    List<FrameRecord> records = new ArrayList<>();
    try (Components c = Components.build(TestAssets.config(Map.of("detect.plates", false, "inspect.enabled", true,
        "inspect.interval_ms", 0, "inspect.max_age_ms", 600_000, "inspect.max_regions", 3)), metrics)) {
      assertThat(c.providers()).containsKey(PatchFlowModel.NAME);
      RecordMapper mapper = new RecordMapper("drone-1");
      JpegEncoder jpeg = new JpegEncoder(85);
      FrameSink sink = new FrameSink() {
        @Override
        public void accept(AnonymizedFrame f) {
          records.add(mapper.map(jpeg.encode(f)));
          if (records.size() == 1) {
            // hold the camera back until the first frame is scored, so later frames can carry it
            await().atMost(Duration.ofMinutes(2)).until(() -> !c.anomalyWatch().scoring());
          }
        }

        @Override
        public void close() {}
      };
      new CameraPipeline(Sources.open("gimbal", DEFECTS, 2), c, sink, TrackOptions.holdOnly(0), 2, 24, null).run();
    }
    assertThat(records).hasSize(24);
    List<FrameRecord> withSummary = records.stream().filter(FrameRecord::hasAnomaly).toList();
    assertThat(withSummary).as("records after the first scoring").isNotEmpty();
    assertThat(records.get(0).hasAnomaly()).isFalse();
    String pin = OwnModelManifest.load().get(PatchFlowModel.NAME).orElseThrow().sha256();
    assertThat(withSummary).allSatisfy(r -> {
      assertThat(r.getAnomaly().getAnalysedSequence()).isLessThan(r.getSequence());
      assertThat(r.getAnomaly().getModelId()).isEqualTo(PatchFlowModel.NAME);
      assertThat(r.getAnomaly().getSha256()).isEqualTo(pin);
      assertThat(r.getAnomaly().getRegionsCount()).isLessThanOrEqualTo(3)
          .isLessThanOrEqualTo(r.getAnomaly().getFlaggedRegions());
      r.getAnomaly().getRegionsList().forEach(g -> {
        assertThat(g.getBox().getX() + g.getBox().getW()).isLessThanOrEqualTo(r.getWidth());
        assertThat(g.getBox().getY() + g.getBox().getH()).isLessThanOrEqualTo(r.getHeight());
      });
    });
    assertThat(metrics.scrape()).contains("edgeagent_inspect_scored_total{camera=\"gimbal\"}")
        .doesNotContain("edgeagent_inspect_failures_total{");
  }

  @Test
  void withoutTheWatchRecordsCarryNoSummaryAndTheFlowIsNotLoaded() throws Exception {
    List<FrameRecord> records = new ArrayList<>();
    RecordMapper mapper = new RecordMapper("drone-1");
    JpegEncoder jpeg = new JpegEncoder(85);
    try (Components c = Components.build(TestAssets.config(Map.of("detect.plates", false)), new AgentMetrics())) {
      assertThat(c.anomalyWatch()).isNull();
      assertThat(c.providers()).doesNotContainKey(PatchFlowModel.NAME);
      FrameSink sink = new FrameSink() {
        @Override
        public void accept(AnonymizedFrame f) {
          records.add(mapper.map(jpeg.encode(f)));
        }

        @Override
        public void close() {}
      };
      new CameraPipeline(Sources.open("gimbal", DEFECTS, 2), c, sink, TrackOptions.holdOnly(0), 2, 3, null).run();
    }
    assertThat(records).hasSize(3).noneMatch(FrameRecord::hasAnomaly);
  }
}
