package dev.edgeagent.publish;

import dev.edgeagent.health.AgentMetrics;
import dev.edgeagent.protocol.RecordId;
import dev.edgeagent.spool.Spool;
import dev.edgeagent.spool.SpoolRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends spooled records to Kafka on its own thread and removes each from the spool only when
 * the broker acknowledged it (acks=all, idempotent producer). On any failure it stops taking
 * new records, lets what is in flight finish, rebuilds the producer after a growing back-off
 * (1 s doubling to 30 s; no hot retry loop) and starts again from the oldest unacknowledged
 * record, so per-camera order on the topic follows spool order; records may arrive twice
 * (at-least-once), and consumers de-duplicate by record id.
 */
public final class SpoolPublisher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SpoolPublisher.class);
  private static final int BATCH = 32;
  private static final long MAX_BACKOFF_MS = 30_000;

  private final Spool spool;
  private final KafkaSinkConfig cfg;
  private final Supplier<Producer<String, byte[]>> producers;
  private final PublishStats stats;
  private final AgentMetrics metrics;
  private final Thread thread;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean failed;
  /** Which producer a callback belongs to: outcomes from a replaced producer are ignored. */
  private volatile int generation;
  private volatile boolean stopped;
  private volatile boolean topicReady;
  private long backoffMs = 1_000;
  private Producer<String, byte[]> producer;
  private final dev.edgeagent.protocol.RecordSignature.Signer signer;

  public SpoolPublisher(Spool spool, KafkaSinkConfig cfg, Supplier<Producer<String, byte[]>> producers,
      PublishStats stats, AgentMetrics metrics) {
    this(spool, cfg, producers, stats, metrics, true);
  }

  /** @param createTopic false only where no broker answers admin requests (a mock producer) */
  SpoolPublisher(Spool spool, KafkaSinkConfig cfg, Supplier<Producer<String, byte[]>> producers,
      PublishStats stats, AgentMetrics metrics, boolean createTopic) {
    this.topicReady = !createTopic;
    if (createTopic) {
      stats.awaitFirstContact();
    }
    this.spool = spool;
    this.cfg = cfg;
    this.producers = producers;
    this.stats = stats;
    this.metrics = metrics;
    this.signer = RecordSigner.forSink(cfg);
    this.thread = new Thread(this::loop, "publisher");
    thread.setDaemon(true);
  }

  public SpoolPublisher start() {
    thread.start();
    return this;
  }

  private void loop() {
    while (!stopped) {
      try {
        if (producer == null) {
          ensureTopic();
          producer = producers.get();
        }
        List<SpoolRecord> batch = spool.take(BATCH, 200);
        for (SpoolRecord r : batch) {
          if (failed || stopped) {
            spool.release(r.offset());
            continue;
          }
          send(r);
        }
        if (failed) {
          recover();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        failed = true;
        countError(e);
        recoverQuietly();
      }
    }
  }

  private void ensureTopic() throws Exception {
    if (!topicReady) {
      KafkaTopics.ensure(cfg);
      topicReady = true;
      stats.contacted();
    }
  }

  private void send(SpoolRecord r) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(new RecordHeader(RecordId.HEADER, r.recordId().getBytes(StandardCharsets.UTF_8)));
    if (signer != null) {
      headers.add(new RecordHeader(dev.edgeagent.protocol.RecordSignature.HEADER, signer.sign(r.value())));
    }
    stats.sent();
    inFlight.incrementAndGet();
    int gen = generation;
    producer.send(new ProducerRecord<>(cfg.topic(), null, null, r.key(), r.value(), headers), (meta, err) -> {
      if (err == null) {
        // Count first: once the spool is empty, a drain waiter may read these counters.
        stats.acked();
        metrics.publishAcked(r.key());
        metrics.publishBytes(r.value().length);
        backoffMs = 1_000;
        long captured = spool.ack(r.offset());
        if (captured > 0) {
          metrics.captureToAck(System.nanoTime() - captured);
        }
      } else if (gen == generation) {
        failed = true;
        countError(err);
        spool.release(r.offset());
      }
      inFlight.decrementAndGet();
    });
  }

  private void countError(Exception failure) {
    // the admin client's futures wrap the broker's answer (an authentication or ACL refusal)
    Throwable err = failure instanceof java.util.concurrent.ExecutionException && failure.getCause() != null
        ? failure.getCause() : failure;
    String type = err.getClass().getSimpleName();
    long n = stats.error(type);
    metrics.publishError(type);
    if (n == 1 || n % 100 == 0) {
      LOG.warn("event=publish_failed type={} count={} retriable={} reason=\"{}\"", type, n,
          err instanceof RetriableException, err.getMessage());
    }
  }

  /** Lets in-flight sends finish, drops the producer, waits the back-off; the loop rebuilds. */
  private void recover() throws InterruptedException {
    Producer<String, byte[]> p = producer;
    producer = null;
    if (p != null) {
      p.close(Duration.ofMillis(cfg.deliveryTimeoutMs()));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(10);
    }
    // Whatever the old producer did not settle is sent again, from the oldest, by the next one.
    generation++;
    inFlight.set(0);
    spool.releaseAll();
    LOG.info("event=publisher_backoff ms={} pending={}", backoffMs, spool.pending());
    sleepUnlessStopped(backoffMs);
    backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    failed = false;
  }

  private void recoverQuietly() {
    try {
      recover();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopped = true;
    }
  }

  private void sleepUnlessStopped(long ms) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
    while (!stopped && System.nanoTime() < end) {
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }

  public PublishStats stats() {
    return stats;
  }

  /** Waits until the spool holds nothing unacknowledged; false if {@code bound} passed first. */
  public boolean awaitDrained(Duration bound) throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    while (spool.pending() > 0) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
    return true;
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    thread.join(TimeUnit.SECONDS.toMillis(10));
    Producer<String, byte[]> p = producer;
    if (p != null) {
      p.close(Duration.ofSeconds(5));
    }
  }
}
