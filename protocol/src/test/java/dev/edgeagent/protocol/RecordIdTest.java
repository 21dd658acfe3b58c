package dev.edgeagent.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RecordIdTest {

  @Test
  void headerValueRoundTrips() {
    RecordId id = new RecordId("van-07", "front", 42);
    assertThat(id.toHeaderValue()).isEqualTo("van-07/front/42");
    assertThat(RecordId.parse(id.toHeaderValue())).isEqualTo(id);
  }

  @Test
  void vehicleIdsWithSlashesAndUnsignedSequencesRoundTrip() {
    RecordId id = new RecordId("depot/3/van-07", "rear.left", -1L);
    assertThat(id.toHeaderValue()).isEqualTo("depot/3/van-07/rear.left/18446744073709551615");
    assertThat(RecordId.parse(id.toHeaderValue())).isEqualTo(id);
    assertThat(RecordId.parse("/front/0")).isEqualTo(new RecordId("", "front", 0));
  }

  @Test
  void malformedValuesAreRejected() {
    for (String bad : new String[] {"", "front", "front/1", "van//1", "van/front/", "van/front/x", "van/front/-1"}) {
      assertThatThrownBy(() -> RecordId.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void cameraIdsMustNotContainTheSeparator() {
    assertThatThrownBy(() -> new RecordId("v", "a/b", 1)).isInstanceOf(IllegalArgumentException.class);
  }
}
