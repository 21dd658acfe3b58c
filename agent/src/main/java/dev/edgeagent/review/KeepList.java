package dev.edgeagent.review;

import dev.edgeagent.detect.Box;
import dev.edgeagent.detect.Detection;
import dev.edgeagent.detect.ObjectClass;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An explicit list of regions to leave unredacted on a re-run of the same input
 * ({@code anonymize --keep FILE}), as the review page or its keep.txt writes it:
 *
 * <pre>
 * # comments and blank lines are ignored
 * input 3f5a...e1 drive-0412.mp4
 * keep frame=120 class=face box=812,340,46,52
 * </pre>
 *
 * <p>The {@code input} line names the sha256 of the input the list was made for
 * ({@link InputFingerprint}); a list for another input is refused. A {@code keep} line leaves
 * one region unredacted: the detection of that class on that frame (sequence number, from 0)
 * whose box overlaps the listed one most, by at least {@link #MIN_IOU} intersection over union.
 * Anything the list does not name is redacted as always. Not thread-safe: one camera thread uses it.
 */
public final class KeepList {
  /** How closely a re-run's detection must match a listed box to be kept. */
  public static final double MIN_IOU = 0.5;

  /** One {@code keep} line. */
  public record Entry(int line, long frame, ObjectClass cls, Box box) {
    String format() {
      return KeepList.format(frame, cls, box);
    }
  }

  private final Path file;
  private final InputFingerprint input;
  private final Map<Long, List<Entry>> byFrame = new HashMap<>();
  private final List<Entry> entries;
  private final java.util.Set<Entry> used = new java.util.HashSet<>();
  private final List<Match> matches = new ArrayList<>();

  /** A region a keep list left unredacted: the entry and the detection it matched. */
  public record Match(Entry entry, Detection detection, String reason) {}

  private KeepList(Path file, InputFingerprint input, List<Entry> entries) {
    this.file = file;
    this.input = input;
    this.entries = List.copyOf(entries);
    entries.forEach(e -> byFrame.computeIfAbsent(e.frame(), k -> new ArrayList<>()).add(e));
  }

  /** The line a keep list holds for one region. */
  public static String format(long frame, ObjectClass cls, Box b) {
    return String.format(Locale.ROOT, "keep frame=%d class=%s box=%d,%d,%d,%d", frame, cls.label(),
        Math.round(b.x()), Math.round(b.y()), Math.round(b.w()), Math.round(b.h()));
  }

  /** The input line of a keep list made for {@code input}. */
  public static String inputLine(InputFingerprint input) {
    return "input " + input.sha256() + " " + input.name();
  }

  /**
   * Reads a keep list and checks that it was made for {@code actual}.
   *
   * @throws KeepListException naming the file and line of the first problem
   */
  public static KeepList load(Path file, InputFingerprint actual) throws KeepListException, IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    InputFingerprint made = null;
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      int n = i + 1;
      int hash = line.indexOf('#');
      if (hash >= 0) {
        line = line.substring(0, hash).strip();
      }
      if (line.isEmpty()) {
        continue;
      }
      String[] words = line.split("\\s+");
      switch (words[0]) {
        case "input" -> {
          if (made != null) {
            throw new KeepListException(file, n, "a second input line; a keep list is made for one input");
          }
          if (words.length < 2 || !words[1].matches("[0-9a-f]{64}")) {
            throw new KeepListException(file, n, "expected 'input <sha256> <name>'");
          }
          made = new InputFingerprint(words[1], line.substring(line.indexOf(words[1]) + words[1].length()).strip());
        }
        case "keep" -> entries.add(entry(file, n, words));
        default -> throw new KeepListException(file, n, "unknown line '" + words[0]
            + "': expected 'input ...', 'keep frame=N class=face|plate box=X,Y,W,H' or a # comment");
      }
    }
    if (made == null) {
      throw new KeepListException(file, 0, "no 'input <sha256> <name>' line: it must name the input it was made for");
    }
    if (!made.sha256().equals(actual.sha256())) {
      throw new KeepListException(file, 0, "it was made for " + made.name() + " (sha256 " + made.sha256()
          + "), not for this input " + actual.name() + " (sha256 " + actual.sha256() + ")");
    }
    return new KeepList(file, actual, entries);
  }

  private static Entry entry(Path file, int n, String[] words) throws KeepListException {
    Long frame = null;
    ObjectClass cls = null;
    Box box = null;
    for (int w = 1; w < words.length; w++) {
      int eq = words[w].indexOf('=');
      String key = eq > 0 ? words[w].substring(0, eq) : words[w];
      String value = eq > 0 ? words[w].substring(eq + 1) : "";
      try {
        switch (key) {
          case "frame" -> frame = Long.parseLong(value);
          case "class" -> cls = ObjectClass.parse(value);
          case "box" -> box = box(value);
          default -> throw new KeepListException(file, n, "unknown field '" + key + "' (frame, class, box)");
        }
      } catch (IllegalArgumentException e) {
        throw new KeepListException(file, n, key + ": " + e.getMessage());
      }
    }
    if (frame == null || cls == null || box == null || frame < 0) {
      throw new KeepListException(file, n, "a keep line needs frame=N (from 0), class=face|plate and box=X,Y,W,H");
    }
    return new Entry(n, frame, cls, box);
  }

  private static Box box(String v) {
    String[] p = v.split(",");
    if (p.length != 4) {
      throw new IllegalArgumentException("'" + v + "' is not X,Y,W,H");
    }
    double w = Double.parseDouble(p[2]);
    double h = Double.parseDouble(p[3]);
    if (w <= 0 || h <= 0) {
      throw new IllegalArgumentException("'" + v + "' has no area");
    }
    return new Box(Double.parseDouble(p[0]), Double.parseDouble(p[1]), w, h);
  }

  /**
   * The entry ("file:line") that keeps detection {@code d} on frame {@code frame}, or null. Each
   * entry keeps one region: once matched it matches nothing else.
   */
  public String keepReason(long frame, Detection d) {
    Entry best = null;
    double bestIou = MIN_IOU;
    for (Entry e : byFrame.getOrDefault(frame, List.of())) {
      double iou = e.cls() == d.cls() && !used.contains(e) ? e.box().iou(d.box()) : 0;
      if (iou >= bestIou) {
        best = e;
        bestIou = iou;
      }
    }
    if (best == null) {
      return null;
    }
    used.add(best);
    String reason = where(best);
    matches.add(new Match(best, d, reason));
    return reason;
  }

  /** An entry's place in the list, "file:line", as the summary and the record name it. */
  public String where(Entry e) {
    return file.getFileName() + ":" + e.line();
  }

  public InputFingerprint input() {
    return input;
  }

  public List<Entry> entries() {
    return entries;
  }

  /** The regions kept so far, in the order they were met. */
  public List<Match> matches() {
    return List.copyOf(matches);
  }

  /** Entries that matched no region (so far): nothing was kept for them. */
  public List<Entry> unmatched() {
    return entries.stream().filter(e -> !used.contains(e)).toList();
  }
}
