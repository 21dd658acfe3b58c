package dev.edgeagent.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeagent.detect.Box;
import dev.edgeagent.detect.ObjectClass;
import dev.edgeagent.redact.Redaction;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Leaks on video: a counted ground-truth box on a published frame is leaked when less than
 * {@value RecallCounter#COVERED} of it lies inside the frame's redaction mask; when the row comes
 * with a visibility mask (part of the object behind something), of its visible pixels. Per class it counts
 * leaked object-frames, leaked tracks (any leaked frame), the longest run of consecutive leaked
 * frames of one track, and precision (a redacted region is correct when it overlaps any
 * ground-truth box of its frame, ignored ones included, as in {@link RecallCounter}). Frames
 * the agent dropped published nothing, so they leak nothing; they are counted apart. A run of
 * leaks is broken only by a frame where the track was covered: frames where it is ignored,
 * unannotated or dropped neither extend nor break it (on a sparse annotation, "consecutive"
 * means consecutive annotated frames).
 * Feed frames in order, clip by clip.
 */
public final class LeakCounter {
  /** Speed bins (px per frame) for the leak rate by speed. */
  private static final double[] SPEED_EDGES = {5, 10, 20, 30};
  private static final String[] SPEED_NAMES = {"0-5", "5-10", "10-20", "20-30", "30+"};

  /** A leaked object on one frame. */
  public record Leak(String clip, int frame, long track, ObjectClass cls, Box box, double covered) {}

  private static final class TrackState {
    final String clip;
    final long id;
    final ObjectClass cls;
    int run;
    int longest;
    int longestEndFrame;
    boolean leaked;

    TrackState(String clip, long id, ObjectClass cls) {
      this.clip = clip;
      this.id = id;
      this.cls = cls;
    }
  }

  private static final class Counts {
    long objectFrames;
    long leakedFrames;
    long regions;
    long correct;
    final long[] bySpeed = new long[SPEED_NAMES.length];
    final long[] leakedBySpeed = new long[SPEED_NAMES.length];

    void add(Counts o) {
      objectFrames += o.objectFrames;
      leakedFrames += o.leakedFrames;
      regions += o.regions;
      correct += o.correct;
      for (int i = 0; i < SPEED_NAMES.length; i++) {
        bySpeed[i] += o.bySpeed[i];
        leakedBySpeed[i] += o.leakedBySpeed[i];
      }
    }
  }

  private final Map<ObjectClass, Counts> counts = new EnumMap<>(ObjectClass.class);
  private final Map<String, TrackState> tracks = new LinkedHashMap<>();
  private final List<Leak> leaks = new ArrayList<>();
  private long frames;

  public LeakCounter() {
    for (ObjectClass c : ObjectClass.values()) {
      counts.put(c, new Counts());
    }
  }

  /**
   * One published frame of {@code clip}.
   *
   * @param speeds each row's speed (px per frame; {@link MotSequence#speeds()}), absent for a first row
   */
  public void add(String clip, int frame, int width, int height, List<MotSequence.Row> truths,
      Map<MotSequence.Row, Double> speeds, List<Redaction> redactions) {
    frames++;
    try (RedactionMask mask = new RedactionMask(width, height, redactions)) {
      for (MotSequence.Row t : truths) {
        if (!t.counted()) {
          continue;
        }
        double covered = covered(mask, t);
        if (Double.isNaN(covered)) {
          continue; // nothing of it shows: nothing can leak
        }
        boolean leaked = covered < RecallCounter.COVERED;
        Counts c = counts.get(t.cls());
        int bin = speedBin(speeds.get(t));
        c.objectFrames++;
        c.bySpeed[bin]++;
        TrackState s = tracks.computeIfAbsent(clip + "#" + t.id(), k -> new TrackState(clip, t.id(), t.cls()));
        if (leaked) {
          c.leakedFrames++;
          c.leakedBySpeed[bin]++;
          leaks.add(new Leak(clip, frame, t.id(), t.cls(), t.box(), covered));
          s.leaked = true;
          s.run++;
          if (s.run > s.longest) {
            s.longest = s.run;
            s.longestEndFrame = frame;
          }
        } else {
          s.run = 0;
        }
      }
    }
    for (Redaction r : redactions) {
      Counts c = counts.get(r.cls());
      c.regions++;
      if (truths.stream().anyMatch(t -> t.box().intersection(r.redacted()) > 0)) {
        c.correct++;
      }
    }
  }

  /** On the visible pixels when the row says which they are, else on the whole box. */
  private static double covered(RedactionMask mask, MotSequence.Row t) {
    if (t.visibleMask() == null) {
      return mask.covered(t.box());
    }
    Mat visible = Imgcodecs.imread(t.visibleMask().toString(), Imgcodecs.IMREAD_GRAYSCALE);
    try {
      if (visible.empty()) {
        throw new IllegalArgumentException("cannot read the visibility mask " + t.visibleMask());
      }
      return mask.coveredVisible(t.box(), visible);
    } finally {
      visible.release();
    }
  }

  /**
   * Adds everything {@code other} counted (another clip's frames: track keys carry the clip, so
   * they stay apart), so totals need not score each frame a second time.
   */
  public void addAll(LeakCounter other) {
    frames += other.frames;
    leaks.addAll(other.leaks);
    tracks.putAll(other.tracks);
    other.counts.forEach((cls, c) -> counts.get(cls).add(c));
  }

  private static int speedBin(Double speed) {
    double v = speed == null ? 0 : speed;
    int i = 0;
    while (i < SPEED_EDGES.length && v >= SPEED_EDGES[i]) {
      i++;
    }
    return i;
  }

  public List<Leak> leaks() {
    return List.copyOf(leaks);
  }

  /** Frames scored so far. */
  public long frames() {
    return frames;
  }

  /** The longest run of consecutive leaked frames of any one track. */
  public int longestLeak() {
    return tracks.values().stream().mapToInt(s -> s.longest).max().orElse(0);
  }

  /** Totals over both classes, then per class; null where a ratio is undefined. */
  public ObjectNode toJson() {
    ObjectNode out = new ObjectMapper().createObjectNode();
    Counts all = new Counts();
    counts.values().forEach(all::add);
    put(out, all, null);
    for (Map.Entry<ObjectClass, Counts> e : counts.entrySet()) {
      put(out.putObject(e.getKey().name().toLowerCase(Locale.ROOT)), e.getValue(), e.getKey());
    }
    return out;
  }

  private void put(ObjectNode n, Counts c, ObjectClass cls) {
    List<TrackState> ts = tracks.values().stream().filter(s -> cls == null || s.cls == cls).toList();
    n.put("object_frames", c.objectFrames).put("leaked_object_frames", c.leakedFrames);
    ratio(n, "leaked_fraction", c.leakedFrames, c.objectFrames);
    n.put("tracks", ts.size()).put("leaked_tracks", ts.stream().filter(s -> s.leaked).count());
    n.put("tracks_leaked_2_or_more_consecutive", ts.stream().filter(s -> s.longest >= 2).count());
    TrackState worst = ts.stream().max((a, b) -> Integer.compare(a.longest, b.longest)).orElse(null);
    n.put("longest_leak_frames", worst == null ? 0 : worst.longest);
    if (worst != null && worst.longest > 0) {
      n.putObject("longest_leak").put("clip", worst.clip).put("track", worst.id)
          .put("last_frame", worst.longestEndFrame);
    }
    n.put("regions", c.regions);
    ratio(n, "precision", c.correct, c.regions);
    ArrayNode bySpeed = n.putArray("by_speed_px_per_frame");
    for (int i = 0; i < SPEED_NAMES.length; i++) {
      ObjectNode s = bySpeed.addObject().put("speed", SPEED_NAMES[i]).put("object_frames", c.bySpeed[i])
          .put("leaked", c.leakedBySpeed[i]);
      ratio(s, "leaked_fraction", c.leakedBySpeed[i], c.bySpeed[i]);
    }
  }

  private static void ratio(ObjectNode n, String field, long num, long den) {
    if (den == 0) {
      n.putNull(field);
    } else {
      n.put(field, Math.round(num * 100000.0 / den) / 100000.0);
    }
  }
}
