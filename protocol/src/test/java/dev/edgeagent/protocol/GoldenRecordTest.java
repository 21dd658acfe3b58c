package dev.edgeagent.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeagent.protocol.v1.FrameRecord;
import dev.edgeagent.protocol.v1.Region;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Committed bytes per schema version: a consumer built from today's code must still read what
 * agents in the field wrote with an older one. The files are written once, by
 * {@link #writeGoldenFiles()} ({@code mvn -pl protocol test -Dtest=GoldenRecordTest
 * -Dedgeagent.golden.write=true}), committed, and never regenerated for an existing version.
 */
class GoldenRecordTest {
  private static final String V1 = "/golden/v1/frame-record.bin";

  @Test
  void v1GoldenRecordStillDecodesToTheSameFields() throws Exception {
    FrameRecord r = FrameRecordCodec.decode(read(V1));

    assertThat(r.getSchemaVersion()).isEqualTo(1);
    assertThat(r.getVehicleId()).isEqualTo("van-07");
    assertThat(r.getCameraId()).isEqualTo("front");
    assertThat(r.getSequence()).isEqualTo(42);
    assertThat(r.getCaptureWallMillis()).isEqualTo(1_795_000_000_123L);
    assertThat(r.getCaptureMonotonicNanos()).isEqualTo(987_654_321L);
    assertThat(r.getWidth()).isEqualTo(720);
    assertThat(r.getHeight()).isEqualTo(528);
    assertThat(r.getEncoding().getFormat()).isEqualTo("jpeg");
    assertThat(r.getEncoding().getQuality()).isEqualTo(85);
    assertThat(r.getRedaction().getRegionsList()).extracting(Region::getObjectClass)
        .containsExactly(Region.ObjectClass.FACE, Region.ObjectClass.PLATE);
    Region face = r.getRedaction().getRegions(0);
    assertThat(face.getScore()).isEqualTo(0.875f);
    assertThat(face.getDetected().getX()).isEqualTo(100f);
    assertThat(face.getRedacted().getY()).isEqualTo(40.5f);
    assertThat(face.getMethod()).isEqualTo("inpaint");
    assertThat(face.getMargin()).isEqualTo(0.2f);
    assertThat(r.getModelsList()).extracting(m -> m.getId() + "@" + m.getSha256())
        .containsExactly("blazeface-back-256@427cbbe0", "ppocr-v4-det@30a86f57");
    assertThat(r.hasSr()).isTrue();
    assertThat(r.getSr().getScale()).isEqualTo(2);
    assertThat(r.getImage().toByteArray()).containsExactly(SampleRecords.IMAGE);
    assertThat(RecordId.of(r).toHeaderValue()).isEqualTo("van-07/front/42");
    // nothing in the committed bytes is unknown to this version
    assertThat(r.getUnknownFields().asMap()).isEmpty();
    assertThat(r).isEqualTo(SampleRecords.v1());
  }

  @Test
  @EnabledIfSystemProperty(named = "edgeagent.golden.write", matches = "true")
  void writeGoldenFiles() throws IOException {
    Path dir = Path.of(System.getProperty("edgeagent.home", "..")).resolve("protocol/src/test/resources/golden/v1");
    Files.createDirectories(dir);
    Path out = dir.resolve("frame-record.bin");
    if (Files.exists(out)) {
      throw new IllegalStateException(out + " exists: golden files are written once per schema version");
    }
    Files.write(out, FrameRecordCodec.encode(SampleRecords.v1()));
  }

  private static byte[] read(String resource) throws IOException {
    try (InputStream in = GoldenRecordTest.class.getResourceAsStream(resource)) {
      assertThat(in).as("golden file %s on the test classpath", resource).isNotNull();
      return in.readAllBytes();
    }
  }
}
