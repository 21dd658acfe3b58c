package dev.edgeagent.eval;

/** Thrown for a missing or malformed dataset or annotation; the CLI maps it to exit 65. */
public final class DatasetException extends Exception {
  public DatasetException(String message) {
    super(message);
  }
}
