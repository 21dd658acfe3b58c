package dev.edgeagent.protocol;

/**
 * A Kafka record value that cannot be trusted as a frame: not protobuf, cut short, missing a
 * field every record must have, or written by a newer major schema than this consumer knows.
 * Checked, so every consumer decides what a bad record means to it (count it, skip it) instead
 * of crashing on one.
 */
public final class RecordDecodeException extends Exception {

  public RecordDecodeException(String message) {
    super(message);
  }

  public RecordDecodeException(String message, Throwable cause) {
    super(message, cause);
  }
}
