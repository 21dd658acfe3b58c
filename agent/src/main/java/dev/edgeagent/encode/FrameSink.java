package dev.edgeagent.encode;

import dev.edgeagent.redact.AnonymizedFrame;
import java.io.IOException;

/**
 * Where anonymized frames go: a video file, image files, a directory of JPEGs, Kafka. The
 * pipeline calls {@link #accept} from one thread per sink, in frame order; the sink does not
 * take ownership of the frame (the caller closes it after accept returns).
 */
public interface FrameSink extends AutoCloseable {

  void accept(AnonymizedFrame frame) throws IOException;

  /** Flushes and releases; after this, everything accepted is on disk or acknowledged. */
  @Override
  void close() throws IOException;

  /**
   * The run stopped on a fault before its end: release, and remove or clearly mark what would
   * otherwise look like a complete output. The default keeps what was accepted ({@link #close()}):
   * each frame a Kafka or directory sink took is complete on its own.
   */
  default void abort(String why) {
    try {
      close();
    } catch (IOException ignored) {
      // the run already failed for another reason, which the caller reports
    }
  }
}
