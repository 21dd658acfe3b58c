package dev.edgeagent.protocol;

import dev.edgeagent.protocol.v1.FrameRecord;
import java.util.Objects;

/**
 * The identity of one published frame: vehicle, camera and per-camera sequence. A producer
 * retry or a replay after a crash publishes the same id again, so consumers deduplicate on it.
 * Travels in the {@value #HEADER} record header as {@code vehicle/camera/sequence}, so a
 * consumer can deduplicate without decoding the (large) value.
 *
 * <p>Camera ids never contain '/', and the sequence is a number, so the value is split from the
 * right: a vehicle id with a '/' in it still round-trips.
 */
public record RecordId(String vehicle, String camera, long sequence) {

  /** Kafka header carrying {@link #toHeaderValue()} as UTF-8. */
  public static final String HEADER = "edgeagent-record-id";

  public RecordId {
    Objects.requireNonNull(vehicle, "vehicle");
    Objects.requireNonNull(camera, "camera");
    if (camera.isEmpty() || camera.indexOf('/') >= 0) {
      throw new IllegalArgumentException("camera id must be non-empty and free of '/': \"" + camera + "\"");
    }
  }

  public static RecordId of(FrameRecord r) {
    return new RecordId(r.getVehicleId(), r.getCameraId(), r.getSequence());
  }

  /** {@code vehicle/camera/sequence}; the sequence is unsigned, as in the schema. */
  public String toHeaderValue() {
    return vehicle + "/" + camera + "/" + Long.toUnsignedString(sequence);
  }

  /**
   * Parses {@link #toHeaderValue()}.
   *
   * @throws IllegalArgumentException when the value is not {@code vehicle/camera/sequence}
   */
  public static RecordId parse(String value) {
    Objects.requireNonNull(value, "value");
    int seqSep = value.lastIndexOf('/');
    int camSep = seqSep <= 0 ? -1 : value.lastIndexOf('/', seqSep - 1);
    if (camSep < 0) {
      throw new IllegalArgumentException("record id must be vehicle/camera/sequence: \"" + value + "\"");
    }
    String seq = value.substring(seqSep + 1);
    long sequence;
    try {
      sequence = Long.parseUnsignedLong(seq);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("record id sequence is not a number: \"" + value + "\"", e);
    }
    return new RecordId(value.substring(0, camSep), value.substring(camSep + 1, seqSep), sequence);
  }

  @Override
  public String toString() {
    return toHeaderValue();
  }
}
