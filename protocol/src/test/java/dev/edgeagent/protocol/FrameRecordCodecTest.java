package dev.edgeagent.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.edgeagent.protocol.v1.FrameRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameRecordCodecTest {

  @Test
  void roundTripKeepsEveryField() throws Exception {
    FrameRecord in = SampleRecords.v1();
    FrameRecord out = FrameRecordCodec.decode(FrameRecordCodec.encode(in));
    assertThat(out).isEqualTo(in);
    assertThat(out.hasSr()).isTrue();
    assertThat(out.getRedaction().getRegionsList()).hasSize(2);
    assertThat(out.getImage().toByteArray()).containsExactly(SampleRecords.IMAGE);
  }

  @Test
  void recordWithoutOptionalSrSaysSo() throws Exception {
    FrameRecord in = SampleRecords.v1().toBuilder().clearSr().build();
    assertThat(FrameRecordCodec.decode(FrameRecordCodec.encode(in)).hasSr()).isFalse();
  }

  @Test
  void unknownFieldsFromANewerMinorVersionAreTolerated() throws Exception {
    byte[] known = FrameRecordCodec.encode(SampleRecords.v1());
    ByteArrayOutputStream extra = new ByteArrayOutputStream();
    CodedOutputStream cos = CodedOutputStream.newInstance(extra);
    cos.writeString(99, "a field this consumer has never heard of");
    cos.writeUInt64(100, 123456789L);
    cos.flush();
    byte[] withExtra = concat(known, extra.toByteArray());

    FrameRecord out = FrameRecordCodec.decode(withExtra);
    assertThat(out.getCameraId()).isEqualTo("front");
    assertThat(out.getSequence()).isEqualTo(42);
    assertThat(out.getUnknownFields().hasField(99)).isTrue();
    assertThat(out.getUnknownFields().hasField(100)).isTrue();
  }

  @Test
  void emptyAndNullInputAreRejected() {
    assertThatThrownBy(() -> FrameRecordCodec.decode(new byte[0]))
        .isInstanceOf(RecordDecodeException.class).hasMessageContaining("empty");
    assertThatThrownBy(() -> FrameRecordCodec.decode(null))
        .isInstanceOf(RecordDecodeException.class);
  }

  @Test
  void everyTruncationIsRejected() throws Exception {
    byte[] full = FrameRecordCodec.encode(SampleRecords.v1());
    for (int len = 0; len < full.length; len++) {
      byte[] cut = Arrays.copyOf(full, len);
      assertThatThrownBy(() -> FrameRecordCodec.decode(cut))
          .as("truncated to %d of %d bytes", len, full.length)
          .isInstanceOf(RecordDecodeException.class);
    }
  }

  @Test
  void garbageIsRejectedWithTheCheckedExceptionOnly() {
    Random rnd = new Random(20261123);
    for (int i = 0; i < 2000; i++) {
      byte[] junk = new byte[1 + rnd.nextInt(300)];
      rnd.nextBytes(junk);
      assertThatThrownBy(() -> FrameRecordCodec.decode(junk))
          .as("random input #%d", i)
          .isInstanceOf(RecordDecodeException.class);
    }
    byte[] text = "{\"camera\":\"front\",\"image\":\"...\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThatThrownBy(() -> FrameRecordCodec.decode(text)).isInstanceOf(RecordDecodeException.class);
  }

  @Test
  void missingRequiredFieldsAreRejectedByName() {
    FrameRecord full = SampleRecords.v1();
    assertRejected(full.toBuilder().clearSchemaVersion().build(), "missing schema_version");
    assertRejected(full.toBuilder().clearCameraId().build(), "missing camera_id");
    assertRejected(full.toBuilder().clearImage().build(), "missing image");
    assertRejected(full.toBuilder().setImage(ByteString.EMPTY).build(), "missing image");
  }

  @Test
  void aFutureMajorVersionIsRejectedNotMisread() {
    assertRejected(SampleRecords.v1().toBuilder().setSchemaVersion(2).build(), "unsupported schema_version 2");
    // uint32 on the wire: a value above Integer.MAX_VALUE must not wrap to "older than 1"
    assertRejected(SampleRecords.v1().toBuilder().setSchemaVersion(-1).build(),
        "unsupported schema_version 4294967295");
  }

  @Test
  void encodeRefusesWhatDecodeWouldReject() {
    FrameRecord noCamera = SampleRecords.v1().toBuilder().clearCameraId().build();
    assertThatThrownBy(() -> FrameRecordCodec.encode(noCamera))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("camera_id");
  }

  private static void assertRejected(FrameRecord r, String message) {
    byte[] bytes = r.toByteArray();
    assertThatThrownBy(() -> FrameRecordCodec.decode(bytes))
        .isInstanceOf(RecordDecodeException.class).hasMessageContaining(message);
  }

  private static byte[] concat(byte[] a, byte[] b) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(a);
    out.write(b);
    return out.toByteArray();
  }
}
