package dev.edgeagent.protocol;

import com.google.protobuf.ByteString;
import dev.edgeagent.protocol.v1.Box;
import dev.edgeagent.protocol.v1.Encoding;
import dev.edgeagent.protocol.v1.FrameRecord;
import dev.edgeagent.protocol.v1.ModelRef;
import dev.edgeagent.protocol.v1.RedactionSummary;
import dev.edgeagent.protocol.v1.Region;
import dev.edgeagent.protocol.v1.SuperResolution;

/** Fixed records for the tests; {@link #v1()} is also what the v1 golden file holds. */
final class SampleRecords {
  /** A JPEG start and end marker around a few bytes: enough to tell images apart. */
  static final byte[] IMAGE = {(byte) 0xFF, (byte) 0xD8, 1, 2, 3, 4, 5, (byte) 0xFF, (byte) 0xD9};

  private SampleRecords() {}

  static FrameRecord v1() {
    return FrameRecord.newBuilder()
        .setSchemaVersion(1)
        .setVehicleId("van-07")
        .setCameraId("front")
        .setSequence(42)
        .setCaptureWallMillis(1_795_000_000_123L)
        .setCaptureMonotonicNanos(987_654_321L)
        .setWidth(720)
        .setHeight(528)
        .setEncoding(Encoding.newBuilder().setFormat("jpeg").setQuality(85))
        .setRedaction(RedactionSummary.newBuilder()
            .addRegions(Region.newBuilder().setObjectClass(Region.ObjectClass.FACE).setScore(0.875f)
                .setDetected(box(100, 50, 40, 48)).setRedacted(box(92, 40.5f, 56, 67))
                .setMethod("inpaint").setMargin(0.2f))
            .addRegions(Region.newBuilder().setObjectClass(Region.ObjectClass.PLATE).setScore(0.5f)
                .setDetected(box(300, 400, 120, 30)).setRedacted(box(288, 397, 144, 36))
                .setMethod("inpaint").setMargin(0.1f)))
        .addModels(ModelRef.newBuilder().setId("blazeface-back-256").setSha256("427cbbe0"))
        .addModels(ModelRef.newBuilder().setId("ppocr-v4-det").setSha256("30a86f57"))
        .setSr(SuperResolution.newBuilder().setModelId("sr-x2").setSha256("abcdef01").setScale(2))
        .setImage(ByteString.copyFrom(IMAGE))
        .build();
  }

  static Box box(float x, float y, float w, float h) {
    return Box.newBuilder().setX(x).setY(y).setW(w).setH(h).build();
  }
}
