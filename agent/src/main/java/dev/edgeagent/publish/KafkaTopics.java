package dev.edgeagent.publish;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the frame topic when it is missing, so a fresh broker (demo, tests, a new fleet
 * cluster) works without an operator step. An existing topic is left as it is: its owner may
 * have chosen other partitions or retention on purpose.
 */
public final class KafkaTopics {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaTopics.class);

  private KafkaTopics() {}

  /**
   * Creates {@code cfg.topic()} with {@code cfg.topicPartitions()} partitions, replication 1 and
   * max.message.bytes matching the sink's max.request.size.
   *
   * @return true when this call created it, false when it existed
   * @throws TimeoutException when the broker did not answer within request.timeout.ms
   * @throws ExecutionException when the broker refused (authorization, invalid config)
   */
  public static boolean ensure(KafkaSinkConfig cfg)
      throws InterruptedException, ExecutionException, TimeoutException {
    Properties p = new Properties();
    ProducerSettings.of(cfg).forEach((k, v) -> {
      // the security and connection settings apply to an admin client too; producer-only ones do not
      if (AdminClientConfig.configNames().contains((String) k)) {
        p.put(k, v);
      }
    });
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(cfg.requestTimeoutMs()));
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(cfg.requestTimeoutMs()));
    try (Admin admin = Admin.create(p)) {
      if (admin.listTopics().names().get(cfg.requestTimeoutMs(), TimeUnit.MILLISECONDS).contains(cfg.topic())) {
        LOG.info("event=topic_exists topic={}", cfg.topic());
        return false;
      }
      NewTopic topic = new NewTopic(cfg.topic(), Optional.of(cfg.topicPartitions()), Optional.of((short) 1))
          .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(cfg.maxRequestSizeBytes())));
      try {
        admin.createTopics(List.of(topic)).all().get(cfg.requestTimeoutMs(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof TopicExistsException) {
          // another agent created it between our list and create: the outcome we wanted
          return false;
        }
        throw e;
      }
      LOG.info("event=topic_created topic={} partitions={} replication=1", cfg.topic(), cfg.topicPartitions());
      return true;
    }
  }
}
