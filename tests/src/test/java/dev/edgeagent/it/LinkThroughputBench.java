package dev.edgeagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeagent.config.ConfigLoader;
import dev.edgeagent.health.AgentMetrics;
import dev.edgeagent.protocol.RecordId;
import dev.edgeagent.protocol.RecordSignature;
import dev.edgeagent.publish.KafkaPublishing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The link benchmark (BENCHMARKS.md section 8), not part of the suite: its name does not end in
 * IT, so only an explicit run starts it:
 * {@code mvn -B -o verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=LinkThroughputBench -Dfailsafe.failIfNoSpecifiedTests=false}.
 * One secured broker, the same spooled records (100 KB, the size of a 1080p JPEG frame) over
 * plaintext, mutual TLS, mutual TLS with signed records and SCRAM over TLS, in one run, so the
 * ratios compare like with like; plus the cost of signing and verifying one record. Prints JSON
 * and writes target/link-bench.json.
 */
class LinkThroughputBench {
  private static final int RECORDS = Integer.getInteger("bench.records", 600);
  private static final int VALUE_BYTES = 100_000;

  @TempDir
  static Path dir;

  @Test
  void throughputOverEachLink() throws Exception {
    byte[][] values = new byte[16][VALUE_BYTES];
    Random random = new Random(7);
    for (byte[] v : values) {
      random.nextBytes(v); // JPEG-like: incompressible
    }
    ObjectNode out = new ObjectMapper().createObjectNode();
    out.put("records", RECORDS).put("value_bytes", VALUE_BYTES)
        .put("cpus", Runtime.getRuntime().availableProcessors());
    try (SecuredBroker b = SecuredBroker.start(dir)) {
      TestPki.Issued van1 = b.pki.client("van-1", Duration.ofDays(1));
      Map<String, Object> mtls = new HashMap<>();
      mtls.put("kafka.security", "mtls");
      mtls.put("kafka.tls.ca_file", b.pki.caFile().toString());
      mtls.put("kafka.tls.cert_file", van1.cert().toString());
      mtls.put("kafka.tls.key_file", van1.key().toString());
      Map<String, Object> signed = new HashMap<>(mtls);
      signed.put("kafka.signing_key_file", b.signingKeys.get("van-1").toString());
      Map<String, Object> scram = new HashMap<>();
      scram.put("kafka.security", "scram");
      scram.put("kafka.tls.ca_file", b.pki.caFile().toString());
      scram.put("kafka.sasl.username", "van-3");
      scram.put("kafka.sasl.password_file",
          Files.writeString(dir.resolve("pw"), SecuredBroker.SCRAM_PASSWORD).toString());
      out.set("plaintext", run(b.broker.bootstrapServers(), "van-1", Map.of(), values));
      out.set("mtls", run(b.sslBootstrap, "van-1", mtls, values));
      out.set("mtls_signed", run(b.sslBootstrap, "van-1", signed, values));
      out.set("scram_tls", run(b.saslBootstrap, "van-3", scram, values));
    }
    out.set("signature", signatureCost(values));
    String json = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(out);
    System.out.println("LINK BENCH " + json);
    Files.writeString(Path.of("target/link-bench.json"), json);
  }

  private static ObjectNode run(String bootstrap, String vehicle, Map<String, Object> link, byte[][] values)
      throws Exception {
    Map<String, Object> o = new HashMap<>(link);
    o.put("kafka.bootstrap", bootstrap);
    o.put("kafka.topic", SecuredBroker.topic(vehicle));
    o.put("agent.vehicle_id", vehicle);
    o.put("spool.dir", Files.createTempDirectory(dir, "spool").toString());
    o.put("spool.min_free_bytes", 0);
    o.put("spool.fsync_interval_ms", 1000);
    try (KafkaPublishing k = KafkaPublishing.open(ConfigLoader.defaults().with(o, null), new AgentMetrics())) {
      append(k, values, 20, "warmup");
      assertThat(k.drain(Duration.ofSeconds(60))).as("warm-up over " + link.get("kafka.security")).isTrue();
      long t0 = System.nanoTime();
      append(k, values, RECORDS, "bench");
      assertThat(k.drain(Duration.ofSeconds(300))).isTrue();
      double secs = (System.nanoTime() - t0) / 1e9;
      return new ObjectMapper().createObjectNode().put("records_per_s", Math.round(RECORDS / secs * 10) / 10.0)
          .put("mb_per_s", Math.round((double) RECORDS * VALUE_BYTES / secs / 1e4) / 100.0);
    }
  }

  private static void append(KafkaPublishing k, byte[][] values, int n, String prefix) throws Exception {
    for (int i = 0; i < n; i++) {
      k.spool().append("front", new RecordId("bench", prefix, i).toHeaderValue(), values[i % values.length], 0);
    }
  }

  private static ObjectNode signatureCost(byte[][] values) throws Exception {
    KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Path key = Files.writeString(dir.resolve("sign.pem"), RecordSignature.toPem("PRIVATE KEY", kp.getPrivate().getEncoded()));
    RecordSignature.Signer signer = RecordSignature.signer(key);
    int n = 2000;
    byte[][] sigs = new byte[n][];
    for (int i = 0; i < 200; i++) {
      RecordSignature.verify(kp.getPublic(), values[0], signer.sign(values[0])); // warm-up
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      sigs[i] = signer.sign(values[i % values.length]);
    }
    long t1 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      assertThat(RecordSignature.verify(kp.getPublic(), values[i % values.length], sigs[i])).isTrue();
    }
    long t2 = System.nanoTime();
    return new ObjectMapper().createObjectNode().put("sign_us_per_record", Math.round((t1 - t0) / 1e3 / n))
        .put("verify_us_per_record", Math.round((t2 - t1) / 1e3 / n)).put("record_bytes", VALUE_BYTES);
  }
}
