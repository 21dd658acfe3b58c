package dev.edgeagent.publish;

import dev.edgeagent.detect.DropReason;
import dev.edgeagent.encode.FrameSink;
import dev.edgeagent.health.AgentMetrics;
import dev.edgeagent.protocol.RecordId;
import dev.edgeagent.redact.AnonymizedFrame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes anonymized frames to Kafka: JPEG-encodes, maps to a {@code FrameRecord}, and sends
 * asynchronously with an idempotent producer (see {@link ProducerSettings}). The sink thread
 * only encodes and hands over; the producer's I/O thread sends and the callback counts the
 * outcome, so a slow broker costs the caller at most max.block.ms per frame.
 *
 * <p>A frame too large for max.request.size is re-encoded at lower JPEG quality down to the
 * configured minimum, then refused and counted; it is never sent to fail at the broker, and
 * never retried forever. Delivery failures (after the producer's own retries within
 * delivery.timeout.ms) are counted by exception type and do not stop the camera.
 *
 * <p>Thread-safe: one instance can serve every camera through {@link #cameraView()}.
 */
public final class KafkaSink implements FrameSink {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSink.class);
  private final KafkaSinkConfig cfg;
  private final Producer<String, byte[]> producer;
  private final RecordEncoder encoder;
  private final AgentMetrics metrics;
  private final PublishStats stats;
  private volatile boolean closed;

  /** A sink with its own producer; counters only in {@link #stats()}. */
  public KafkaSink(KafkaSinkConfig cfg) {
    this(cfg, null);
  }

  /** A sink with its own producer that also reports to the agent's metrics. */
  public KafkaSink(KafkaSinkConfig cfg, AgentMetrics metrics) {
    this(cfg, new KafkaProducer<>(ProducerSettings.of(cfg)), metrics);
  }

  /** For tests: any producer (a MockProducer). {@code metrics} may be null. */
  KafkaSink(KafkaSinkConfig cfg, Producer<String, byte[]> producer, AgentMetrics metrics) {
    this(cfg, producer, metrics, System::nanoTime);
  }

  /** For tests that control time (the stall part of {@link PublishStats#degraded()}). */
  KafkaSink(KafkaSinkConfig cfg, Producer<String, byte[]> producer, AgentMetrics metrics, LongSupplier nanoTime) {
    this.cfg = cfg;
    this.stats = new PublishStats(nanoTime, cfg.requestTimeoutMs());
    this.producer = producer;
    this.encoder = new RecordEncoder(cfg, stats, metrics);
    this.metrics = metrics;
    LOG.info("event=kafka_sink_created {}", cfg);
  }

  public PublishStats stats() {
    return stats;
  }

  public KafkaSinkConfig config() {
    return cfg;
  }

  @Override
  public void accept(AnonymizedFrame frame) throws IOException {
    if (closed) {
      throw new IOException("kafka sink is closed");
    }
    stats.accepted();
    String camera = frame.meta().cameraId();
    RecordId id = encoder.idOf(frame);
    byte[] value = encoder.encode(frame, id);
    if (value == null) {
      return;
    }
    RecordHeaders headers = new RecordHeaders();
    headers.add(new RecordHeader(RecordId.HEADER, id.toHeaderValue().getBytes(StandardCharsets.UTF_8)));
    ProducerRecord<String, byte[]> rec = new ProducerRecord<>(cfg.topic(), null, null, camera, value, headers);
    stats.sent();
    try {
      producer.send(rec, (meta, err) -> completed(id, err));
    } catch (KafkaException | IllegalStateException e) {
      // thrown here, not through the callback: the producer itself is unusable (closed, fatal)
      countError(id, e);
      if (e instanceof org.apache.kafka.common.errors.InterruptException) {
        Thread.currentThread().interrupt();
      }
      throw new IOException("kafka producer refused record " + id + ": " + e, e);
    }
  }

  /** Runs on the producer's I/O thread: count, log, never block. */
  private void completed(RecordId id, Exception err) {
    if (err == null) {
      stats.acked();
      if (metrics != null) {
        metrics.publishAcked(id.camera());
      }
    } else {
      countError(id, err);
    }
  }

  private void countError(RecordId id, Exception err) {
    String type = err.getClass().getSimpleName();
    long n = stats.error(type);
    if (metrics != null) {
      metrics.publishError(type);
      metrics.frameDropped(id.camera(), DropReason.DELIVERY_FAILED);
    }
    // a broker outage fails every record in flight: log the first of a kind, then every 100th
    if (n == 1 || n % 100 == 0) {
      LOG.warn("event=publish_failed record_id={} type={} count={} reason=\"{}\"", id, type, n, err.getMessage());
    }
  }

  /**
   * A view for one camera's pipeline: its close() waits for what was sent so far to be
   * acknowledged but leaves the producer open for the other cameras. The owner closes this sink.
   */
  public FrameSink cameraView() {
    return new FrameSink() {
      @Override
      public void accept(AnonymizedFrame frame) throws IOException {
        KafkaSink.this.accept(frame);
      }

      @Override
      public void close() throws IOException {
        awaitAcks(Duration.ofMillis(cfg.deliveryTimeoutMs() + 5_000L));
      }
    };
  }

  /**
   * Flushes and waits for every outstanding record to be acknowledged or to fail, at most
   * delivery.timeout.ms plus a margin (the producer completes every record within that); what
   * is still unsent then is aborted.
   *
   * @throws IOException when any record accepted by this sink was not acknowledged, so the
   *     caller can tell "all delivered" from "some lost" (exit 75 in the CLI)
   */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    producer.close(Duration.ofMillis(cfg.deliveryTimeoutMs() + 5_000L));
    LOG.info("event=kafka_sink_closed topic={} {}", cfg.topic(), stats);
    long failed = stats.errorCount();
    long pending = stats.inFlight();
    if (failed > 0 || pending > 0) {
      throw new IOException("not every frame reached " + cfg.bootstrapServers() + ": " + failed
          + " record(s) failed " + stats.errorsByType() + ", " + pending + " unacknowledged");
    }
  }

  /**
   * Sends what is batched and waits until nothing this sink sent is in flight, or the bound
   * passes. Leaves the producer open.
   *
   * @throws IOException naming how many records are still unacknowledged at the bound
   */
  public void awaitAcks(Duration bound) throws IOException {
    long deadline = System.nanoTime() + bound.toNanos();
    // returns once every record sent so far completed; bounded by delivery.timeout.ms
    producer.flush();
    while (stats.inFlight() > 0 && System.nanoTime() < deadline) {
      try {
        TimeUnit.MILLISECONDS.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    long pending = stats.inFlight();
    if (pending > 0) {
      throw new IOException(pending + " record(s) not acknowledged by " + cfg.bootstrapServers() + " within "
          + bound.toMillis() + " ms");
    }
  }
}
