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
}
