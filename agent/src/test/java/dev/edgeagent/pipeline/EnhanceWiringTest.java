package dev.edgeagent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeagent.TestAssets;
import dev.edgeagent.capture.Sources;
import dev.edgeagent.encode.FrameSink;
import dev.edgeagent.encode.JpegEncoder;
import dev.edgeagent.health.AgentMetrics;
import dev.edgeagent.protocol.v1.FrameRecord;
import dev.edgeagent.publish.RecordMapper;
import dev.edgeagent.redact.AnonymizedFrame;
import dev.edgeagent.track.TrackOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Super-resolution runs in the pipeline after redaction and is declared in the published record. */
class EnhanceWiringTest {

  @Test
  void regionModeUpscalesTheRedactedFrameAndTheRecordSaysWithWhichModel() throws Exception {
    Published out = new Published();
    AgentMetrics metrics = new AgentMetrics();
    try (Components c = Components.build(TestAssets.config(Map.of("detect.plates", false,
        "enhance.mode", "region", "enhance.region", "0.25,0.25,0.2,0.2")), metrics)) {
      out.run(c, 3);
    }
    assertThat(out.records).hasSize(3);
    // 720x528 frame, region 20% x 20% = 144x106 (rounded) crop, published at twice its size.
    assertThat(out.sizes).allSatisfy(wh -> {
      assertThat(wh[0]).isBetween(286, 290);
      assertThat(wh[1]).isBetween(208, 214);
    });
    assertThat(out.records).allSatisfy(r -> {
      assertThat(r.hasSr()).isTrue();
      assertThat(r.getSr().getModelId()).isEqualTo("affine-stablesr-x2");
      assertThat(r.getSr().getSha256()).matches("[0-9a-f]{64}");
      assertThat(r.getSr().getScale()).isEqualTo(2);
      assertThat(r.getModelsList()).extracting(m -> m.getId()).contains("yunet-n");
    });
    assertThat(metrics.scrape()).doesNotContain("edgeagent_enhance_failures_total");
  }

  @Test
  void withEnhanceOffTheRecordHasNoSrInfo() throws Exception {
    Published out = new Published();
    try (Components c = Components.build(TestAssets.config(Map.of("detect.plates", false)), new AgentMetrics())) {
      out.run(c, 2);
    }
    assertThat(out.records).hasSize(2).allSatisfy(r -> assertThat(r.hasSr()).isFalse());
  }

  @Test
  void withEnhanceUncertaintyTheRecordCarriesTheMapAtThePublishedSize() throws Exception {
    Published out = new Published();
    AgentMetrics metrics = new AgentMetrics();
    try (Components c = Components.build(TestAssets.config(Map.of("detect.plates", false,
        "enhance.mode", "region", "enhance.region", "0.4,0.4,0.1,0.1", "enhance.uncertainty", true,
        "enhance.uncertainty_samples", 2)), metrics)) {
      assertThat(c.providers()).containsKey("affine-stablesr-x2-sampler");
      out.run(c, 1);
    }
    assertThat(out.records).hasSize(1).allSatisfy(r -> {
      assertThat(r.getSr().hasUncertainty()).isTrue();
      org.opencv.core.Mat map = org.opencv.imgcodecs.Imgcodecs.imdecode(
          new org.opencv.core.MatOfByte(r.getSr().getUncertainty().getPng().toByteArray()),
          org.opencv.imgcodecs.Imgcodecs.IMREAD_UNCHANGED);
      assertThat(map.cols()).isEqualTo(r.getWidth());
      assertThat(map.rows()).isEqualTo(r.getHeight());
      assertThat(r.getSr().getUncertainty().getSamples()).isEqualTo(2);
    });
    assertThat(metrics.scrape()).doesNotContain("edgeagent_enhance_failures_total");
  }

  /** The first frames of the test video through a camera pipeline, as records and published sizes. */
  private static final class Published implements FrameSink {
    final List<FrameRecord> records = new ArrayList<>();
    final List<int[]> sizes = new ArrayList<>();
    private final JpegEncoder jpeg = new JpegEncoder(85);
    private final RecordMapper mapper = new RecordMapper("van-1");

    void run(Components c, int frames) throws Exception {
      new CameraPipeline(Sources.open("cam", TestAssets.media("Megamind.avi").toString(), 2), c, this,
          TrackOptions.holdOnly(0), 4, frames, null).run();
    }

    @Override
    public void accept(AnonymizedFrame f) {
      sizes.add(new int[] {f.pixels().cols(), f.pixels().rows()});
      records.add(mapper.map(jpeg.encode(f)));
    }

    @Override
    public void close() {}
  }
}
