package dev.edgeagent.publish;

import dev.edgeagent.demo.EmbeddedKafkaBroker;
import dev.edgeagent.config.AgentConfig;
import dev.edgeagent.config.ConfigException;
import dev.edgeagent.encode.FrameSink;
import dev.edgeagent.health.AgentMetrics;
import dev.edgeagent.spool.SequenceStore;
import dev.edgeagent.spool.Spool;
import dev.edgeagent.spool.SpoolConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole publishing side for {@code sink.type: kafka}, built from the config in one place:
 * an embedded broker when {@code kafka.bootstrap: embedded}, the disk spool, the per-camera
 * sequence store, the sink the cameras write to, and the publisher that drains the spool to
 * the broker. Closing stops them in the safe order (publisher, spool, sequences, broker).
 */
public final class KafkaPublishing implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaPublishing.class);

  private final EmbeddedKafkaBroker broker;
  private final Spool spool;
  private final SequenceStore sequences;
  private final SpoolSink sink;
  private final SpoolPublisher publisher;
  private final KafkaSinkConfig kafka;

  private KafkaPublishing(EmbeddedKafkaBroker broker, Spool spool, SequenceStore sequences, SpoolSink sink,
      SpoolPublisher publisher, KafkaSinkConfig kafka) {
    this.broker = broker;
    this.spool = spool;
    this.sequences = sequences;
    this.sink = sink;
    this.publisher = publisher;
    this.kafka = kafka;
  }

  public static KafkaPublishing open(AgentConfig cfg, AgentMetrics metrics)
      throws ConfigException, IOException, InterruptedException {
    EmbeddedKafkaBroker broker = null;
    String bootstrap = cfg.string("kafka.bootstrap");
    Spool spool = null;
    try {
      if (bootstrap.equals("embedded")) {
        broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults()
            .withMaxMessageBytes(cfg.integer("kafka.max_request_bytes")));
        bootstrap = broker.bootstrapServers();
        LOG.info("event=embedded_broker_started bootstrap={}", bootstrap);
      }
      KafkaSinkConfig kafka = kafkaConfig(cfg, bootstrap);
      spool = Spool.open(spoolConfig(cfg));
      SequenceStore sequences = SequenceStore.open(cfg.path("spool.dir").resolve("sequences.properties"), 1000);
      PublishStats stats = PublishStats.create(kafka.requestTimeoutMs());
      SpoolSink sink = new SpoolSink(spool, kafka, stats, metrics);
      SpoolPublisher publisher = new SpoolPublisher(spool, kafka,
          () -> new KafkaProducer<>(ProducerSettings.of(kafka)), stats, metrics).start();
      Spool s = spool;
      // the label names the spool's real folder, so two agents (or a moved spool) stay apart
      String dir = cfg.path("spool.dir").toAbsolutePath().normalize().toString();
      metrics.gauge("edgeagent.spool", "Bytes the spool's segment files take on disk", "bytes", "dir", dir, s::bytes);
      metrics.gauge("edgeagent.spool.pending", "Records spooled and not yet acknowledged by the broker", null,
          "dir", dir, s::pending);
      metrics.functionCounter("edgeagent.spool.dropped.oldest", "Unsent records deleted to make room (drop_oldest)",
          s, Spool::droppedOldest);
      metrics.functionCounter("edgeagent.spool.refused",
          "Frames the spool refused: full and nothing to drop, or pause ran out", s, Spool::refused);
      metrics.gauge("edgeagent.spool.disk_full", "1 while the disk under the spool has had no room for a whole segment"
          + " since it refused a write", null, "dir", dir, () -> s.diskFull() ? 1 : 0);
      metrics.functionCounter("edgeagent.spool.disk_full.events", "Times the disk under the spool ran out of space", s,
          Spool::diskFullEvents);
      metrics.functionCounter("edgeagent.spool.corrupt.skipped", "Damaged records skipped when the spool was opened",
          s, Spool::corruptOnOpen);
      metrics.gauge("edgeagent.publish.in.flight", "Records sent to the broker and not yet acknowledged", null,
          "topic", kafka.topic(), stats::inFlight);
      return new KafkaPublishing(broker, spool, sequences, sink, publisher, kafka);
    } catch (TimeoutException e) {
      closeQuietly(spool, broker);
      throw new IOException("the embedded Kafka broker did not start: " + e.getMessage(), e);
    } catch (IOException | RuntimeException | ConfigException e) {
      closeQuietly(spool, broker);
      throw e;
    }
  }

  /**
   * The Kafka settings checked as {@link #open} checks them (link security files and signing key
   * included), without starting anything (no broker, no spool), for {@code validate-config};
   * returns what the link is, with no secret in it.
   */
  public static String check(AgentConfig cfg) throws ConfigException {
    KafkaSinkConfig k = kafkaConfig(cfg, cfg.string("kafka.bootstrap"));
    return k.security().describe() + (k.signingKey() != null ? ", records signed" : "");
  }

  private static KafkaSinkConfig kafkaConfig(AgentConfig cfg, String bootstrap) throws ConfigException {
    try {
      return new KafkaSinkConfig(bootstrap, cfg.string("kafka.topic"), cfg.string("agent.vehicle_id"),
          cfg.string("kafka.compression"), cfg.integer("kafka.max_request_bytes"),
          cfg.integer("kafka.delivery_timeout_ms"), cfg.integer("kafka.request_timeout_ms"),
          cfg.integer("kafka.linger_ms"), cfg.integer("encode.jpeg_quality"),
          Math.min(cfg.integer("encode.min_jpeg_quality"), cfg.integer("encode.jpeg_quality")),
          cfg.integer("kafka.partitions"), cfg.kafkaClient(), LinkSecurity.from(cfg),
          cfg.string("kafka.signing_key_file").isBlank() ? null : RecordSigner.check(cfg.path("kafka.signing_key_file")));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage().replace("kafka sink ", "kafka: "));
    }
  }

  private static SpoolConfig spoolConfig(AgentConfig cfg) {
    return new SpoolConfig(cfg.path("spool.dir"), cfg.longValue("spool.segment_bytes"),
        cfg.longValue("spool.max_bytes"), cfg.longValue("spool.min_free_bytes"),
        cfg.longValue("spool.fsync_interval_ms"),
        SpoolConfig.FullPolicy.valueOf(cfg.string("spool.full_policy").toUpperCase(Locale.ROOT)),
        cfg.longValue("spool.pause_ms"));
  }

  /** The sink every camera writes to; frames are done once spooled. */
  public FrameSink sink() {
    return sink;
  }

  public SequenceStore sequences() {
    return sequences;
  }

  public Spool spool() {
    return spool;
  }

  public PublishStats stats() {
    return publisher.stats();
  }

  KafkaSinkConfig kafkaConfig() {
    return kafka;
  }

  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  public String topic() {
    return kafka.topic();
  }

  /** Broker unreachable, refusing, or silent: publishing waits, capture goes on into the spool. */
  /** The link's kind and files, no secret: for health and logs. */
  public String security() {
    return kafka.security().describe();
  }

  public boolean degraded() {
    return publisher.stats().degraded();
  }

  /** Waits for every spooled record to be acknowledged; false when {@code bound} passed first. */
  public boolean drain(Duration bound) throws InterruptedException {
    return publisher.awaitDrained(bound);
  }

  @Override
  public void close() throws IOException {
    try {
      publisher.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      sequences.close();
    } finally {
      closeQuietly(spool, broker);
    }
  }

  private static void closeQuietly(Spool spool, EmbeddedKafkaBroker broker) {
    try {
      if (spool != null) {
        spool.close();
      }
    } catch (IOException e) {
      LOG.warn("event=spool_close_failed reason=\"{}\"", e.getMessage());
    }
    try {
      if (broker != null) {
        broker.close();
      }
    } catch (IOException e) {
      LOG.warn("event=embedded_broker_close_failed reason=\"{}\"", e.getMessage());
    }
  }
}
