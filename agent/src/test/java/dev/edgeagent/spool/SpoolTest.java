package dev.edgeagent.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
  @TempDir
  Path dir;

  SpoolConfig cfg(long segmentBytes, long maxBytes, SpoolConfig.FullPolicy policy) {
    return new SpoolConfig(dir, segmentBytes, maxBytes, 0, 0, policy, 200);
  }

  static byte[] value(int i) {
    return ("frame-" + i + "-" + "x".repeat(100)).getBytes(StandardCharsets.UTF_8);
  }

  static void append(Spool s, int from, int to) throws Exception {
    for (int i = from; i < to; i++) {
      s.append(i % 2 == 0 ? "cam-a" : "cam-b", "v/cam/" + i, value(i));
    }
  }

  static List<String> drain(Spool s, boolean ack) throws Exception {
    List<String> ids = new ArrayList<>();
    for (List<SpoolRecord> batch = s.take(7, 50); !batch.isEmpty(); batch = s.take(7, 50)) {
      for (SpoolRecord r : batch) {
        ids.add(r.recordId());
        assertThat(new String(r.value(), StandardCharsets.UTF_8)).startsWith("frame-" + r.recordId().substring(6) + "-");
        if (ack) {
          s.ack(r.offset());
        }
      }
    }
    return ids;
  }

  static List<String> ids(int from, int to) {
    List<String> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add("v/cam/" + i);
    }
    return out;
  }

  List<Path> segments() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
    }
  }

  @Test
  void recordsComeOutInOrderAndLeaveTheDiskOnlyWhenAcknowledged() throws Exception {
    try (Spool s = Spool.open(cfg(1000, 1 << 20, SpoolConfig.FullPolicy.DROP_OLDEST))) {
      append(s, 0, 30);
      assertThat(segments().size()).isGreaterThan(3);
      assertThat(drain(s, false)).containsExactlyElementsOf(ids(0, 30));
      assertThat(s.pending()).isEqualTo(30);
      // Not acknowledged: nothing is handed out twice while in flight, nothing is deleted.
      assertThat(s.take(10, 10)).isEmpty();
      assertThat(segments().size()).isGreaterThan(3);
    }
    try (Spool s = Spool.open(cfg(1000, 1 << 20, SpoolConfig.FullPolicy.DROP_OLDEST))) {
      assertThat(drain(s, true)).containsExactlyElementsOf(ids(0, 30));
      assertThat(s.pending()).isZero();
      assertThat(segments()).hasSizeLessThanOrEqualTo(1);
    }
    try (Spool s = Spool.open(cfg(1000, 1 << 20, SpoolConfig.FullPolicy.DROP_OLDEST))) {
      assertThat(s.pending()).as("acknowledged records do not come back").isZero();
      append(s, 30, 33);
      assertThat(drain(s, true)).containsExactlyElementsOf(ids(30, 33));
    }
  }

  @Test
  void aFullDrainLeavesNoAcknowledgedRecordOnDiskAndNewRecordsStillFollowInOrder() throws Exception {
    // one large segment: the segment being written holds everything, and is acknowledged whole
    try (Spool s = Spool.open(cfg(1 << 20, 1 << 20, SpoolConfig.FullPolicy.DROP_OLDEST))) {
      append(s, 0, 12);
      assertThat(drain(s, true)).containsExactlyElementsOf(ids(0, 12));
      assertThat(s.pending()).isZero();
      // the small active segment is kept while running (no file per record) ...
      assertThat(s.bytes()).isPositive();
    }
    try (Spool s = Spool.open(cfg(1 << 20, 1 << 20, SpoolConfig.FullPolicy.DROP_OLDEST))) {
      // ... and deleted at the next open, so a small disk starts the next run empty
      assertThat(segments()).isEmpty();
      assertThat(s.bytes()).isZero();
      append(s, 12, 15);
      assertThat(drain(s, true)).containsExactlyElementsOf(ids(12, 15));
    }
  }

  @Test
  void aFullyAcknowledgedActiveSegmentOfAQuarterSegmentIsDeletedAtOnce() throws Exception {
    try (Spool s = Spool.open(cfg(4000, 1 << 20, SpoolConfig.FullPolicy.DROP_OLDEST))) {
      append(s, 0, 12); // about 1.7 kB: over a quarter of the 4 kB segment
      assertThat(segments()).hasSize(1);
      drain(s, true);
      assertThat(segments()).as("acknowledged records leave the disk promptly").isEmpty();
      assertThat(s.bytes()).isZero();
      append(s, 12, 14);
      assertThat(drain(s, true)).containsExactlyElementsOf(ids(12, 14));
    }
  }

  @Test
  void reopeningWithFullyAcknowledgedOldSegmentsDeletesThem() throws Exception {
    try (Spool s = Spool.open(cfg(1000, 1 << 20, SpoolConfig.FullPolicy.DROP_OLDEST))) {
      append(s, 0, 30);
      // Acknowledge everything in the first segments but keep the checkpoint behind (a crash
      // between acknowledgement and checkpoint): recovery must clean up, not trip over them.
      List<SpoolRecord> all = s.take(100, 10);
      for (SpoolRecord r : all.subList(0, 20)) {
        s.ack(r.offset());
      }
    }
    Files.writeString(dir.resolve("acked.checkpoint"), "25");
    try (Spool s = Spool.open(cfg(1000, 1 << 20, SpoolConfig.FullPolicy.DROP_OLDEST))) {
      assertThat(drain(s, true)).containsExactlyElementsOf(ids(25, 30));
    }
  }

  @Test
  void aReleasedRecordIsHandedOutAgain() throws Exception {
    try (Spool s = Spool.open(cfg(1 << 20, 1 << 20, SpoolConfig.FullPolicy.DROP_OLDEST))) {
      append(s, 0, 3);
      List<SpoolRecord> first = s.take(10, 10);
      s.ack(first.get(0).offset());
      s.release(first.get(1).offset());
      assertThat(s.take(10, 10)).extracting(SpoolRecord::recordId).containsExactly("v/cam/1");
    }
  }

  @Test
  void aTornTailIsCutBackToTheLastWholeRecord() throws Exception {
    try (Spool s = Spool.open(cfg(1 << 20, 1 << 20, SpoolConfig.FullPolicy.DROP_OLDEST))) {
      append(s, 0, 5);
    }
    Path seg = segments().get(segments().size() - 1);
    long whole = Files.size(seg);
    // A crash mid-write: a header and half a body.
    try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
      f.seek(whole);
      f.writeInt(500);
      f.writeInt(12345);
      f.writeLong(5);
      f.write(new byte[100]);
    }
    try (Spool s = Spool.open(cfg(1 << 20, 1 << 20, SpoolConfig.FullPolicy.DROP_OLDEST))) {
      assertThat(s.tornBytesOnOpen()).isEqualTo(116);
      assertThat(Files.size(seg)).isEqualTo(whole);
      append(s, 5, 7);
      assertThat(drain(s, true)).containsExactlyElementsOf(ids(0, 7));
    }
  }

  @Test
  void aFlippedByteOrAZeroedLengthCostsOnlyThatRecord() throws Exception {
    try (Spool s = Spool.open(cfg(1 << 20, 1 << 20, SpoolConfig.FullPolicy.DROP_OLDEST))) {
      append(s, 0, 10);
    }
    Path seg = segments().get(0);
    long recordSize = Files.size(seg) / 10;
    try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
      f.seek(2 * recordSize + 40); // inside record 2's payload
      int b = f.read();
      f.seek(2 * recordSize + 40);
      f.write(b ^ 0x10);
      f.seek(6 * recordSize); // record 6's length field
      f.writeInt(0);
    }
    try (Spool s = Spool.open(cfg(1 << 20, 1 << 20, SpoolConfig.FullPolicy.DROP_OLDEST))) {
      assertThat(s.corruptOnOpen()).isEqualTo(2);
      List<String> expected = ids(0, 10);
      expected.remove("v/cam/6");
      expected.remove("v/cam/2");
      assertThat(drain(s, true)).containsExactlyElementsOf(expected);
    }
  }

  @Test
  void aTruncatedSegmentKeepsItsWholeRecords() throws Exception {
    try (Spool s = Spool.open(cfg(1 << 20, 1 << 20, SpoolConfig.FullPolicy.DROP_OLDEST))) {
      append(s, 0, 10);
    }
    Path seg = segments().get(0);
    long recordSize = Files.size(seg) / 10;
    try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
      f.setLength(7 * recordSize + 3);
    }
    try (Spool s = Spool.open(cfg(1 << 20, 1 << 20, SpoolConfig.FullPolicy.DROP_OLDEST))) {
      assertThat(drain(s, true)).containsExactlyElementsOf(ids(0, 7));
    }
  }

  @Test
  void dropOldestMakesRoomAndCountsWhatItDropped() throws Exception {
    try (Spool s = Spool.open(cfg(1000, 3000, SpoolConfig.FullPolicy.DROP_OLDEST))) {
      append(s, 0, 60);
      assertThat(s.bytes()).isLessThanOrEqualTo(3000);
      assertThat(s.droppedOldest()).isPositive();
      List<String> left = drain(s, true);
      assertThat(left.size() + s.droppedOldest()).isEqualTo(60);
      // What is left is the newest records, still in order.
      assertThat(left).containsExactlyElementsOf(ids(60 - left.size(), 60));
    }
  }

  @Test
  void pauseRefusesAfterWaitingAndKeepsEverythingAlreadySpooled() throws Exception {
    try (Spool s = Spool.open(cfg(1000, 3000, SpoolConfig.FullPolicy.PAUSE))) {
      int stored = 0;
      try {
        for (int i = 0; i < 60; i++) {
          s.append("front", "v/cam/" + i, value(i));
          stored++;
        }
      } catch (SpoolException e) {
        assertThat(e.reason()).isEqualTo("spool_full");
      }
      assertThat(stored).isLessThan(60);
      assertThat(s.refused()).isEqualTo(1);
      assertThat(s.droppedOldest()).isZero();
      assertThat(drain(s, true)).containsExactlyElementsOf(ids(0, stored));
      // Acknowledged records freed the space: appends work again.
      s.append("front", "v/cam/x", value(0));
    }
  }

  @Test
  void aClosedSpoolRefusesAppends() throws Exception {
    Spool s = Spool.open(cfg(1000, 3000, SpoolConfig.FullPolicy.PAUSE));
    s.close();
    assertThatThrownBy(() -> s.append("a", "b", new byte[1])).isInstanceOf(SpoolException.class);
  }
}
