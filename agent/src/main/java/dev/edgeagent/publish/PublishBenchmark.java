package dev.edgeagent.publish;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeagent.config.AgentConfig;
import dev.edgeagent.health.AgentMetrics;
import dev.edgeagent.protocol.RecordId;
import dev.edgeagent.redact.AnonymizedFrame;
import dev.edgeagent.spool.Spool;
import dev.edgeagent.spool.SpoolConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Measures the publishing side on its own, with real anonymized frames: the spool's append
 * rate with an fsync per record, then spool-to-broker throughput (records/s, MB/s) and
 * append-to-acknowledgement latency (p50/p99) through the real publisher and a real broker
 * (embedded unless {@code kafka.bootstrap} names one). Temporary spool folders are removed.
 */
public final class PublishBenchmark {
  private PublishBenchmark() {}

  public static ObjectNode run(List<AnonymizedFrame> frames, int records, AgentConfig base) throws Exception {
    Path tmp = Files.createTempDirectory("edgeagent-bench-");
    ObjectNode out = new ObjectMapper().createObjectNode();
    try {
      AgentConfig cfg = base.with(Map.of("spool.dir", tmp.resolve("spool").toString(), "spool.min_free_bytes", 0,
          "kafka.topic", "edgeagent.bench." + System.currentTimeMillis()), null);
      AgentMetrics metrics = new AgentMetrics();
      List<byte[]> values = new ArrayList<>();
      try (KafkaPublishing k = KafkaPublishing.open(cfg, metrics)) {
        RecordEncoder enc = new RecordEncoder(k.kafkaConfig(), PublishStats.create(1000), null);
        for (AnonymizedFrame f : frames) {
          values.add(enc.encode(f, enc.idOf(f)));
        }
        // Topic creation and producer start-up stay out of the timed part; warm-up records carry
        // no capture stamp, so they add nothing to the latency figures.
        appendAll(k.spool(), values, 10, "warmup", false);
        k.drain(Duration.ofSeconds(60));
        long t0 = System.nanoTime();
        long bytes = appendAll(k.spool(), values, records, "bench", true);
        long tAppended = System.nanoTime();
        boolean drained = k.drain(Duration.ofSeconds(300));
        double secs = (System.nanoTime() - t0) / 1e9;
        double[] lat = metrics.captureToAckMillis();
        out.put("records", records).put("drained", drained)
            .put("avg_record_kb", Math.round(bytes / (double) records / 102.4) / 10.0)
            .put("append_per_s_with_publisher", round(records / ((tAppended - t0) / 1e9)))
            .put("records_per_s", round(records / secs))
            .put("mb_per_s", round(bytes / secs / 1e6))
            .put("append_to_ack_ms_p50", round(lat[0]))
            .put("append_to_ack_ms_p99", round(lat[1]));
      }
      Path only = tmp.resolve("spool-only");
      out.put("spool_only_appends_per_s_fsync_each", round(spoolOnly(only, values, records)));
      long r0 = System.nanoTime();
      try (Spool reopened = Spool.open(new SpoolConfig(only, 16L << 20, 1L << 40, 0, 0,
          SpoolConfig.FullPolicy.DROP_OLDEST, 0))) {
        out.put("spool_recovery_ms", round((System.nanoTime() - r0) / 1e6))
            .put("spool_recovered_records", reopened.pending());
      }
      return out;
    } finally {
      try (Stream<Path> s = Files.walk(tmp)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static long appendAll(Spool spool, List<byte[]> values, int n, String prefix, boolean stamped)
      throws Exception {
    long bytes = 0;
    for (int i = 0; i < n; i++) {
      byte[] v = values.get(i % values.size());
      spool.append("bench", new RecordId("bench", prefix, i).toHeaderValue(), v, stamped ? System.nanoTime() : 0);
      bytes += v.length;
    }
    return bytes;
  }

  private static double spoolOnly(Path dir, List<byte[]> values, int n) throws Exception {
    try (Spool s = Spool.open(new SpoolConfig(dir, 16L << 20, 1L << 40, 0, 0,
        SpoolConfig.FullPolicy.DROP_OLDEST, 0))) {
      long t0 = System.nanoTime();
      appendAll(s, values, n, "spool-only", false);
      return n / ((System.nanoTime() - t0) / 1e9);
    }
  }

  private static double round(double v) {
    return Double.isNaN(v) ? -1 : Math.round(v * 100) / 100.0;
  }
}
