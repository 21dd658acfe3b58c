package dev.edgeagent.capture;

/** The input cannot be opened or decoded. {@link #missing()} tells a missing input (exit 66) from unreadable data (exit 65). */
public class CaptureException extends Exception {
  private final boolean missing;

  public CaptureException(String message, boolean missing, Throwable cause) {
    super(message, cause);
    this.missing = missing;
  }

  public CaptureException(String message, boolean missing) {
    this(message, missing, null);
  }

  public boolean missing() {
    return missing;
  }
}
