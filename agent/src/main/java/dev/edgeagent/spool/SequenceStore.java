package dev.edgeagent.spool;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Per-camera sequence numbers that keep growing across restarts, so record ids (vehicle,
 * camera, sequence) never repeat. Numbers are reserved in blocks: the file holds, per camera,
 * a number no frame has used yet; it is rewritten (fsynced) when a block runs out and, exactly,
 * on a clean close. After a crash numbering resumes at the reserved mark, leaving a visible
 * gap instead of reusing ids. Thread-safe.
 */
public final class SequenceStore implements AutoCloseable {
  private final Path file;
  private final long block;
  private final Map<String, Long> reserved = new HashMap<>();
  private final Map<String, Long> next = new HashMap<>();

  private SequenceStore(Path file, long block) {
    this.file = file;
    this.block = block;
  }

  public static SequenceStore open(Path file, long block) throws IOException {
    SequenceStore s = new SequenceStore(file, block);
    if (Files.exists(file)) {
      Properties p = new Properties();
      p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
      for (String camera : p.stringPropertyNames()) {
        try {
          s.reserved.put(camera, Long.parseLong(p.getProperty(camera).trim()));
        } catch (NumberFormatException e) {
          throw new IOException(file + ": sequence of camera " + camera + " is not a number", e);
        }
      }
    }
    s.next.putAll(s.reserved);
    return s;
  }

  /** The first sequence number this run may use for {@code camera}. */
  public synchronized long first(String camera) {
    return next.getOrDefault(camera, 0L);
  }

  /**
   * Records that {@code camera} is about to use {@code seq}; reserves a new block when needed.
   *
   * @throws IOException the block could not be saved: {@code seq} must not be used (the next
   *     call tries to reserve again)
   */
  public synchronized void use(String camera, long seq) throws IOException {
    next.put(camera, seq + 1);
    if (seq >= reserved.getOrDefault(camera, 0L)) {
      Map<String, Long> wanted = new HashMap<>(reserved);
      wanted.put(camera, seq + block);
      write(wanted);
      reserved.putAll(wanted);
    }
  }

  private void write(Map<String, Long> values) throws IOException {
    Properties p = new Properties();
    values.forEach((k, v) -> p.setProperty(k, Long.toString(v)));
    StringWriter w = new StringWriter();
    p.store(w, "next unused sequence per camera");
    AtomicFile.write(file, w.toString().getBytes(StandardCharsets.UTF_8), true);
  }

  /** Saves the exact next numbers, so a clean restart leaves no gap. */
  @Override
  public synchronized void close() throws IOException {
    reserved.putAll(next);
    write(reserved);
  }
}
