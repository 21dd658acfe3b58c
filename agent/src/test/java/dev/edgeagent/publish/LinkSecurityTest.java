package dev.edgeagent.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgeagent.config.AgentConfig;
import dev.edgeagent.config.ConfigException;
import dev.edgeagent.config.ConfigLoader;
import dev.edgeagent.protocol.RecordSignature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The link settings as an operator writes them: checked at start, secrets only ever read from files. */
class LinkSecurityTest {
  @TempDir
  Path tmp;

  private static final String CERT = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
  private static final String KEY = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n";

  private AgentConfig cfg(Map<String, Object> set) throws ConfigException {
    return ConfigLoader.defaults().with(set, null);
  }

  private Path file(String name, String content) throws Exception {
    return Files.writeString(tmp.resolve(name), content);
  }

  @Test
  void mutualTlsReadsTheCertificateAndKeyFilesIntoKafkasPemProperties() throws Exception {
    Map<String, Object> s = new HashMap<>();
    s.put("kafka.security", "mtls");
    s.put("kafka.tls.ca_file", file("ca.pem", CERT).toString());
    s.put("kafka.tls.cert_file", file("van.crt", CERT).toString());
    s.put("kafka.tls.key_file", file("van.key", KEY).toString());
    LinkSecurity link = LinkSecurity.from(cfg(s));
    Map<String, String> p = link.clientProperties();
    assertThat(p).containsEntry("security.protocol", "SSL").containsEntry("ssl.truststore.type", "PEM")
        .containsEntry("ssl.keystore.type", "PEM").containsEntry("ssl.endpoint.identification.algorithm", "https")
        .containsEntry("ssl.keystore.key", KEY.strip()).containsEntry("ssl.keystore.certificate.chain", CERT.strip());
    assertThat(link.describe()).startsWith("mtls").doesNotContain("MIIE");
  }

  @Test
  void scramBuildsTheJaasConfigFromThePasswordFileAndNeverShowsThePassword() throws Exception {
    Map<String, Object> s = new HashMap<>();
    s.put("kafka.security", "scram");
    s.put("kafka.sasl.username", "van-3");
    s.put("kafka.sasl.password_file", file("pw", "pa\"ss\\word\n").toString());
    LinkSecurity link = LinkSecurity.from(cfg(s));
    assertThat(link.clientProperties()).containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"van-3\" password=\"pa\\\"ss\\\\word\";");
    KafkaSinkConfig sink = KafkaSinkConfig.defaults("b:9093", "t", "van-3").withSecurity(link, null);
    assertThat(sink.toString()).contains("scram SCRAM-SHA-512 over tls (user van-3)").doesNotContain("word");
  }

  @Test
  void mistakesStopTheStartNamingTheKey() throws Exception {
    Map<String, Object> s = new HashMap<>();
    s.put("kafka.security", "mtls");
    s.put("kafka.tls.key_file", file("van.key", KEY).toString());
    assertThatThrownBy(() -> LinkSecurity.from(cfg(s))).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("kafka.tls.cert_file: must be set for kafka.security: mtls");

    s.put("kafka.tls.cert_file", file("not-a-cert.txt", "hello").toString());
    assertThatThrownBy(() -> LinkSecurity.from(cfg(s))).hasMessageStartingWith("kafka.tls.cert_file:")
        .hasMessageContaining("is not a PEM file");

    s.put("kafka.tls.cert_file", tmp.resolve("missing.crt").toString());
    assertThatThrownBy(() -> LinkSecurity.from(cfg(s))).hasMessageContaining("missing.crt does not exist");

    s.put("kafka.tls.cert_file", file("van.crt", CERT).toString());
    s.put("kafka.tls.key_file", file("enc.key", "-----BEGIN ENCRYPTED PRIVATE KEY-----\nx\n-----END ENCRYPTED PRIVATE KEY-----").toString());
    assertThatThrownBy(() -> LinkSecurity.from(cfg(s))).hasMessageContaining("kafka.tls.key_password_file");

    Map<String, Object> plain = Map.of("kafka.sasl.username", "van-3");
    assertThatThrownBy(() -> LinkSecurity.from(cfg(plain))).hasMessageStartingWith("kafka.sasl.username:")
        .hasMessageContaining("kafka.security is plaintext");

    Map<String, Object> scram = Map.of("kafka.security", "scram", "kafka.sasl.username", "van-3");
    assertThatThrownBy(() -> LinkSecurity.from(cfg(scram))).hasMessageStartingWith("kafka.sasl.password_file:");
  }

  @Test
  void aSigningKeyMustBeAnEd25519PrivateKey() throws Exception {
    KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Path good = file("sign.pem", RecordSignature.toPem("PRIVATE KEY", kp.getPrivate().getEncoded()));
    assertThat(KafkaPublishing.check(cfg(Map.of("agent.vehicle_id", "van-1", "kafka.signing_key_file",
        good.toString())))).isEqualTo("plaintext, records signed");
    Path bad = file("rsa.pem", KEY);
    assertThatThrownBy(() -> KafkaPublishing.check(cfg(Map.of("agent.vehicle_id", "van-1", "kafka.signing_key_file",
        bad.toString()))))
        .hasMessageStartingWith("kafka.signing_key_file:").hasMessageContaining("not an Ed25519 private key");

    RecordSignature.Signer signer = RecordSignature.signer(good);
    byte[] value = "a record".getBytes();
    byte[] sig = signer.sign(value);
    assertThat(RecordSignature.verify(kp.getPublic(), value, sig)).isTrue();
    value[0] ^= 1;
    assertThat(RecordSignature.verify(kp.getPublic(), value, sig)).as("one bit changed").isFalse();
  }
}
