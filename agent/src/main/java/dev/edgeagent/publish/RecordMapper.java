package dev.edgeagent.publish;

import com.google.protobuf.UnsafeByteOperations;
import dev.edgeagent.detect.ModelInfo;
import dev.edgeagent.detect.ObjectClass;
import dev.edgeagent.encode.EncodedFrame;
import dev.edgeagent.protocol.FrameRecordCodec;
import dev.edgeagent.protocol.v1.AnomalyRegion;
import dev.edgeagent.protocol.v1.AnomalySummary;
import dev.edgeagent.protocol.v1.Box;
import dev.edgeagent.protocol.v1.Encoding;
import dev.edgeagent.protocol.v1.FrameRecord;
import dev.edgeagent.protocol.v1.ModelRef;
import dev.edgeagent.protocol.v1.RedactionSummary;
import dev.edgeagent.protocol.v1.Region;
import dev.edgeagent.protocol.v1.SrUncertainty;
import dev.edgeagent.protocol.v1.SuperResolution;
import dev.edgeagent.redact.AnonymizedFrame;
import dev.edgeagent.redact.KeptRegion;
import dev.edgeagent.redact.Redaction;

/**
 * Maps an {@link EncodedFrame} to the published {@link FrameRecord}. It takes the encoded
 * frame, never a raw one, so only redacted pixels can reach the wire. Stateless, thread-safe.
 */
public final class RecordMapper {
  private final String vehicleId;

  public RecordMapper(String vehicleId) {
    this.vehicleId = vehicleId;
  }

  /**
   * The record of an anonymized frame. A tuning frame of {@code anonymize --boxes} (boxes drawn,
   * nothing removed) is refused: it must never reach the spool or the broker.
   */
  public FrameRecord map(EncodedFrame f) {
    return map(f, 0);
  }

  /** As {@link #map(EncodedFrame)}, saying where this camera's numbering started in this run. */
  public FrameRecord map(EncodedFrame f, long runStartSequence) {
    if (!f.anonymized()) {
      throw new IllegalArgumentException("frame " + f.meta().sequence() + " of camera " + f.meta().cameraId()
          + " has its boxes drawn, not redacted (anonymize --boxes); it cannot be published");
    }
    FrameRecord.Builder b = FrameRecord.newBuilder()
        .setSchemaVersion(FrameRecordCodec.SCHEMA_VERSION)
        .setVehicleId(vehicleId)
        .setCameraId(f.meta().cameraId())
        .setSequence(f.meta().sequence())
        .setCaptureWallMillis(f.meta().wallMillis())
        .setCaptureMonotonicNanos(f.meta().monotonicNanos())
        .setWidth(f.meta().width())
        .setHeight(f.meta().height())
        .setRunStartSequence(runStartSequence)
        .setEncoding(Encoding.newBuilder().setFormat(FrameRecordCodec.FORMAT_JPEG).setQuality(f.quality()));
    RedactionSummary.Builder summary = RedactionSummary.newBuilder();
    for (Redaction r : f.redactions()) {
      summary.addRegions(region(r));
    }
    for (KeptRegion k : f.kept()) {
      summary.addKept(dev.edgeagent.protocol.v1.KeptRegion.newBuilder().setObjectClass(objectClass(k.cls()))
          .setScore((float) k.score()).setDetected(box(k.detected())).setReason(k.reason()));
    }
    b.setRedaction(summary);
    for (ModelInfo m : f.models()) {
      b.addModels(ModelRef.newBuilder().setId(m.id()).setSha256(m.sha256()));
    }
    if (f.enhancement() != null) {
      SuperResolution.Builder sr = SuperResolution.newBuilder().setModelId(f.enhancement().model().id())
          .setSha256(f.enhancement().model().sha256()).setScale(f.enhancement().scale());
      AnonymizedFrame.Uncertainty u = f.enhancement().uncertainty();
      if (u != null) {
        // the encoder owns these bytes and never changes them after encoding: no copy needed
        sr.setUncertainty(SrUncertainty.newBuilder().setPng(UnsafeByteOperations.unsafeWrap(f.uncertaintyPng()))
            .setModelId(u.sampler().id()).setSha256(u.sampler().sha256()).setSamples(u.samples())
            .setTemperature((float) u.temperature()).setSeed(u.seed()).setStdFullScale((float) u.stdFullScale()));
      }
      b.setSr(sr);
    }
    if (f.anomaly() != null) {
      b.setAnomaly(anomaly(f.anomaly()));
    }
    // the encoder owns these bytes and never changes them after encoding: no copy needed
    return b.setImage(UnsafeByteOperations.unsafeWrap(f.jpeg())).build();
  }

  private static AnomalySummary anomaly(AnonymizedFrame.Anomaly a) {
    AnomalySummary.Builder s = AnomalySummary.newBuilder().setModelId(a.model().id()).setSha256(a.model().sha256())
        .setScore((float) a.score()).setThreshold((float) a.threshold()).setScoreRule(a.scoreRule())
        .setFlaggedRegions(a.flaggedRegions()).setAnalysedSequence(a.analysedSequence())
        .setAnalysedWallMillis(a.analysedWallMillis()).setAgeMillis(Math.max(0, a.ageMillis()));
    for (AnonymizedFrame.AnomalyRegion r : a.regions()) {
      s.addRegions(AnomalyRegion.newBuilder().setBox(box(r.box())).setScore((float) r.score())
          .setMeanScore((float) r.meanScore()).setPatches(r.patches()));
    }
    return s.build();
  }

  private static Region region(Redaction r) {
    return Region.newBuilder()
        .setObjectClass(objectClass(r.cls()))
        .setScore((float) r.score())
        .setDetected(box(r.detected()))
        .setRedacted(box(r.redacted()))
        .setMethod(r.mode().label())
        .setMargin((float) r.margin())
        .build();
  }

  private static Region.ObjectClass objectClass(ObjectClass c) {
    return c == ObjectClass.FACE ? Region.ObjectClass.FACE : Region.ObjectClass.PLATE;
  }

  private static Box box(dev.edgeagent.detect.Box b) {
    return Box.newBuilder().setX((float) b.x()).setY((float) b.y()).setW((float) b.w()).setH((float) b.h()).build();
  }
}
