package dev.edgeagent.detect;

/** A model file is missing, unpinned, does not match its sha256 pin, or cannot be loaded (exit 78). */
public class ModelLoadException extends Exception {
  public ModelLoadException(String message, Throwable cause) {
    super(message, cause);
  }

  public ModelLoadException(String message) {
    super(message);
  }
}
