package dev.edgeagent.protocol;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.edgeagent.protocol.v1.FrameRecord;

/**
 * Bytes to and from {@link FrameRecord}, with the checks protobuf itself does not make.
 * Protobuf happily parses an empty array, or a record cut off at a field boundary, into a
 * record with default values; a consumer would then write an empty image or file a frame
 * under camera "". So decode insists on the fields every record has, and rejects a major
 * schema version it does not know rather than misreading it. Unknown fields (added by a newer
 * minor version) are kept and ignored.
 *
 * <p>Truncation is always caught in v1: protobuf-java writes fields in number order, so
 * {@code image} (15) is last on the wire, and a cut either lands inside it (a parse error) or
 * drops it (a missing field). A later field numbered above 15 would be written after the image,
 * and a cut exactly in front of it would go unnoticed: Kafka's batch CRC is what guards against
 * that in transit. Stateless and thread-safe.
 */
public final class FrameRecordCodec {

  /** The major schema version this build writes and the newest it reads. */
  public static final int SCHEMA_VERSION = 1;

  /** The value of {@code encoding.format} for JPEG images. */
  public static final String FORMAT_JPEG = "jpeg";

  private FrameRecordCodec() {}

  /**
   * Serializes a record after checking it would decode: a producer must never publish what
   * its own consumers reject.
   *
   * @throws IllegalArgumentException when a required field is missing or the version unknown
   */
  public static byte[] encode(FrameRecord record) {
    String problem = problem(record);
    if (problem != null) {
      throw new IllegalArgumentException("refusing to encode an invalid record: " + problem);
    }
    return record.toByteArray();
  }

  /**
   * Parses and validates one record value.
   *
   * @throws RecordDecodeException on null, empty, malformed or truncated input, a missing
   *     schema_version, camera_id or image, or a schema_version newer than {@link #SCHEMA_VERSION}
   */
  public static FrameRecord decode(byte[] value) throws RecordDecodeException {
    if (value == null || value.length == 0) {
      throw new RecordDecodeException("empty record value");
    }
    FrameRecord r;
    try {
      r = FrameRecord.parseFrom(value);
    } catch (InvalidProtocolBufferException e) {
      throw new RecordDecodeException("not a FrameRecord (" + value.length + " bytes): " + e.getMessage(), e);
    }
    String problem = problem(r);
    if (problem != null) {
      throw new RecordDecodeException(problem + " (" + value.length + " bytes)");
    }
    return r;
  }

  /** Null when the record is complete, else what is wrong with it. */
  private static String problem(FrameRecord r) {
    int version = r.getSchemaVersion();
    if (version == 0) {
      return "missing schema_version";
    }
    if (Integer.compareUnsigned(version, SCHEMA_VERSION) > 0) {
      return "unsupported schema_version " + Integer.toUnsignedString(version)
          + " (this consumer reads up to " + SCHEMA_VERSION + "; upgrade it)";
    }
    if (r.getCameraId().isEmpty()) {
      return "missing camera_id";
    }
    if (r.getImage().isEmpty()) {
      return "missing image";
    }
    return null;
  }
}
