package dev.edgeagent.publish;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Producer properties for a {@link KafkaSinkConfig}. Idempotence with acks=all and at most 5
 * requests in flight gives per-partition order without duplicates from the producer's own
 * retries; the key (camera id) keeps one camera on one partition, so one camera stays in order.
 */
final class ProducerSettings {
  private ProducerSettings() {}

  static Properties of(KafkaSinkConfig c) {
    Properties p = new Properties();
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "edgeagent-" + c.vehicleId());
    // send() blocks while the topic's metadata or buffer space is missing, e.g. while a broker
    // restarts; past max.block.ms the frame fails. As long as delivery.timeout.ms, so an outage
    // the producer would ride out for records already sent does not lose the frames behind them:
    // the sink thread waits instead, and the pipeline's bounded queue pushes back on capture
    // (a file slows down, a live camera drops its oldest frames, counted). Bounded all the same.
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Integer.toString(c.deliveryTimeoutMs()));
    for (Map.Entry<String, String> e : c.clientProperties().entrySet()) {
      if (e.getKey().endsWith(".file")) {
        String key = e.getKey().substring(0, e.getKey().length() - 5);
        p.put(key, readSecret(e.getKey(), e.getValue()));
      } else {
        p.put(e.getKey(), e.getValue());
      }
    }
    // read now, at every producer the publisher builds: replaced certificate or password files
    // take effect at its next reconnect
    p.putAll(c.security().clientProperties());
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrapServers());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, c.compressionType());
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(c.maxRequestSizeBytes()));
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.toString(c.deliveryTimeoutMs()));
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(c.requestTimeoutMs()));
    p.put(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(c.lingerMs()));
    return p;
  }

  private static String readSecret(String key, String file) {
    try {
      return Files.readString(Path.of(file)).strip();
    } catch (IOException e) {
      throw new IllegalArgumentException("kafka sink clientProperties." + key + ": cannot read " + file + ": "
          + e.getMessage(), e);
    }
  }
}
