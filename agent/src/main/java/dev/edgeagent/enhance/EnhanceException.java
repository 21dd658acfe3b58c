package dev.edgeagent.enhance;

/**
 * The SR model produced something unusable (wrong shape, NaN) or could not run. The frame is
 * then not enhanced; callers decide whether to publish the un-enhanced frame or drop it.
 */
public class EnhanceException extends Exception {
  public EnhanceException(String message) {
    super(message);
  }

  public EnhanceException(String message, Throwable cause) {
    super(message, cause);
  }
}
