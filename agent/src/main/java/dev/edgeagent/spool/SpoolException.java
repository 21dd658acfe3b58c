package dev.edgeagent.spool;

import java.io.IOException;
import java.util.List;

/** The spool cannot take a record: full (cap, free-disk floor or disk error). Never a crash. */
public class SpoolException extends IOException {
  /** Every {@link #reason()} the spool gives, so the drop counters can exist before the first refusal. */
  public static final List<String> REASONS = List.of("spool_full", "spool_disk_floor", "spool_disk_error", "spool_disk_full", "spool_closed");

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
