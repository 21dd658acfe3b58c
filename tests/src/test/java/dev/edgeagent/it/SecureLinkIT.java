package dev.edgeagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeagent.cli.EdgeAgentCli;
import dev.edgeagent.cli.ExitCodes;
import dev.edgeagent.pipeline.CameraPipeline;
import dev.edgeagent.demo.EmbeddedKafkaBroker;
import dev.edgeagent.publish.KafkaPublishing;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet link against a real secured broker: a KRaft broker with a TLS listener that requires
 * client certificates, a SASL_SSL listener with SCRAM-SHA-512, the standard authorizer and one
 * topic prefix per vehicle ({@code fleet.<vehicle>.}) that only that vehicle may write. The PKI
 * (a fleet CA, a rogue CA, certificates per vehicle, an expired one) is made at test time.
 */
class SecureLinkIT {
  private static final int FRAMES = 3;
  private static final String SCRAM_PASSWORD = SecuredBroker.SCRAM_PASSWORD;
  static SecuredBroker secured;

  @TempDir
  static Path dir;
  static EmbeddedKafkaBroker broker;
  static PipelineHarness harness;
  static TestPki pki;
  static TestPki rogue;
  static String sslBootstrap;
  static String saslBootstrap;
  static Map<String, Path> signingKeys;
  static Path trustedKeys;

  @BeforeAll
  static void startSecuredBroker() throws Exception {
    secured = SecuredBroker.start(dir);
    pki = secured.pki;
    rogue = secured.rogue;
    broker = secured.broker;
    sslBootstrap = secured.sslBootstrap;
    saslBootstrap = secured.saslBootstrap;
    signingKeys = secured.signingKeys;
    trustedKeys = secured.trustedKeys;
    harness = new PipelineHarness(FRAMES, false, List.of());
  }

  @AfterAll
  static void stop() throws Exception {
    if (harness != null) {
      harness.close();
    }
    if (secured != null) {
      secured.close();
    }
  }

  @Test
  void mutualTlsDeliversSignedRecordsThatConsumeVerifiesOverTls() throws Exception {
    TestPki.Issued van1 = pki.client("van-1", Duration.ofDays(7));
    try (KafkaPublishing k = publish(sslBootstrap, "van-1", mtls(van1), signingKeys.get("van-1"))) {
      assertThat(k.drain(Duration.ofSeconds(60))).as("errors: " + k.stats().errorsByType()).isTrue();
      assertThat(k.security()).startsWith("mtls").doesNotContain("PRIVATE");
    }
    // other tests deliver to van-1's topic too, always signed with van-1's key, and with the
    // same record ids (each run starts a fresh spool): consume writes each id once
    long onTopic = countOn(topic("van-1"));
    Consumed c = consume(topic("van-1"), "--trusted-keys", trustedKeys.toString());
    assertThat(c.exit).isZero();
    assertThat(onTopic).isGreaterThanOrEqualTo(FRAMES);
    assertThat(c.summary.get("written").asLong()).isEqualTo(FRAMES);
    assertThat(c.summary.get("signatures").get("verified").asLong()).isEqualTo(onTopic);
  }

  @Test
  void aCertificateFromAnotherCaIsRefusedAndEverythingArrivesOnceTheFilesAreReplaced() throws Exception {
    TestPki.Issued wrong = rogue.client("van-1", Duration.ofDays(7));
    Path cert = Files.copy(wrong.cert(), dir.resolve("van-1-in-use.crt.pem"), StandardCopyOption.REPLACE_EXISTING);
    Path key = Files.copy(wrong.key(), dir.resolve("van-1-in-use.key.pem"), StandardCopyOption.REPLACE_EXISTING);
    long before = countOn(topic("van-1"));
    try (KafkaPublishing k = publish(sslBootstrap, "van-1", mtls(new TestPki.Issued(cert, key, null)),
        signingKeys.get("van-1"))) {
      assertThat(k.drain(Duration.ofSeconds(10))).isFalse();
      assertThat(k.spool().pending()).as("refused records stay spooled").isEqualTo(FRAMES);
      assertThat(k.degraded()).isTrue();
      assertThat(k.stats().lastError()).isEqualTo("SslAuthenticationException");

      // the operator installs the right certificate: the publisher's next reconnect reads it
      TestPki.Issued right = pki.client("van-1", Duration.ofDays(7));
      Files.copy(right.cert(), cert, StandardCopyOption.REPLACE_EXISTING);
      Files.copy(right.key(), key, StandardCopyOption.REPLACE_EXISTING);
      assertThat(k.drain(Duration.ofSeconds(90))).as("errors: " + k.stats().errorsByType()).isTrue();
      assertThat(k.degraded()).isFalse();
    }
    assertThat(countOn(topic("van-1")) - before).isEqualTo(FRAMES);
  }

  @Test
  void anExpiredClientCertificateIsRefusedAndEverythingArrivesWithARenewedOne() throws Exception {
    refusedUntilTheCertificateIsReplaced(pki.client("van-1", Duration.ofDays(-1)), "expired");
  }

  @Test
  void aRevokedClientCertificateIsRefusedAndEverythingArrivesWithANewOne() throws Exception {
    TestPki.Issued revoked = pki.client("van-1", Duration.ofDays(7));
    pki.revoke(revoked);
    refusedUntilTheCertificateIsReplaced(revoked, "revoked");
  }

  @Test
  void aVehicleWithoutAnAclIsRefusedUntilTheOperatorGrantsIt() throws Exception {
    String topic = "fleet.van-4.frames";
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
      try (KafkaPublishing k = publish(sslBootstrap, "van-4", topic, mtls(pki.client("van-4", Duration.ofDays(7))), null)) {
        assertThat(k.drain(Duration.ofSeconds(10))).isFalse();
        assertThat(k.spool().pending()).isEqualTo(FRAMES);
        assertThat(k.stats().lastError()).isEqualTo("TopicAuthorizationException");
        List<AclBinding> grant = new ArrayList<>();
        for (AclOperation op : List.of(AclOperation.WRITE, AclOperation.DESCRIBE)) {
          grant.add(new AclBinding(new ResourcePattern(ResourceType.TOPIC, "fleet.van-4.", PatternType.PREFIXED),
              new AccessControlEntry("User:van-4", "*", op, AclPermissionType.ALLOW)));
        }
        admin.createAcls(grant).all().get(30, TimeUnit.SECONDS);
        assertThat(k.drain(Duration.ofSeconds(90))).as("errors: " + k.stats().errorsByType()).isTrue();
      }
    }
    assertThat(countOn(topic)).isEqualTo(FRAMES);
  }

  /** A refused certificate keeps FRAMES records spooled; a valid one in the same files delivers them all. */
  private static void refusedUntilTheCertificateIsReplaced(TestPki.Issued bad, String name) throws Exception {
    Path cert = Files.copy(bad.cert(), dir.resolve(name + "-in-use.crt.pem"), StandardCopyOption.REPLACE_EXISTING);
    Path key = Files.copy(bad.key(), dir.resolve(name + "-in-use.key.pem"), StandardCopyOption.REPLACE_EXISTING);
    long before = countOn(topic("van-1"));
    try (KafkaPublishing k = publish(sslBootstrap, "van-1", mtls(new TestPki.Issued(cert, key, null)),
        signingKeys.get("van-1"))) {
      assertThat(k.drain(Duration.ofSeconds(10))).isFalse();
      assertThat(k.spool().pending()).as("refused records stay spooled").isEqualTo(FRAMES);
      assertThat(k.stats().lastError()).isEqualTo("SslAuthenticationException");
      TestPki.Issued good = pki.client("van-1", Duration.ofDays(7));
      Files.copy(good.cert(), cert, StandardCopyOption.REPLACE_EXISTING);
      Files.copy(good.key(), key, StandardCopyOption.REPLACE_EXISTING);
      assertThat(k.drain(Duration.ofSeconds(90))).as("errors: " + k.stats().errorsByType()).isTrue();
    }
    assertThat(countOn(topic("van-1")) - before).isEqualTo(FRAMES);
  }

  @Test
  void scramWithAWrongPasswordKeepsRecordsSpooledUntilThePasswordFileIsFixed() throws Exception {
    Path password = Files.writeString(dir.resolve("van-3.password"), "not the password\n");
    Map<String, Object> link = new HashMap<>();
    link.put("kafka.security", "scram");
    link.put("kafka.tls.ca_file", pki.caFile().toString());
    link.put("kafka.sasl.username", "van-3");
    link.put("kafka.sasl.password_file", password.toString());
    long before = countOn(topic("van-3"));
    try (KafkaPublishing k = publish(saslBootstrap, "van-3", link, signingKeys.get("van-3"))) {
      assertThat(k.drain(Duration.ofSeconds(10))).isFalse();
      assertThat(k.spool().pending()).isEqualTo(FRAMES);
      assertThat(k.stats().lastError()).isEqualTo("SaslAuthenticationException");
      assertThat(k.security()).isEqualTo("scram SCRAM-SHA-512 over tls (user van-3)");
      Files.writeString(password, SCRAM_PASSWORD + "\n");
      assertThat(k.drain(Duration.ofSeconds(90))).as("errors: " + k.stats().errorsByType()).isTrue();
    }
    assertThat(countOn(topic("van-3")) - before).isEqualTo(FRAMES);
  }

  @Test
  void aVehicleCannotWriteToAnotherVehiclesTopic() throws Exception {
    long before = countOn(topic("van-1"));
    TestPki.Issued van2 = pki.client("van-2", Duration.ofDays(7));
    Map<String, Object> more = mtls(van2);
    try (KafkaPublishing k = publish(sslBootstrap, "van-2", topic("van-1"), more, null)) {
      assertThat(k.drain(Duration.ofSeconds(10))).isFalse();
      assertThat(k.spool().pending()).isEqualTo(FRAMES);
      assertThat(k.stats().lastError()).isEqualTo("TopicAuthorizationException");
    }
    assertThat(countOn(topic("van-1"))).isEqualTo(before);
  }

  @Test
  void recordsInAnotherVehiclesNameAreRejectedByConsumeEvenOnAnAllowedTopic() throws Exception {
    // van-2's stolen credentials and key, writing records that claim to be van-1's
    TestPki.Issued van2 = pki.client("van-2", Duration.ofDays(7));
    Map<String, Object> more = mtls(van2);
    more.put("agent.vehicle_id", "van-1");
    try (KafkaPublishing k = publish(sslBootstrap, "van-1", topic("van-2"), more, signingKeys.get("van-2"))) {
      assertThat(k.drain(Duration.ofSeconds(60))).isTrue();
    }
    Consumed c = consume(topic("van-2"), "--trusted-keys", trustedKeys.toString());
    assertThat(c.exit).isEqualTo(ExitCodes.DATA_ERR);
    assertThat(c.summary.get("written").asLong()).isZero();
    assertThat(c.summary.get("signatures").get("bad_signature").asLong()).isEqualTo(FRAMES);
  }

  private static String topic(String vehicle) {
    return "fleet." + vehicle + ".frames";
  }

  private static Map<String, Object> mtls(TestPki.Issued client) {
    Map<String, Object> m = new HashMap<>();
    m.put("kafka.security", "mtls");
    m.put("kafka.tls.ca_file", pki.caFile().toString());
    m.put("kafka.tls.cert_file", client.cert().toString());
    m.put("kafka.tls.key_file", client.key().toString());
    return m;
  }

  private static KafkaPublishing publish(String bootstrap, String vehicle, Map<String, Object> link, Path signingKey)
      throws Exception {
    return publish(bootstrap, vehicle, topic(vehicle), link, signingKey);
  }

  /** Runs FRAMES frames of the test video through the pipeline into a publisher over {@code link}. */
  private static KafkaPublishing publish(String bootstrap, String vehicle, String topic, Map<String, Object> link,
      Path signingKey) throws Exception {
    Map<String, Object> more = new HashMap<>(link);
    more.putIfAbsent("agent.vehicle_id", vehicle);
    more.put("kafka.request_timeout_ms", 4000);
    more.put("kafka.delivery_timeout_ms", 8000);
    if (signingKey != null) {
      more.put("kafka.signing_key_file", signingKey.toString());
    }
    KafkaPublishing k = harness.publishing(bootstrap, topic, 1, more);
    CameraPipeline.Result r = harness.camera("front", k.sink()).run();
    assertThat(r.anonymized()).isEqualTo(FRAMES);
    return k;
  }

  private static long countOn(String topic) throws Exception {
    return TopicReader.readAll(broker.bootstrapServers(), topic).size();
  }

  private record Consumed(int exit, JsonNode summary) {}

  /** {@code edge-agent consume} over TLS as the fleet backend, with a consumer properties file. */
  private static Consumed consume(String topic, String... more) throws Exception {
    TestPki.Issued backend = pki.client("fleet-backend", Duration.ofDays(7));
    Properties p = new Properties();
    p.put("security.protocol", "SSL");
    p.put("ssl.truststore.type", "PEM");
    p.put("ssl.truststore.location", pki.caFile().toString());
    p.put("ssl.keystore.type", "PEM");
    p.put("ssl.keystore.location", backend.both().toString());
    Path file = dir.resolve("consumer.properties");
    try (var w = Files.newBufferedWriter(file)) {
      p.store(w, "fleet backend");
    }
    List<String> args = new ArrayList<>(List.of("consume", "--bootstrap", sslBootstrap, "--topic", topic, "--output",
        Files.createTempDirectory(dir, "consumed").toString(), "--from-beginning", "--timeout-seconds", "5",
        "--consumer-config", file.toString()));
    args.addAll(List.of(more));
    PrintStream saved = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int exit;
    try {
      System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
      exit = EdgeAgentCli.execute(args.toArray(String[]::new));
    } finally {
      System.setOut(saved);
    }
    List<String> lines = buf.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).as("consume printed a summary (exit " + exit + ")").isNotEmpty();
    return new Consumed(exit, new ObjectMapper().readTree(lines.get(lines.size() - 1)));
  }

}
