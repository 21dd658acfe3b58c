package dev.edgeagent.it;

import dev.edgeagent.protocol.RecordSignature;
import dev.edgeagent.demo.EmbeddedKafkaBroker;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * A real secured fleet cluster for tests and the link benchmark: a KRaft broker with a TLS
 * listener that requires client certificates, a SASL_SSL listener with SCRAM-SHA-512 (user
 * van-3), the standard authorizer and one topic prefix per vehicle ({@code fleet.<vehicle>.})
 * that only that vehicle may write (WRITE, DESCRIBE); {@code fleet-backend} may read them all.
 * The PKI (a fleet CA, a rogue CA) and an Ed25519 signing key per vehicle are made now.
 */
final class SecuredBroker implements AutoCloseable {
  static final String SCRAM_PASSWORD = "s3cret \"quoted\" pass";

  final TestPki pki;
  final TestPki rogue;
  final EmbeddedKafkaBroker broker;
  final String sslBootstrap;
  final String saslBootstrap;
  final Map<String, Path> signingKeys = new HashMap<>();
  final Path trustedKeys;

  static SecuredBroker start(Path dir) throws Exception {
    return new SecuredBroker(dir);
  }

  private SecuredBroker(Path dir) throws Exception {
    this.pki = TestPki.create(dir, "fleet-ca");
    this.rogue = TestPki.create(dir, "rogue-ca");
    TestPki.Issued server = pki.server("broker");
    int ssl = freePort();
    int sasl = freePort();
    this.sslBootstrap = "127.0.0.1:" + ssl;
    this.saslBootstrap = "127.0.0.1:" + sasl;
    Map<String, String> p = new LinkedHashMap<>();
    p.put("listeners", "PLAINTEXT://127.0.0.1:{broker_port},CONTROLLER://127.0.0.1:{controller_port},"
        + "SSL://127.0.0.1:" + ssl + ",SASL_SSL://127.0.0.1:" + sasl);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:{broker_port},SSL://127.0.0.1:" + ssl
        + ",SASL_SSL://127.0.0.1:" + sasl);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SSL:SSL,SASL_SSL:SASL_SSL");
    p.put("ssl.keystore.type", "PEM");
    p.put("ssl.keystore.location", server.both().toString());
    p.put("ssl.truststore.type", "PEM");
    p.put("ssl.truststore.location", pki.caFile().toString());
    p.put("listener.name.ssl.ssl.client.auth", "required");
    p.put("ssl.principal.mapping.rules", "RULE:^CN=([^,]+).*$/$1/,DEFAULT");
    p.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
    p.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    // the PLAINTEXT listener (loopback only: the test's admin) and the controller
    p.put("super.users", "User:ANONYMOUS");
    this.broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults().withProperties(p)
        // client certificates are checked against their CRLs (TestPki.revoke)
        .withJvmOptions("-Dcom.sun.net.ssl.checkRevocation=true", "-Dcom.sun.security.enableCRLDP=true"));

    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      List<NewTopic> topics = new ArrayList<>();
      List<AclBinding> acls = new ArrayList<>();
      for (String v : List.of("van-1", "van-2", "van-3")) {
        topics.add(new NewTopic(topic(v), 1, (short) 1));
        for (AclOperation op : List.of(AclOperation.WRITE, AclOperation.DESCRIBE)) {
          acls.add(new AclBinding(new ResourcePattern(ResourceType.TOPIC, "fleet." + v + ".", PatternType.PREFIXED),
              new AccessControlEntry("User:" + v, "*", op, AclPermissionType.ALLOW)));
        }
      }
      for (AclOperation op : List.of(AclOperation.READ, AclOperation.DESCRIBE)) {
        acls.add(new AclBinding(new ResourcePattern(ResourceType.TOPIC, "fleet.", PatternType.PREFIXED),
            new AccessControlEntry("User:fleet-backend", "*", op, AclPermissionType.ALLOW)));
      }
      admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
      admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
      admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("van-3",
          new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), SCRAM_PASSWORD))).all().get(30, TimeUnit.SECONDS);
    }
    this.trustedKeys = Files.createDirectories(dir.resolve("trusted-keys"));
    for (String v : List.of("van-1", "van-2", "van-3")) {
      KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      signingKeys.put(v, Files.writeString(dir.resolve(v + ".sign.pem"),
          RecordSignature.toPem("PRIVATE KEY", kp.getPrivate().getEncoded())));
      Files.writeString(trustedKeys.resolve(v + ".pub"), RecordSignature.toPem("PUBLIC KEY", kp.getPublic().getEncoded()));
    }
  }

  static String topic(String vehicle) {
    return "fleet." + vehicle + ".frames";
  }

  @Override
  public void close() throws Exception {
    broker.close();
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
