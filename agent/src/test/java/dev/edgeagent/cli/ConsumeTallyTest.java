package dev.edgeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeagent.protocol.RecordId;
import org.junit.jupiter.api.Test;

class ConsumeTallyTest {

  @Test
  void duplicatesAreSkippedAndGapsCountedPerCamera() {
    ConsumeTally t = new ConsumeTally();
    for (long seq : new long[] {0, 1, 2, 5, 6}) {
      assertThat(t.firstTime(new RecordId("v", "front", seq))).isTrue();
    }
    assertThat(t.firstTime(new RecordId("v", "front", 2))).isFalse();
    assertThat(t.firstTime(new RecordId("v", "rear", 2))).isTrue();
    assertThat(t.firstTime(new RecordId("other-van", "front", 2))).as("another vehicle's frame 2").isTrue();

    ObjectNode s = t.summary(7);
    assertThat(s.get("duplicates").asLong()).isEqualTo(1);
    assertThat(s.get("gaps").asLong()).as("3 and 4 never arrived").isEqualTo(2);
    assertThat(s.get("cameras").asInt()).isEqualTo(3);
    assertThat(s.get("per_camera").get("v/front").get("last").asLong()).isEqualTo(6);
    assertThat(s.get("per_camera").get("v/rear").get("gaps").asLong()).isZero();
    assertThat(t.vehicles()).isEqualTo(2);
  }

  @Test
  void outOfOrderArrivalIsNotAGap() {
    ConsumeTally t = new ConsumeTally();
    for (long seq : new long[] {0, 2, 1, 3}) {
      t.firstTime(new RecordId("v", "front", seq));
    }
    ObjectNode s = t.summary(4);
    assertThat(s.get("gaps").asLong()).isZero();
    assertThat(s.get("per_camera").get("v/front").get("out_of_order").asLong()).isEqualTo(1);
  }

  @Test
  void badRecordsAndReadsAreCounted() {
    ConsumeTally t = new ConsumeTally();
    t.read();
    t.read();
    t.bad();
    ObjectNode s = t.summary(0);
    assertThat(s.get("records").asLong()).isEqualTo(2);
    assertThat(s.get("bad_records").asLong()).isEqualTo(1);
    assertThat(s.get("cameras").asInt()).isZero();
  }

  @Test
  void theBlockARestartSkippedIsARestartJumpNotAGap() {
    ConsumeTally t = new ConsumeTally();
    for (long seq = 0; seq < 10; seq++) {
      if (seq != 5) { // one record really lost
        t.firstTime(new RecordId("v", "front", seq), 0);
      }
    }
    // the agent crashed; after the restart numbering resumes at the reserved mark, 1000
    for (long seq = 1000; seq < 1004; seq++) {
      t.firstTime(new RecordId("v", "front", seq), 1000);
    }
    assertThat(t.gaps()).as("only frame 5").isEqualTo(1);
    assertThat(t.restartSkipped()).isEqualTo(990);
    assertThat(t.summary(0).get("per_camera").get("v/front").get("restart_jumps").asLong()).isEqualTo(990);

    ConsumeTally old = new ConsumeTally();
    old.firstTime(new RecordId("v", "front", 0));
    old.firstTime(new RecordId("v", "front", 1000));
    assertThat(old.gaps()).as("records without run_start_sequence: a jump is still a gap").isEqualTo(999);
  }
}
