package dev.edgeagent.review;

import java.nio.file.Path;

/** A keep list that cannot be used; the message names the file, the line and what to fix. */
public final class KeepListException extends Exception {
  public KeepListException(Path file, int line, String problem) {
    super("keep list " + file + (line > 0 ? " line " + line : "") + ": " + problem);
  }
}
