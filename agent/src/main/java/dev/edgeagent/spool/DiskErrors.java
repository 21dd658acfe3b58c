package dev.edgeagent.spool;

import java.nio.file.FileSystemException;

/** Tells a disk that is out of space from other I/O failures, which need a person, not a policy. */
final class DiskErrors {
  private DiskErrors() {}

  /**
   * ENOSPC or EDQUOT. Java gives no errno, only the operating system's message, which may be
   * translated under another locale; the caller also asks the file store for its free space.
   */
  static boolean isOutOfSpace(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t instanceof FileSystemException f && f.getReason() != null ? f.getReason() : t.getMessage();
      if (m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded"))) {
        return true;
      }
    }
    return false;
  }
}
