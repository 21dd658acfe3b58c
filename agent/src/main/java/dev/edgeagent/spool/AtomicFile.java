package dev.edgeagent.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Whole-file writes that a crash cannot leave half done: the bytes go to a hidden temporary
 * sibling ({@code .<name>.part}), optionally fsynced, then the file is renamed over the
 * target, so readers see the old file or the new one, never a mix.
 */
public final class AtomicFile {
  private AtomicFile() {}

  /** @param fsync also flush the bytes to the device before the rename (durable across power loss) */
  public static void write(Path target, byte[] data, boolean fsync) throws IOException {
    Path tmp = target.resolveSibling("." + target.getFileName() + ".part");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer b = ByteBuffer.wrap(data);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      if (fsync) {
        ch.force(true);
      }
    } catch (IOException e) {
      Files.deleteIfExists(tmp); // a full disk must not also keep the half-written copy
      throw e;
    }
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
