package dev.edgeagent.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeagent.encode.EncodedFrame;
import dev.edgeagent.encode.JpegEncoder;
import dev.edgeagent.protocol.FrameRecordCodec;
import dev.edgeagent.protocol.v1.FrameRecord;
import dev.edgeagent.protocol.v1.Region;
import dev.edgeagent.redact.AnonymizedFrame;
import dev.edgeagent.redact.TestFrames;
import org.junit.jupiter.api.Test;

class RecordMapperTest {

  @Test
  void everyFrameFieldReachesTheRecordAndDecodes() throws Exception {
    EncodedFrame e;
    try (AnonymizedFrame f = TestFrames.anonymized("front", 7, 160, 120, false)) {
      e = new JpegEncoder(80).encode(f);
    }
    FrameRecord r = FrameRecordCodec.decode(FrameRecordCodec.encode(new RecordMapper("van-1").map(e)));

    assertThat(r.getSchemaVersion()).isEqualTo(FrameRecordCodec.SCHEMA_VERSION);
    assertThat(r.getVehicleId()).isEqualTo("van-1");
    assertThat(r.getCameraId()).isEqualTo("front");
    assertThat(r.getSequence()).isEqualTo(7);
    assertThat(r.getCaptureWallMillis()).isEqualTo(1_795_000_000_007L);
    assertThat(r.getCaptureMonotonicNanos()).isEqualTo(7_000_000L);
    assertThat(r.getWidth()).isEqualTo(160);
    assertThat(r.getHeight()).isEqualTo(120);
    assertThat(r.getEncoding().getFormat()).isEqualTo("jpeg");
    assertThat(r.getEncoding().getQuality()).isEqualTo(80);
    assertThat(r.getImage().toByteArray()).isEqualTo(e.jpeg());
    assertThat(r.getModelsList()).singleElement()
        .satisfies(m -> assertThat(m.getId() + "@" + m.getSha256()).isEqualTo("face-test@ab12"));
    assertThat(r.hasSr()).isFalse();
    assertThat(r.hasAnomaly()).isFalse();

    Region face = r.getRedaction().getRegions(0);
    assertThat(r.getRedaction().getRegionsCount()).isEqualTo(1);
    assertThat(face.getObjectClass()).isEqualTo(Region.ObjectClass.FACE);
    assertThat(face.getScore()).isEqualTo(0.9f);
    assertThat(face.getMethod()).isEqualTo("solid");
    assertThat(face.getMargin()).isEqualTo(0.1f);
    assertThat(face.getDetected().getX()).isEqualTo(10f);
    assertThat(face.getDetected().getW()).isEqualTo(40f);
    // the margin grew the redacted box by 10 % of 40 px on every side
    assertThat(face.getRedacted().getX()).isEqualTo(6f);
    assertThat(face.getRedacted().getW()).isEqualTo(48f);
  }

  @Test
  void anAnomalySummaryReachesTheRecordWithTheFrameItDescribes() throws Exception {
    EncodedFrame e;
    AnonymizedFrame.Anomaly summary = new AnonymizedFrame.Anomaly(new dev.edgeagent.detect.ModelInfo("crop-flow",
        "cd34"), 4.5, 2.31, "llr+nll", java.util.List.of(new AnonymizedFrame.AnomalyRegion(
            new dev.edgeagent.detect.Box(16, 24, 40, 32), 4.5, 3.25, 7)), 3, 2, 1_795_000_000_002L, 5);
    try (AnonymizedFrame f = TestFrames.anonymized("gimbal", 7, 160, 120, false).withAnomaly(summary)) {
      e = new JpegEncoder(80).encode(f);
    }
    FrameRecord r = FrameRecordCodec.decode(FrameRecordCodec.encode(new RecordMapper("drone-1").map(e)));
    assertThat(r.hasAnomaly()).isTrue();
    dev.edgeagent.protocol.v1.AnomalySummary a = r.getAnomaly();
    assertThat(a.getModelId() + "@" + a.getSha256()).isEqualTo("crop-flow@cd34");
    assertThat(a.getScore()).isEqualTo(4.5f);
    assertThat(a.getThreshold()).isEqualTo(2.31f);
    assertThat(a.getScoreRule()).isEqualTo("llr+nll");
    assertThat(a.getFlaggedRegions()).isEqualTo(3);
    assertThat(a.getAnalysedSequence()).isEqualTo(2);
    assertThat(a.getAnalysedWallMillis()).isEqualTo(1_795_000_000_002L);
    assertThat(a.getAgeMillis()).isEqualTo(5);
    assertThat(a.getRegionsList()).singleElement().satisfies(g -> {
      assertThat(g.getBox().getX()).isEqualTo(16f);
      assertThat(g.getBox().getY()).isEqualTo(24f);
      assertThat(g.getBox().getW()).isEqualTo(40f);
      assertThat(g.getBox().getH()).isEqualTo(32f);
      assertThat(g.getScore()).isEqualTo(4.5f);
      assertThat(g.getMeanScore()).isEqualTo(3.25f);
      assertThat(g.getPatches()).isEqualTo(7);
    });
    assertThat(r.getRedaction().getRegionsCount()).as("the redaction record is the frame's own").isEqualTo(1);
  }

  @Test
  void keptRegionsReachTheRecordWithTheEntryThatKeptThem() throws Exception {
    EncodedFrame e;
    try (AnonymizedFrame f = TestFrames.withReview("front", 3, "keep.txt:5", false)) {
      e = new JpegEncoder(80).encode(f);
    }
    FrameRecord r = FrameRecordCodec.decode(FrameRecordCodec.encode(new RecordMapper("van-1").map(e)));
    assertThat(r.getRedaction().getRegionsCount()).isEqualTo(1);
    assertThat(r.getRedaction().getKeptList()).singleElement().satisfies(k -> {
      assertThat(k.getObjectClass()).isEqualTo(Region.ObjectClass.FACE);
      assertThat(k.getDetected().getX()).isEqualTo(80f);
      assertThat(k.getScore()).isEqualTo(0.35f);
      assertThat(k.getReason()).isEqualTo("keep.txt:5");
    });
  }

  @Test
  void aFrameWithItsBoxesDrawnInsteadOfRedactedIsRefused() {
    EncodedFrame e;
    try (AnonymizedFrame f = TestFrames.withReview("front", 3, null, true)) {
      e = new JpegEncoder(80).encode(f);
    }
    assertThat(e.anonymized()).isFalse();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RecordMapper("van-1").map(e))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be published");
  }

  @Test
  void anUncertaintyMapTravelsInsideTheSrField() throws Exception {
    dev.edgeagent.detect.ModelInfo sr = new dev.edgeagent.detect.ModelInfo("affine-stablesr-x2", "aa");
    dev.edgeagent.detect.ModelInfo sampler = new dev.edgeagent.detect.ModelInfo("affine-stablesr-x2-sampler", "bb");
    byte[] grey = new byte[32 * 24];
    grey[5] = (byte) 200;
    EncodedFrame e;
    try (AnonymizedFrame f = TestFrames.anonymized("front", 8, 32, 24, false);
         AnonymizedFrame up = f.derive(f.pixels().clone(), sr, 2,
             new AnonymizedFrame.Uncertainty(grey, 32, 24, sampler, 8, 0.8, 3, 8.0))) {
      e = new JpegEncoder(80).encode(up);
    }
    FrameRecord r = FrameRecordCodec.decode(FrameRecordCodec.encode(new RecordMapper("van-1").map(e)));
    assertThat(r.getSr().getModelId()).isEqualTo("affine-stablesr-x2");
    assertThat(r.getSr().hasUncertainty()).isTrue();
    dev.edgeagent.protocol.v1.SrUncertainty u = r.getSr().getUncertainty();
    org.opencv.core.Mat map = org.opencv.imgcodecs.Imgcodecs.imdecode(
        new org.opencv.core.MatOfByte(u.getPng().toByteArray()), org.opencv.imgcodecs.Imgcodecs.IMREAD_UNCHANGED);
    byte[] back = new byte[32 * 24];
    map.get(0, 0, back);
    assertThat(back).isEqualTo(grey);
    assertThat(u.getModelId() + "@" + u.getSha256()).isEqualTo("affine-stablesr-x2-sampler@bb");
    assertThat(u.getSamples()).isEqualTo(8);
    assertThat(u.getTemperature()).isEqualTo(0.8f);
    assertThat(u.getSeed()).isEqualTo(3);
    assertThat(u.getStdFullScale()).isEqualTo(8f);

    EncodedFrame plain;
    try (AnonymizedFrame f = TestFrames.anonymized("front", 9, 32, 24, false);
         AnonymizedFrame up = f.derive(f.pixels().clone(), sr, 2)) {
      plain = new JpegEncoder(80).encode(up);
    }
    assertThat(new RecordMapper("van-1").map(plain).getSr().hasUncertainty()).isFalse();
  }
}
