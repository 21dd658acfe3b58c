package dev.edgeagent.eval;

import dev.edgeagent.detect.Box;
import dev.edgeagent.detect.ModelLoadException;
import dev.edgeagent.detect.ObjectClass;
import dev.edgeagent.detect.OnnxModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * An annotated clip in the MOT Challenge layout, with this project's classes:
 * <pre>
 *   clip/seqinfo.ini   [Sequence] name, imDir (frames folder, default img1), frameRate, seqLength,
 *                      imWidth, imHeight; source = a video file name when there is no frames folder,
 *                      sha256 = that video's pin (checked: frame numbers only hold for that file)
 *   clip/gt/gt.txt     (or clip/gt.txt) one row per object and frame:
 *                      frame,id,x,y,w,h,conf,class,visibility
 *   clip/frames.txt    optional: the annotated frame numbers, one per line (a sparse annotation;
 *                      without it every frame is annotated)
 *   clip/gt/visible/FFFFFF_ID.png  optional, per row: which pixels of the box show the object
 *                      (255) and which are hidden behind something (0), one mask pixel per image
 *                      pixel the box touches from floor(x), floor(y); coverage is then measured on
 *                      the visible pixels only, since hidden ones cannot leak
 * </pre>
 * {@code frame} counts from 1 in decoding order; {@code id} is the track; the box is in pixels;
 * {@code conf} 0 marks a row evaluation ignores (hidden, ambiguous); {@code class} 1 = face,
 * 2 = licence plate (default 1); {@code visibility} 0..1 (default 1).
 */
public final class MotSequence {

  /**
   * One object on one frame; {@code visibleMask} is its gt/visible/ file, or null when the whole
   * box is visible.
   */
  public record Row(int frame, long id, ObjectClass cls, Box box, boolean counted, double visibility,
      Path visibleMask) {
    public Row(int frame, long id, ObjectClass cls, Box box, boolean counted, double visibility) {
      this(frame, id, cls, box, counted, visibility, null);
    }
  }

  private final String name;
  private final Path dir;
  private final Map<String, String> info;
  private final Map<Integer, List<Row>> byFrame;
  private final Set<Integer> annotated;

  private MotSequence(String name, Path dir, Map<String, String> info, Map<Integer, List<Row>> byFrame,
      Set<Integer> annotated) {
    this.name = name;
    this.dir = dir;
    this.info = info;
    this.byFrame = byFrame;
    this.annotated = annotated;
  }

  /** Whether {@code dir} looks like one clip (a seqinfo.ini or a gt file in it). */
  public static boolean isSequence(Path dir) {
    return Files.isRegularFile(dir.resolve("seqinfo.ini")) || Files.isRegularFile(dir.resolve("gt/gt.txt"))
        || Files.isRegularFile(dir.resolve("gt.txt"));
  }

  /** {@code dir} itself when it is a clip, else each sub-folder that is one, in name order. */
  public static List<MotSequence> loadAll(Path dir) throws DatasetException {
    if (!Files.isDirectory(dir)) {
      throw new DatasetException(dir + " is not a folder");
    }
    if (isSequence(dir)) {
      return List.of(load(dir));
    }
    List<MotSequence> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(Files::isDirectory).filter(MotSequence::isSequence).sorted().toList()) {
        out.add(load(p));
      }
    } catch (IOException e) {
      throw new DatasetException("cannot list " + dir + ": " + e.getMessage());
    }
    if (out.isEmpty()) {
      throw new DatasetException(dir + " holds no annotated clip (a folder with seqinfo.ini and gt/gt.txt)");
    }
    return out;
  }

  public static MotSequence load(Path dir) throws DatasetException {
    Map<String, String> info = readInfo(dir.resolve("seqinfo.ini"));
    Path gt = Files.isRegularFile(dir.resolve("gt/gt.txt")) ? dir.resolve("gt/gt.txt") : dir.resolve("gt.txt");
    if (!Files.isRegularFile(gt)) {
      throw new DatasetException(dir + ": no gt/gt.txt");
    }
    Map<Integer, List<Row>> byFrame = new TreeMap<>();
    Path masks = gt.resolveSibling("visible");
    List<String> lines = readLines(gt);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).trim();
      if (!line.isEmpty()) {
        Row r = withMask(parseRow(line, gt + ":" + (i + 1)), masks);
        byFrame.computeIfAbsent(r.frame(), k -> new ArrayList<>()).add(r);
      }
    }
    Set<Integer> annotated = new TreeSet<>();
    Path frames = dir.resolve("frames.txt");
    if (Files.isRegularFile(frames)) {
      for (String l : readLines(frames)) {
        if (!l.isBlank()) {
          annotated.add(positive(l.trim(), frames + ": frame number"));
        }
      }
      for (int f : byFrame.keySet()) {
        if (!annotated.contains(f)) {
          throw new DatasetException(gt + ": frame " + f + " has boxes but is not listed in " + frames);
        }
      }
    }
    String name = info.getOrDefault("name", dir.getFileName().toString());
    return new MotSequence(name, dir, info, byFrame, annotated);
  }

  private static Row withMask(Row r, Path masks) {
    Path m = masks.resolve(String.format(Locale.ROOT, "%06d_%d.png", r.frame(), r.id()));
    return Files.isRegularFile(m) ? new Row(r.frame(), r.id(), r.cls(), r.box(), r.counted(), r.visibility(), m) : r;
  }

  private static Row parseRow(String line, String where) throws DatasetException {
    String[] f = line.split(",");
    if (f.length < 7) {
      throw new DatasetException(where + ": expected frame,id,x,y,w,h,conf[,class,visibility], got \"" + line + "\"");
    }
    try {
      int frame = Integer.parseInt(f[0].trim());
      long id = Long.parseLong(f[1].trim());
      double x = Double.parseDouble(f[2]);
      double y = Double.parseDouble(f[3]);
      double w = Double.parseDouble(f[4]);
      double h = Double.parseDouble(f[5]);
      double conf = Double.parseDouble(f[6]);
      int cls = f.length > 7 ? (int) Double.parseDouble(f[7]) : 1;
      double vis = f.length > 8 ? Double.parseDouble(f[8]) : 1;
      if (frame < 1 || !(w > 0) || !(h > 0) || !Double.isFinite(x) || !Double.isFinite(y)) {
        throw new DatasetException(where + ": frame must be >= 1 and the box finite with w, h > 0");
      }
      if (cls != 1 && cls != 2) {
        throw new DatasetException(where + ": class " + cls + " is neither 1 (face) nor 2 (licence plate)");
      }
      return new Row(frame, id, cls == 1 ? ObjectClass.FACE : ObjectClass.PLATE, new Box(x, y, w, h), conf > 0, vis);
    } catch (NumberFormatException e) {
      throw new DatasetException(where + ": not a number in \"" + line + "\"");
    }
  }

  private static Map<String, String> readInfo(Path ini) throws DatasetException {
    Map<String, String> info = new LinkedHashMap<>();
    if (!Files.isRegularFile(ini)) {
      return info;
    }
    for (String l : readLines(ini)) {
      int eq = l.indexOf('=');
      if (eq > 0 && !l.startsWith("[") && !l.startsWith(";") && !l.startsWith("#")) {
        info.put(l.substring(0, eq).trim(), l.substring(eq + 1).trim());
      }
    }
    return info;
  }

  private static List<String> readLines(Path p) throws DatasetException {
    try {
      return Files.readAllLines(p);
    } catch (IOException e) {
      throw new DatasetException("cannot read " + p + ": " + e.getMessage());
    }
  }

  private static int positive(String s, String what) throws DatasetException {
    try {
      int v = Integer.parseInt(s);
      if (v >= 1) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new DatasetException(what + " \"" + s + "\" is not a whole number >= 1");
  }

  public String name() {
    return name;
  }

  /**
   * The frames to run: the frames folder ({@code imDir}, default img1) when it exists, else the
   * video named by {@code source}, looked up in {@code mediaDir} (or the clip's folder).
   */
  public Path frames(Path mediaDir) throws DatasetException {
    Path images = dir.resolve(info.getOrDefault("imDir", "img1"));
    if (Files.isDirectory(images)) {
      return images;
    }
    String source = info.get("source");
    if (source == null) {
      throw new DatasetException(dir + ": no frames folder " + images.getFileName() + " and no source= video in seqinfo.ini");
    }
    Path video = (mediaDir == null ? dir : mediaDir).resolve(source);
    if (!Files.isRegularFile(video)) {
      throw new DatasetException(dir + ": its video " + source + " is not in " + (mediaDir == null ? dir : mediaDir)
          + (mediaDir == null ? " (give --media <folder>)" : ""));
    }
    String pinned = info.get("sha256");
    if (pinned != null) {
      // The annotation names frames by number: another encoding of the video would shift them.
      String actual;
      try {
        actual = OnnxModel.sha256(video);
      } catch (ModelLoadException e) {
        throw new DatasetException("cannot read " + video + " to check its sha256: " + e.getCause());
      }
      if (!actual.equalsIgnoreCase(pinned)) {
        throw new DatasetException(video + " is not the video " + dir + " was annotated on (sha256 " + actual
            + ", seqinfo.ini pins " + pinned + ")");
      }
    }
    return video;
  }

  /** Whether frame {@code frame} (from 1) was annotated. */
  public boolean annotated(int frame) {
    return annotated.isEmpty() || annotated.contains(frame);
  }

  /** The rows of frame {@code frame}, empty when it has none. */
  public List<Row> rows(int frame) {
    return byFrame.getOrDefault(frame, List.of());
  }

  /** The declared number of frames, or -1 when seqinfo.ini does not say. */
  public int declaredLength() {
    try {
      return Integer.parseInt(info.getOrDefault("seqLength", "-1"));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Each counted row's speed in px per frame: how far its box centre moved since the track's
   * previous row, divided by the frames between; rows that start a track get none.
   */
  public Map<Row, Double> speeds() {
    Map<Long, Row> previous = new HashMap<>();
    Map<Row, Double> out = new HashMap<>();
    for (List<Row> rows : byFrame.values()) {
      for (Row r : rows) {
        Row p = previous.put(r.id(), r);
        if (p != null) {
          double dx = (r.box().x() + r.box().w() / 2) - (p.box().x() + p.box().w() / 2);
          double dy = (r.box().y() + r.box().h() / 2) - (p.box().y() + p.box().h() / 2);
          out.put(r, Math.hypot(dx, dy) / (r.frame() - p.frame()));
        }
      }
    }
    return out;
  }
}
