package dev.edgeagent.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real, small filesystem (a tmpfs of a given size) mounted on a test folder, so "no space
 * left on device" comes from the kernel, not from a mock. Mounting needs root: without it the
 * test is skipped with a message saying so.
 */
final class SmallDisk implements AutoCloseable {
  final Path mountPoint;

  private SmallDisk(Path mountPoint) {
    this.mountPoint = mountPoint;
  }

  static SmallDisk mount(Path mountPoint, long bytes) throws IOException, InterruptedException {
    Files.createDirectories(mountPoint);
    Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + bytes, "tmpfs", mountPoint.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    boolean mounted = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    assumeTrue(mounted, "skipped: cannot mount a " + bytes + "-byte tmpfs for the disk-full tests (they need root"
        + " or CAP_SYS_ADMIN; run bin/test as root to include them): " + out.trim());
    return new SmallDisk(mountPoint);
  }

  long usableBytes() throws IOException {
    return Files.getFileStore(mountPoint).getUsableSpace();
  }

  /** Takes all but {@code leave} bytes of the free space with a file of its own. */
  Path fillLeaving(long leave) throws IOException {
    Path filler = mountPoint.resolve("filler.bin");
    long size = Math.max(0, usableBytes() - leave);
    byte[] chunk = new byte[64 << 10];
    try (var out = Files.newOutputStream(filler)) {
      for (long left = size; left > 0; left -= chunk.length) {
        out.write(chunk, 0, (int) Math.min(chunk.length, left));
      }
    }
    return filler;
  }

  /** Remounts it read-only, as a disk the kernel put in read-only mode after errors would be. */
  void readOnly() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("mount", "-o", "remount,ro", mountPoint.toString()).inheritIO().start();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("cannot remount " + mountPoint + " read-only");
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    new ProcessBuilder("umount", "-l", mountPoint.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
  }
}
