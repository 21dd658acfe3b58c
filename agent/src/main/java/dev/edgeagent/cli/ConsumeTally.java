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
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    long distinct;
    long outOfOrder;
    long previous = -1;
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
    if (!seen.add(id)) {
      duplicates++;
      return false;
    }
    // per vehicle and camera: two vans' "front" cameras are different sequences
    Camera c = cameras.computeIfAbsent(id.vehicle() + "/" + id.camera(), k -> new Camera());
    long seq = id.sequence();
    c.first = Math.min(c.first, seq);
    c.last = Math.max(c.last, seq);
    c.distinct++;
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

  private static long gaps(Camera c) {
    return c.distinct == 0 ? 0 : (c.last - c.first + 1) - c.distinct;
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
    s.put("bad_records", badRecords);
    ObjectNode per = s.putObject("per_camera");
    cameras.forEach((name, c) -> per.putObject(name).put("records", c.distinct).put("first", c.first)
        .put("last", c.last).put("gaps", gaps(c)).put("out_of_order", c.outOfOrder));
    return s;
  }
}
