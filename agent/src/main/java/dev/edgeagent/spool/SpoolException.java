package dev.edgeagent.spool;

import java.io.IOException;

/** The spool cannot take a record: full (cap, free-disk floor or disk error). Never a crash. */
public class SpoolException extends IOException {
  private final String reason;

  public SpoolException(String reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** Metric label: spool_full, spool_disk_floor, spool_disk_error, spool_closed. */
  public String reason() {
    return reason;
  }
}
