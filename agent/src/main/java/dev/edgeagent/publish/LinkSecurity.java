package dev.edgeagent.publish;

import dev.edgeagent.config.AgentConfig;
import dev.edgeagent.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How the agent reaches the fleet cluster over an untrusted network, in the operator's terms
 * ({@code kafka.security}, {@code kafka.tls.*}, {@code kafka.sasl.*}), turned into Kafka's own
 * client properties. Secrets are only ever file paths: the files are read each time a producer
 * is built ({@link #clientProperties()}), so new certificate or password files take effect at the
 * publisher's next reconnect, without a restart, and no secret is held in the configuration,
 * logs, health or metrics.
 *
 * @param protocol plaintext (no protection: only for a closed network), tls (server verified
 *     against {@code caFile}), mtls (tls plus a client certificate) or scram (SASL SCRAM over tls)
 * @param caFile PEM file of the CA certificates the broker's certificate must chain to; null:
 *     the JVM's default trust store
 * @param certFile PEM client certificate chain (mtls)
 * @param keyFile PEM PKCS#8 private key of the client certificate (mtls)
 * @param keyPasswordFile file holding the key's password when the key is encrypted, or null
 * @param verifyHostname whether the broker's certificate must name the host connected to
 * @param saslMechanism SCRAM-SHA-512 or SCRAM-SHA-256 (scram)
 * @param username the SCRAM user (scram)
 * @param passwordFile file holding the SCRAM password (scram)
 */
public record LinkSecurity(Protocol protocol, Path caFile, Path certFile, Path keyFile, Path keyPasswordFile,
    boolean verifyHostname, String saslMechanism, String username, Path passwordFile) {

  /** The kinds of link; see the record's documentation. */
  public enum Protocol { PLAINTEXT, TLS, MTLS, SCRAM }

  /** No protection: the default, for the embedded broker and closed networks. */
  public static final LinkSecurity PLAINTEXT =
      new LinkSecurity(Protocol.PLAINTEXT, null, null, null, null, true, null, null, null);

  public LinkSecurity {
    Objects.requireNonNull(protocol, "protocol");
    if (protocol == Protocol.MTLS && (certFile == null || keyFile == null)) {
      throw new IllegalArgumentException("mtls needs a client certificate and key file");
    }
    if (protocol == Protocol.SCRAM && (username == null || username.isBlank() || passwordFile == null)) {
      throw new IllegalArgumentException("scram needs a username and a password file");
    }
  }

  /**
   * The link the configuration asks for, checked now: every file named must be readable and
   * hold what its key says (PEM certificates, a PEM key), so a mistake stops the start (exit 78)
   * naming the key, not the first send an hour later.
   */
  public static LinkSecurity from(AgentConfig cfg) throws ConfigException {
    Protocol p;
    try {
      p = Protocol.valueOf(cfg.string("kafka.security").toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("kafka.security: must be plaintext, tls, mtls or scram");
    }
    if (p == Protocol.PLAINTEXT) {
      refuseWithPlaintext(cfg, "kafka.tls.cert_file", "kafka.tls.key_file", "kafka.sasl.username",
          "kafka.sasl.password_file");
      return PLAINTEXT;
    }
    if (cfg.kafkaClient().containsKey("security.protocol")) {
      throw new ConfigException("kafka.client.security.protocol: set kafka.security instead, not both");
    }
    Path ca = optionalFile(cfg, "kafka.tls.ca_file", "-----BEGIN CERTIFICATE-----");
    Path cert = null;
    Path key = null;
    Path keyPassword = null;
    if (p == Protocol.MTLS) {
      cert = requiredFile(cfg, "kafka.tls.cert_file", "-----BEGIN CERTIFICATE-----", "kafka.security: mtls");
      key = requiredFile(cfg, "kafka.tls.key_file", "PRIVATE KEY-----", "kafka.security: mtls");
      keyPassword = optionalFile(cfg, "kafka.tls.key_password_file", null);
      if (keyPassword == null && read("kafka.tls.key_file", key).contains("ENCRYPTED PRIVATE KEY")) {
        throw new ConfigException("kafka.tls.key_file: " + key + " is encrypted: give its password in "
            + "kafka.tls.key_password_file");
      }
    }
    String user = null;
    Path password = null;
    if (p == Protocol.SCRAM) {
      user = cfg.string("kafka.sasl.username");
      if (user.isBlank()) {
        throw new ConfigException("kafka.sasl.username: must be set for kafka.security: scram");
      }
      password = requiredFile(cfg, "kafka.sasl.password_file", null, "kafka.security: scram");
    }
    return new LinkSecurity(p, ca, cert, key, keyPassword, cfg.bool("kafka.tls.verify_hostname"),
        cfg.string("kafka.sasl.mechanism").toUpperCase(Locale.ROOT), user, password);
  }

  /**
   * Kafka client properties for this link, secrets read from their files now.
   *
   * @throws IllegalArgumentException naming the file that can no longer be read
   */
  public Map<String, String> clientProperties() {
    Map<String, String> p = new LinkedHashMap<>();
    if (protocol == Protocol.PLAINTEXT) {
      return p;
    }
    p.put("security.protocol", protocol == Protocol.SCRAM ? "SASL_SSL" : "SSL");
    if (caFile != null) {
      p.put("ssl.truststore.type", "PEM");
      p.put("ssl.truststore.location", caFile.toString());
    }
    p.put("ssl.endpoint.identification.algorithm", verifyHostname ? "https" : "");
    if (protocol == Protocol.MTLS) {
      p.put("ssl.keystore.type", "PEM");
      p.put("ssl.keystore.certificate.chain", uncheckedRead("kafka.tls.cert_file", certFile));
      p.put("ssl.keystore.key", uncheckedRead("kafka.tls.key_file", keyFile));
      if (keyPasswordFile != null) {
        p.put("ssl.key.password", uncheckedRead("kafka.tls.key_password_file", keyPasswordFile));
      }
    }
    if (protocol == Protocol.SCRAM) {
      p.put("sasl.mechanism", saslMechanism);
      p.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
          + jaasQuoted(username) + "\" password=\"" + jaasQuoted(uncheckedRead("kafka.sasl.password_file", passwordFile))
          + "\";");
    }
    return p;
  }

  /** What the link is, with no secret in it: for logs, health and validate-config. */
  public String describe() {
    return switch (protocol) {
      case PLAINTEXT -> "plaintext";
      case TLS -> "tls (ca " + (caFile == null ? "JVM default" : caFile) + ")";
      case MTLS -> "mtls (ca " + (caFile == null ? "JVM default" : caFile) + ", client certificate " + certFile + ")";
      case SCRAM -> "scram " + saslMechanism + " over tls (user " + username + ")";
    };
  }

  @Override
  public String toString() {
    return "LinkSecurity[" + describe() + "]";
  }

  private static void refuseWithPlaintext(AgentConfig cfg, String... keys) throws ConfigException {
    for (String k : keys) {
      if (!cfg.string(k).isBlank()) {
        throw new ConfigException(k + ": set, but kafka.security is plaintext: set kafka.security to "
            + (k.contains("sasl") ? "scram" : "mtls") + " or remove it");
      }
    }
  }

  private static Path optionalFile(AgentConfig cfg, String key, String mustContain) throws ConfigException {
    if (cfg.string(key).isBlank()) {
      return null;
    }
    return checked(cfg, key, mustContain);
  }

  private static Path requiredFile(AgentConfig cfg, String key, String mustContain, String why) throws ConfigException {
    if (cfg.string(key).isBlank()) {
      throw new ConfigException(key + ": must be set for " + why);
    }
    return checked(cfg, key, mustContain);
  }

  private static Path checked(AgentConfig cfg, String key, String mustContain) throws ConfigException {
    Path f = cfg.path(key);
    String content = read(key, f);
    if (content.isBlank()) {
      throw new ConfigException(key + ": " + f + " is empty");
    }
    if (mustContain != null && !content.contains(mustContain)) {
      throw new ConfigException(key + ": " + f + " is not a PEM file holding '" + mustContain.replace("-", "").strip()
          + "'");
    }
    return f;
  }

  private static String read(String key, Path f) throws ConfigException {
    try {
      return Files.readString(f).strip();
    } catch (java.nio.file.NoSuchFileException e) {
      throw new ConfigException(key + ": " + f + " does not exist");
    } catch (IOException e) {
      throw new ConfigException(key + ": cannot read " + f + ": " + e.getMessage());
    }
  }

  private static String uncheckedRead(String key, Path f) {
    try {
      return read(key, f);
    } catch (ConfigException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static String jaasQuoted(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
