package dev.edgeagent.detect;

/** A detector could not produce a trustworthy answer for a frame; the frame must be dropped. */
public class DetectorException extends Exception {
  private final DropReason reason;

  public DetectorException(DropReason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public DetectorException(DropReason reason, String message) {
    this(reason, message, null);
  }

  public DropReason reason() {
    return reason;
  }
}
