package dev.edgeagent.review;

import dev.edgeagent.detect.Box;
import dev.edgeagent.detect.Detection;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes the review folder as regions arrive, so a long video needs no memory for it:
 * {@code index.html}, one self-contained page (thumbnails inline, no network, no other file)
 * with a card per region and a keep list built from the ticked cards, and {@code keep.txt},
 * the same keep list as a file with every region as a commented-out line. Both appear under
 * their names only when {@link #finish} completes them. Owner-only permissions: the thumbnails
 * are raw pixels (ADR 0010).
 */
final class ReviewPage implements Closeable {
  static final String PAGE = "index.html";
  static final String KEEP_FILE = "keep.txt";

  private final Path dir;
  private final Path pagePart;
  private final Path keepPart;
  private final BufferedWriter page;
  private final BufferedWriter keep;
  private long regions;
  private long kept;
  private long lastFrame = -1;
  private long frames;
  private final String keepHeader;

  ReviewPage(Path dir, InputFingerprint input, String settings) throws IOException {
    this.dir = dir;
    createPrivateDir(dir);
    this.pagePart = privateFile(dir.resolve("." + PAGE + ".part"));
    this.keepPart = privateFile(dir.resolve("." + KEEP_FILE + ".part"));
    this.page = Files.newBufferedWriter(pagePart, StandardCharsets.UTF_8);
    this.keep = Files.newBufferedWriter(keepPart, StandardCharsets.UTF_8);
    this.keepHeader = "# edge-agent keep list: each 'keep' line leaves one region unredacted when\n"
        + "# anonymize runs again on the same input with --keep " + KEEP_FILE + ". Nothing else is ever kept.\n"
        + KeepList.inputLine(input) + "\n";
    keep.write(keepHeader);
    keep.write("# Every region found is listed below, commented out. Remove the '# ' in front of 'keep'\n"
        + "# for each region that is NOT a face or plate (a poster, a sign), then re-run.\n");
    page.write(fill(resource("review-head.html"), Map.of(
        "title", Html.text("Review of " + input.name()),
        "input", Html.text(input.name()),
        "sha256", Html.text(input.sha256()),
        "settings", Html.text(settings),
        "keep_file", KEEP_FILE)));
  }

  /** Adds a region's card and its keep-list line; {@code keptBy} is set when a keep list kept it. */
  void add(long frame, String source, long mediaMicros, long track, Detection d, Box removed, byte[] jpeg,
      String keptBy) throws IOException {
    regions++;
    if (frame != lastFrame) {
      frames++;
      lastFrame = frame;
    }
    String line = KeepList.format(frame, d.cls(), d.box());
    String time = mediaMicros >= 0 ? String.format(Locale.ROOT, "%.3f", mediaMicros / 1e6) : "";
    String score = String.format(Locale.ROOT, "%.2f", d.score());
    keep.write((keptBy != null ? "" : "# ") + line + "   # " + d.cls().label() + " " + score + ", track "
        + (track >= 0 ? track : "-") + ", " + comment(source) + (time.isEmpty() ? "" : " t=" + time + "s")
        + (keptBy != null ? ", kept by " + comment(keptBy) : "") + "\n");
    if (keptBy != null) {
      kept++;
    }
    StringBuilder b = new StringBuilder(512 + jpeg.length * 4 / 3);
    b.append("<figure class=\"region ").append(d.cls().label()).append(keptBy != null ? " kept" : "")
        .append("\" data-frame=\"").append(frame)
        .append("\" data-class=\"").append(d.cls().label())
        .append("\" data-score=\"").append(score)
        .append("\" data-track=\"").append(track)
        .append("\" data-keep=\"").append(Html.attribute(line)).append("\">\n");
    b.append("<img alt=\"").append(d.cls().label()).append(" on frame ").append(frame)
        .append("\" src=\"data:image/jpeg;base64,").append(Base64.getEncoder().encodeToString(jpeg)).append("\">\n");
    b.append("<figcaption><b>").append(d.cls().label()).append(' ').append(score).append("</b> frame ").append(frame);
    if (!time.isEmpty()) {
      b.append(" · ").append(time).append(" s");
    }
    if (track >= 0) {
      b.append(" · track ").append(track);
    }
    b.append("<br><span class=\"source\">").append(Html.text(source)).append("</span></figcaption>\n");
    b.append("<label><input type=\"checkbox\" class=\"keep\"").append(keptBy != null ? " checked" : "")
        .append("> keep unredacted</label>");
    if (track >= 0) {
      b.append(" <button type=\"button\" class=\"track\">whole track</button>");
    }
    b.append("\n</figure>\n");
    page.write(b.toString());
  }

  /**
   * Completes both files and gives them their names; {@code incomplete} (or null) says why the
   * run stopped early, shown on the page.
   */
  void finish(String incomplete) throws IOException {
    page.write(fill(resource("review-tail.html"), Map.of(
        "regions", Long.toString(regions),
        "frames", Long.toString(frames),
        "kept", Long.toString(kept),
        "keep_header", Html.attribute(keepHeader),
        "keep_file", KEEP_FILE,
        "incomplete", incomplete == null ? "" : "<p class=\"warning\" id=\"incomplete\">The run stopped early: "
            + Html.text(incomplete) + ". Only the frames before that are listed.</p>")));
    page.close();
    keep.close();
    Files.move(pagePart, dir.resolve(PAGE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    Files.move(keepPart, dir.resolve(KEEP_FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  long regions() {
    return regions;
  }

  /** Releases the files without completing them (a failed write); the parts are removed. */
  @Override
  public void close() throws IOException {
    try {
      page.close();
      keep.close();
    } finally {
      Files.deleteIfExists(pagePart);
      Files.deleteIfExists(keepPart);
    }
  }

  /** A keep.txt comment must stay on its line whatever the file name holds. */
  private static String comment(String s) {
    return s.replaceAll("[\\r\\n]", "?");
  }

  private static void createPrivateDir(Path dir) throws IOException {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new FileAlreadyExistsException(dir + " exists and is not a folder");
    }
    Files.createDirectories(dir);
    if (posix(dir)) {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }
  }

  private static Path privateFile(Path f) throws IOException {
    Files.deleteIfExists(f);
    if (posix(f.getParent())) {
      return Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    return Files.createFile(f);
  }

  private static boolean posix(Path p) {
    return p.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  /** Fills {{name}} placeholders in one pass, so a value holding "{{...}}" is never filled again. */
  private static String fill(String template, Map<String, String> values) {
    return Pattern.compile("\\{\\{(\\w+)}}").matcher(template).replaceAll(m -> {
      String v = values.get(m.group(1));
      if (v == null) {
        throw new IllegalStateException("the review template has no value for " + m.group());
      }
      return java.util.regex.Matcher.quoteReplacement(v);
    });
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = ReviewPage.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("resource " + name + " is missing from the build");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
