package dev.edgeagent.publish;

import dev.edgeagent.encode.EncodedFrame;
import dev.edgeagent.encode.FrameSink;
import dev.edgeagent.encode.JpegEncoder;
import dev.edgeagent.redact.AnonymizedFrame;
import dev.edgeagent.spool.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes each anonymized frame as {@code <dir>/<camera>/<sequence>.jpg}: written to a temporary
 * file, fsynced, then renamed, so a crash leaves either the whole image or none.
 */
public final class DirectorySink implements FrameSink {
  private final Path dir;
  private final JpegEncoder encoder;

  public DirectorySink(Path root, String cameraId, JpegEncoder encoder) throws IOException {
    this.dir = root.resolve(cameraId);
    this.encoder = encoder;
    Files.createDirectories(dir);
  }

  @Override
  public void accept(AnonymizedFrame frame) throws IOException {
    EncodedFrame e = encoder.encode(frame);
    Path out = dir.resolve(String.format("%010d.jpg", e.meta().sequence()));
    AtomicFile.write(out, e.jpeg(), true);
  }

  @Override
  public void close() {
    // each frame is durable when accept returns
  }
}
