package dev.edgeagent.encode;

import dev.edgeagent.capture.ImageFolderSource;
import dev.edgeagent.redact.AnonymizedFrame;
import dev.edgeagent.spool.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Writes each anonymized frame as an image file. With a source name that is an image file name
 * (image folder in), the output keeps that base name and format, so a folder in gives a folder
 * out one-to-one; otherwise files are numbered. Writes go to a temporary name, then are renamed,
 * so a crash never leaves a half-written image under the final name.
 */
public final class ImageFileWriter implements FrameSink {
  private final Path dir;
  private final Path singleFile;

  /** @param target a directory, or (for a single image) the output file path */
  public ImageFileWriter(Path target, boolean singleFile) throws IOException {
    if (singleFile) {
      this.singleFile = target;
      this.dir = target.toAbsolutePath().getParent();
    } else {
      this.singleFile = null;
      this.dir = target;
    }
    Files.createDirectories(dir);
  }

  @Override
  public void accept(AnonymizedFrame frame) throws IOException {
    Path out = singleFile != null ? singleFile : dir.resolve(nameFor(frame));
    String name = out.getFileName().toString();
    String ext = name.contains(".") ? name.substring(name.lastIndexOf('.')) : ".jpg";
    MatOfByte buf = new MatOfByte();
    try {
      if (!Imgcodecs.imencode(ext, frame.pixels(), buf)) {
        throw new IOException("cannot encode " + name + " as " + ext);
      }
      AtomicFile.write(out, buf.toArray(), false);
    } finally {
      buf.release();
    }
  }

  private static String nameFor(AnonymizedFrame frame) {
    String src = frame.meta().sourceName();
    String base = src == null ? "" : Path.of(src).getFileName().toString();
    if (!base.isEmpty() && ImageFolderSource.isImage(Path.of(base))) {
      return base;
    }
    return String.format("%s_%08d.jpg", frame.meta().cameraId(), frame.meta().sequence());
  }

  @Override
  public void close() {
    // every file is complete when accept returns
  }

  /** The name of the note an aborted run leaves in its output folder. */
  public static final String INCOMPLETE_NOTE = "INCOMPLETE.txt";

  /**
   * Each image written is complete, but the folder is not: a note says so and why, so nobody
   * takes a partial folder for the whole input. (A single image output has nothing to mark.)
   */
  @Override
  public void abort(String why) {
    if (singleFile != null) {
      return;
    }
    try {
      AtomicFile.write(dir.resolve(INCOMPLETE_NOTE), ("This folder is incomplete: edge-agent anonymize stopped before the "
          + "end of its input.\n" + why + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8), false);
    } catch (IOException ignored) {
      // the caller reports the failure and exits non-zero either way
    }
  }
}
