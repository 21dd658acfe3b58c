package dev.edgeagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeagent.demo.EmbeddedKafkaBroker;
import dev.edgeagent.publish.KafkaSinkConfig;
import dev.edgeagent.publish.KafkaTopics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The broker's own lifecycle: acknowledged data survives a crash and a restart on the same ports. */
class EmbeddedKafkaBrokerIT {

  @Test
  void acknowledgedRecordsSurviveAKillAndRestartAndCloseRemovesTheData() throws Exception {
    Path dataDir;
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
      dataDir = broker.dataDir();
      String bootstrap = broker.bootstrapServers();
      assertThat(bootstrap).startsWith("127.0.0.1:");
      KafkaSinkConfig cfg = KafkaSinkConfig.defaults(bootstrap, "lifecycle", "van-it");
      assertThat(KafkaTopics.ensure(cfg)).isTrue();

      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      p.put(ProducerConfig.ACKS_CONFIG, "all");
      try (KafkaProducer<String, byte[]> producer =
               new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
        for (int i = 0; i < 5; i++) {
          producer.send(new ProducerRecord<>("lifecycle", "k", ("m" + i).getBytes(StandardCharsets.UTF_8))).get();
        }
      }

      broker.kill();
      assertThat(broker.isRunning()).isFalse();
      broker.restart();
      assertThat(broker.isRunning()).isTrue();
      assertThat(broker.bootstrapServers()).as("same ports after restart").isEqualTo(bootstrap);

      assertThat(TopicReader.readAll(bootstrap, "lifecycle"))
          .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
          .containsExactly("m0", "m1", "m2", "m3", "m4");
      assertThat(KafkaTopics.ensure(cfg)).as("the topic survived too").isFalse();
    }
    assertThat(Files.exists(dataDir)).as("close removes the data dir").isFalse();
  }
}
