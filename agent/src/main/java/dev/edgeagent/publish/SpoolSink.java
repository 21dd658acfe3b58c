package dev.edgeagent.publish;

import dev.edgeagent.encode.FrameSink;
import dev.edgeagent.health.AgentMetrics;
import dev.edgeagent.protocol.RecordId;
import dev.edgeagent.redact.AnonymizedFrame;
import dev.edgeagent.spool.Spool;
import dev.edgeagent.spool.SpoolException;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encodes each anonymized frame into its Kafka record and appends it to the disk spool;
 * {@link #accept} returns only once the spool holds it (fsynced per the spool's policy), which
 * is when the camera frame counts as done. {@link SpoolPublisher} sends it on from there. A
 * full spool or a disk error refuses the frame, counted by reason; it never crashes the camera.
 * Thread-safe: cameras share one.
 */
public final class SpoolSink implements FrameSink {
  private static final Logger LOG = LoggerFactory.getLogger(SpoolSink.class);

  private final Spool spool;
  private final RecordEncoder encoder;
  private final AgentMetrics metrics;
  private final PublishStats stats;

  public SpoolSink(Spool spool, KafkaSinkConfig cfg, PublishStats stats, AgentMetrics metrics) {
    this.spool = spool;
    this.stats = stats;
    this.encoder = new RecordEncoder(cfg, stats, metrics);
    this.metrics = metrics;
  }

  @Override
  public void accept(AnonymizedFrame frame) throws IOException {
    stats.accepted();
    RecordId id = encoder.idOf(frame);
    byte[] value = encoder.encode(frame, id);
    if (value == null) {
      return;
    }
    try {
      spool.append(frame.meta().cameraId(), id.toHeaderValue(), value, frame.meta().monotonicNanos());
    } catch (SpoolException e) {
      metrics.frameDropped(frame.meta().cameraId(), e.reason(), 1);
      long n = spool.refused();
      if (n == 1 || n % 100 == 0) {
        LOG.warn("event=frame_refused record_id={} reason={} refused_total={} detail=\"{}\"", id,
            e.reason(), n, e.getMessage());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for spool space", e);
    }
  }

  /** Cameras share this sink; the spool is owned and closed by the agent after draining. */
  @Override
  public void close() {
    // nothing per camera to release
  }
}
