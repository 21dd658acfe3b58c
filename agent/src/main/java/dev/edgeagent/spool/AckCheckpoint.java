package dev.edgeagent.spool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The acknowledged low-water mark of a spool: every offset below it was acknowledged by the
 * broker. Written atomically (temporary file, fsync, rename); an unreadable file means "resend
 * everything", which at-least-once delivery allows.
 */
final class AckCheckpoint {
  private static final Logger LOG = LoggerFactory.getLogger(AckCheckpoint.class);
  private static final String FILE = "acked.checkpoint";

  private final Path file;
  private long value;

  AckCheckpoint(Path dir) {
    this.file = dir.resolve(FILE);
    this.value = read();
  }

  long value() {
    return value;
  }

  private long read() {
    try {
      return Files.exists(file) ? Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim()) : 0;
    } catch (IOException | NumberFormatException e) {
      LOG.warn("event=spool_checkpoint_unreadable reason=\"{}\" effect=resend_all", e.toString());
      return 0;
    }
  }

  /** Records a new low-water mark; a failure is logged and only costs re-sending after a restart. */
  void write(long low) {
    try {
      AtomicFile.write(file, Long.toString(low).getBytes(StandardCharsets.US_ASCII), true);
      value = low;
    } catch (IOException e) {
      LOG.warn("event=spool_checkpoint_failed reason=\"{}\"", e.getMessage());
    }
  }
}
