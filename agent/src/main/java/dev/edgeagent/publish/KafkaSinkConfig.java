package dev.edgeagent.publish;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Everything the Kafka sink needs, checked when built so a bad value fails at start-up naming
 * its field instead of at the first send.
 *
 * @param bootstrapServers host:port[,host:port...]
 * @param topic the topic frames go to (created if missing, see {@link KafkaTopics})
 * @param vehicleId written into every record and its record id
 * @param compressionType none, gzip, snappy, lz4 or zstd (JPEG barely compresses: none or lz4)
 * @param maxRequestSizeBytes producer max.request.size; a frame that does not fit is re-encoded
 *     smaller, down to {@code minJpegQuality}, then refused (counted)
 * @param deliveryTimeoutMs how long a record may take to be acknowledged, retries included
 * @param requestTimeoutMs how long one produce request may wait for the broker
 * @param lingerMs how long the producer waits to fill a batch
 * @param jpegQuality JPEG quality frames are first encoded at
 * @param minJpegQuality the lowest quality an oversize frame is re-encoded at
 * @param topicPartitions partitions when the topic has to be created (replication is 1)
 * @param clientProperties passed through to the producer (TLS, SASL). Secrets are given only as
 *     files: {@code <key>.file = /path} puts the file's trimmed content into {@code <key>};
 *     a literal password, JAAS config or PEM key is refused
 * @param security TLS, mutual TLS or SCRAM for the link ({@link LinkSecurity#PLAINTEXT}: none)
 * @param signingKey PEM Ed25519 private key every record is signed with ({@link RecordSigner}),
 *     or null for unsigned records
 */
public record KafkaSinkConfig(String bootstrapServers, String topic, String vehicleId,
    String compressionType, int maxRequestSizeBytes, int deliveryTimeoutMs, int requestTimeoutMs,
    int lingerMs, int jpegQuality, int minJpegQuality, int topicPartitions,
    Map<String, String> clientProperties, LinkSecurity security, java.nio.file.Path signingKey) {

  private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");
  private static final Set<String> COMPRESSION = Set.of("none", "gzip", "snappy", "lz4", "zstd");
  /** Set by the sink for exactly-once-per-session, ordered delivery; overriding them breaks that. */
  static final Set<String> RESERVED = Set.of("bootstrap.servers", "key.serializer", "value.serializer",
      "enable.idempotence", "acks", "max.in.flight.requests.per.connection", "compression.type",
      "max.request.size", "delivery.timeout.ms", "request.timeout.ms", "linger.ms", "transactional.id");
  /** Values that are secrets; they may only arrive through a {@code .file} key. */
  static final Set<String> SECRETS = Set.of("sasl.jaas.config", "ssl.keystore.key",
      "ssl.keystore.certificate.chain", "ssl.truststore.certificates");

  public KafkaSinkConfig {
    require(bootstrapServers != null && !bootstrapServers.isBlank(), "bootstrapServers", "must not be empty");
    require(topic != null && TOPIC.matcher(topic).matches() && !topic.equals(".") && !topic.equals(".."),
        "topic", "must be 1-249 of [A-Za-z0-9._-], got \"" + topic + "\"");
    require(vehicleId != null && !vehicleId.isBlank(), "vehicleId", "must not be empty");
    compressionType = compressionType == null ? "none" : compressionType.toLowerCase(Locale.ROOT);
    require(COMPRESSION.contains(compressionType), "compressionType", "must be one of " + COMPRESSION);
    require(maxRequestSizeBytes >= 16 * 1024, "maxRequestSizeBytes", "must be at least 16384");
    require(requestTimeoutMs > 0, "requestTimeoutMs", "must be positive");
    require(lingerMs >= 0, "lingerMs", "must not be negative");
    // the producer itself refuses to start otherwise; say so in our terms
    require((long) deliveryTimeoutMs >= (long) requestTimeoutMs + lingerMs, "deliveryTimeoutMs",
        "must be at least requestTimeoutMs + lingerMs (" + ((long) requestTimeoutMs + lingerMs) + ")");
    require(jpegQuality >= 1 && jpegQuality <= 100, "jpegQuality", "must be 1..100");
    require(minJpegQuality >= 1 && minJpegQuality <= jpegQuality, "minJpegQuality", "must be 1..jpegQuality");
    require(topicPartitions >= 1, "topicPartitions", "must be at least 1");
    clientProperties = Map.copyOf(Objects.requireNonNullElse(clientProperties, Map.of()));
    security = Objects.requireNonNullElse(security, LinkSecurity.PLAINTEXT);
    for (String key : clientProperties.keySet()) {
      String target = key.endsWith(".file") ? key.substring(0, key.length() - 5) : key;
      require(!RESERVED.contains(target), "clientProperties." + key, "is set by the sink and cannot be overridden");
      require(key.endsWith(".file") || !isSecret(key), "clientProperties." + key,
          "is a secret: give it as " + key + ".file=<path to a file holding it>");
    }
  }

  /** Without link security or signing, as before those existed. */
  public KafkaSinkConfig(String bootstrapServers, String topic, String vehicleId, String compressionType,
      int maxRequestSizeBytes, int deliveryTimeoutMs, int requestTimeoutMs, int lingerMs, int jpegQuality,
      int minJpegQuality, int topicPartitions, Map<String, String> clientProperties) {
    this(bootstrapServers, topic, vehicleId, compressionType, maxRequestSizeBytes, deliveryTimeoutMs, requestTimeoutMs,
        lingerMs, jpegQuality, minJpegQuality, topicPartitions, clientProperties, LinkSecurity.PLAINTEXT, null);
  }

  /** Sensible values for one vehicle: 1 MB records, 2 min delivery, quality 85 down to 40. */
  public static KafkaSinkConfig defaults(String bootstrapServers, String topic, String vehicleId) {
    return new KafkaSinkConfig(bootstrapServers, topic, vehicleId, "none", 1_048_576, 120_000, 30_000, 5,
        85, 40, 1, Map.of());
  }

  public KafkaSinkConfig withMaxRequestSize(int bytes) {
    return new KafkaSinkConfig(bootstrapServers, topic, vehicleId, compressionType, bytes, deliveryTimeoutMs,
        requestTimeoutMs, lingerMs, jpegQuality, minJpegQuality, topicPartitions, clientProperties, security, signingKey);
  }

  public KafkaSinkConfig withQuality(int quality, int minQuality) {
    return new KafkaSinkConfig(bootstrapServers, topic, vehicleId, compressionType, maxRequestSizeBytes,
        deliveryTimeoutMs, requestTimeoutMs, lingerMs, quality, minQuality, topicPartitions, clientProperties, security, signingKey);
  }

  public KafkaSinkConfig withTimeouts(int deliveryMs, int requestMs) {
    return new KafkaSinkConfig(bootstrapServers, topic, vehicleId, compressionType, maxRequestSizeBytes,
        deliveryMs, requestMs, lingerMs, jpegQuality, minJpegQuality, topicPartitions, clientProperties, security, signingKey);
  }

  public KafkaSinkConfig withClientProperties(Map<String, String> props) {
    return new KafkaSinkConfig(bootstrapServers, topic, vehicleId, compressionType, maxRequestSizeBytes,
        deliveryTimeoutMs, requestTimeoutMs, lingerMs, jpegQuality, minJpegQuality, topicPartitions, props, security, signingKey);
  }

  /** The same sink over {@code link}, records signed with {@code key} (null: unsigned). */
  public KafkaSinkConfig withSecurity(LinkSecurity link, java.nio.file.Path key) {
    return new KafkaSinkConfig(bootstrapServers, topic, vehicleId, compressionType, maxRequestSizeBytes,
        deliveryTimeoutMs, requestTimeoutMs, lingerMs, jpegQuality, minJpegQuality, topicPartitions, clientProperties,
        link, key);
  }

  static boolean isSecret(String key) {
    return SECRETS.contains(key) || key.endsWith(".password");
  }

  private static void require(boolean ok, String field, String message) {
    if (!ok) {
      throw new IllegalArgumentException("kafka sink " + field + ": " + message);
    }
  }

  /** Client properties with secret values masked, for logs and summaries. */
  @Override
  public String toString() {
    Map<String, String> shown = new TreeMap<>(clientProperties);
    return "KafkaSinkConfig[bootstrap=" + bootstrapServers + ", topic=" + topic + ", vehicle=" + vehicleId
        + ", compression=" + compressionType + ", maxRequestSize=" + maxRequestSizeBytes + ", deliveryTimeoutMs="
        + deliveryTimeoutMs + ", requestTimeoutMs=" + requestTimeoutMs + ", lingerMs=" + lingerMs + ", quality="
        + jpegQuality + ".." + minJpegQuality + ", partitions=" + topicPartitions + ", client=" + shown + ", security="
        + security.describe() + ", signed=" + (signingKey != null) + "]";
  }
}
