package dev.edgeagent.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeagent.detect.Box;
import dev.edgeagent.detect.ObjectClass;
import dev.edgeagent.redact.Redaction;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Accumulates recall and precision per class. A ground-truth box is found when at least
 * {@value #COVERED} of its area lies inside the redaction mask (the union of every redacted
 * rectangle, whatever class redacted it: what matters is that the pixels are gone). A
 * redacted region is correct when it overlaps a ground-truth box ({@code precision}, as the
 * evaluation's definition says: a face box on a plate still removes personal data); the
 * stricter {@code precision_same_class} counts only overlaps with a box of its own class.
 */
public final class RecallCounter {
  static final double COVERED = 0.9;
  static final double SMALL = 32;
  static final double LARGE = 96;

  private static final class Counts {
    long gt;
    long found;
    long regions;
    long correct;
    long correctSameClass;
    final long[] gtBySize = new long[3];
    final long[] foundBySize = new long[3];
  }

  private final Map<ObjectClass, Counts> counts = new EnumMap<>(ObjectClass.class);
  private final java.util.List<Miss> misses = new java.util.ArrayList<>();

  /** A ground-truth box the redaction did not cover enough, and how much of it was covered. */
  public record Miss(String image, ObjectClass cls, Box box, double covered) {}

  public RecallCounter() {
    for (ObjectClass c : ObjectClass.values()) {
      counts.put(c, new Counts());
    }
  }

  public void add(int width, int height, List<CocoDataset.Truth> truths, List<Redaction> redactions) {
    add("", width, height, truths, redactions);
  }

  /** As {@link #add(int, int, List, List)}, remembering misses under the image's name. */
  public void add(String image, int width, int height, List<CocoDataset.Truth> truths,
      List<Redaction> redactions) {
    try (RedactionMask mask = new RedactionMask(width, height, redactions)) {
      for (CocoDataset.Truth t : truths) {
        Counts c = counts.get(t.cls());
        int size = t.box().h() < SMALL ? 0 : t.box().h() <= LARGE ? 1 : 2;
        c.gt++;
        c.gtBySize[size]++;
        double covered = mask.covered(t.box());
        if (covered >= COVERED) {
          c.found++;
          c.foundBySize[size]++;
        } else {
          misses.add(new Miss(image, t.cls(), t.box(), covered));
        }
      }
    }
    for (Redaction r : redactions) {
      Counts c = counts.get(r.cls());
      c.regions++;
      if (truths.stream().anyMatch(t -> t.box().intersection(r.redacted()) > 0)) {
        c.correct++;
      }
      if (truths.stream().anyMatch(t -> t.cls() == r.cls() && t.box().intersection(r.redacted()) > 0)) {
        c.correctSameClass++;
      }
    }
  }

  public List<Miss> misses() {
    return List.copyOf(misses);
  }

  /** Per class: recall, both precisions, gt, found, regions, recall by size. Null where undefined. */
  public ObjectNode toJson() {
    ObjectNode out = new ObjectMapper().createObjectNode();
    for (Map.Entry<ObjectClass, Counts> e : counts.entrySet()) {
      Counts c = e.getValue();
      ObjectNode n = out.putObject(e.getKey().name().toLowerCase(Locale.ROOT));
      putRatio(n, "recall", c.found, c.gt);
      putRatio(n, "precision", c.correct, c.regions);
      putRatio(n, "precision_same_class", c.correctSameClass, c.regions);
      n.put("gt", c.gt).put("found", c.found).put("regions", c.regions);
      ObjectNode bySize = n.putObject("recall_by_size");
      String[] names = {"small", "medium", "large"};
      for (int i = 0; i < 3; i++) {
        ObjectNode s = bySize.putObject(names[i]);
        putRatio(s, "recall", c.foundBySize[i], c.gtBySize[i]);
        s.put("gt", c.gtBySize[i]);
      }
    }
    return out;
  }

  private static void putRatio(ObjectNode n, String field, long num, long den) {
    if (den == 0) {
      n.putNull(field);
    } else {
      n.put(field, Math.round(num * 10000.0 / den) / 10000.0);
    }
  }
}
