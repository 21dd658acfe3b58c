package dev.edgeagent.inspect;

/** The anomaly model cannot be used or failed on a frame. */
public final class InspectException extends Exception {
  public InspectException(String message) {
    super(message);
  }

  public InspectException(String message, Throwable cause) {
    super(message, cause);
  }
}
