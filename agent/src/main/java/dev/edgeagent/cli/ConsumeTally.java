package dev.edgeagent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeagent.protocol.RecordId;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What {@code consume} saw: records read, duplicates by record id, bad records, and per camera
 * (keyed {@code vehicle/camera})
 * the sequence range and how many numbers inside it never arrived (gaps). Gaps are counted over
 * the whole range at the end, not between neighbours, so records that arrive out of order are
 * not mistaken for missing ones. Single-threaded.
 */
final class ConsumeTally {
  private final Set<RecordId> seen = new HashSet<>();
  private final Map<String, Camera> cameras = new TreeMap<>();
  private long records;
  private long duplicates;
  private long badRecords;

  private static final class Camera {
    long outOfOrder;
    long previous = -1;
    /** Every distinct sequence, to tell restart jumps from gaps at the end. */
    final java.util.TreeSet<Long> sequences = new java.util.TreeSet<>();
    /** Sequences at which the agent says its numbering (re)started ({@code run_start_sequence}). */
    final Set<Long> runStarts = new HashSet<>();
  }

  /** One record read from the topic, whatever it holds. */
  void read() {
    records++;
  }

  long records() {
    return records;
  }

  void bad() {
    badRecords++;
  }

  long badRecords() {
    return badRecords;
  }

  /** @return false when this id was seen before (a producer retry or a replay): skip it */
  boolean firstTime(RecordId id) {
    return firstTime(id, 0);
  }

  /**
   * As {@link #firstTime(RecordId)}, with the record's {@code run_start_sequence}: the numbers
   * missing just below a run start are a restart's skipped block, not lost records.
   */
  boolean firstTime(RecordId id, long runStart) {
    if (!seen.add(id)) {
      duplicates++;
      return false;
    }
    // per vehicle and camera: two vans' "front" cameras are different sequences
    Camera c = cameras.computeIfAbsent(id.vehicle() + "/" + id.camera(), k -> new Camera());
    long seq = id.sequence();
    c.sequences.add(seq);
    if (runStart > 0) {
      c.runStarts.add(runStart);
    }
    if (c.previous >= 0 && seq < c.previous) {
      c.outOfOrder++;
    }
    c.previous = seq;
    return true;
  }

  /** Distinct vehicles seen so far. */
  long vehicles() {
    return cameras.keySet().stream().map(k -> k.substring(0, k.lastIndexOf('/'))).distinct().count();
  }

  long gaps() {
    return cameras.values().stream().mapToLong(ConsumeTally::gaps).sum();
  }

  long restartSkipped() {
    return cameras.values().stream().mapToLong(ConsumeTally::restartSkipped).sum();
  }

  /** Numbers missing inside the range that no restart explains: records that never arrived. */
  private static long gaps(Camera c) {
    return c.sequences.isEmpty() ? 0
        : (c.sequences.last() - c.sequences.first() + 1) - c.sequences.size() - restartSkipped(c);
  }

  /** Numbers missing right below a run start: the rest of a block a crash left unused. */
  private static long restartSkipped(Camera c) {
    long skipped = 0;
    for (long start : c.runStarts) {
      // below the run start, numbers were reserved by the run before and never used; from the
      // start on (even if record `start` itself is missing) anything absent is a real gap
      Long below = c.sequences.lower(start);
      if (below != null) {
        skipped += start - below - 1;
      }
    }
    return skipped;
  }

  /** The summary line: records, written, cameras, duplicates, gaps, bad_records, per_camera. */
  ObjectNode summary(long written) {
    ObjectMapper om = new ObjectMapper();
    ObjectNode s = om.createObjectNode();
    s.put("records", records);
    s.put("written", written);
    s.put("cameras", cameras.size());
    s.put("duplicates", duplicates);
    s.put("gaps", gaps());
    s.put("restart_jumps", restartSkipped());
    s.put("bad_records", badRecords);
    ObjectNode per = s.putObject("per_camera");
    cameras.forEach((name, c) -> per.putObject(name).put("records", c.sequences.size())
        .put("first", c.sequences.first()).put("last", c.sequences.last()).put("gaps", gaps(c)).put("restart_jumps", restartSkipped(c))
        .put("out_of_order", c.outOfOrder));
    return s;
  }
}
