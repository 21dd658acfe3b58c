package dev.edgeagent.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaSinkConfigTest {
  private static final KafkaSinkConfig BASE = KafkaSinkConfig.defaults("127.0.0.1:9092", "frames", "van-1");

  @Test
  void producerIsIdempotentAndOrdered() {
    Properties p = ProducerSettings.of(BASE);
    assertThat(p).containsEntry("enable.idempotence", "true").containsEntry("acks", "all")
        .containsEntry("max.in.flight.requests.per.connection", "5")
        .containsEntry("max.request.size", "1048576").containsEntry("bootstrap.servers", "127.0.0.1:9092")
        .containsEntry("max.block.ms", "120000");
  }

  @Test
  void badValuesAreRejectedNamingTheField() {
    assertThatThrownBy(() -> KafkaSinkConfig.defaults("", "frames", "v")).hasMessageContaining("bootstrapServers");
    assertThatThrownBy(() -> KafkaSinkConfig.defaults("h:1", "bad topic", "v")).hasMessageContaining("topic");
    assertThatThrownBy(() -> KafkaSinkConfig.defaults("h:1", "frames", " ")).hasMessageContaining("vehicleId");
    assertThatThrownBy(() -> BASE.withQuality(50, 60)).hasMessageContaining("minJpegQuality");
    assertThatThrownBy(() -> BASE.withMaxRequestSize(1000)).hasMessageContaining("maxRequestSizeBytes");
    assertThatThrownBy(() -> BASE.withTimeouts(1000, 30_000)).hasMessageContaining("deliveryTimeoutMs");
  }

  @Test
  void safetySettingsCannotBeOverridden() {
    assertThatThrownBy(() -> BASE.withClientProperties(Map.of("acks", "1")))
        .hasMessageContaining("clientProperties.acks").hasMessageContaining("cannot be overridden");
    assertThatThrownBy(() -> BASE.withClientProperties(Map.of("enable.idempotence", "false")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void secretsOnlyArriveThroughFiles(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> BASE.withClientProperties(Map.of("ssl.truststore.password", "hunter2")))
        .hasMessageContaining("ssl.truststore.password.file");
    assertThatThrownBy(() -> BASE.withClientProperties(Map.of("sasl.jaas.config", "x required;")))
        .hasMessageContaining("is a secret");

    Path secret = Files.writeString(dir.resolve("ts-pass"), "s3cret\n");
    KafkaSinkConfig tls = BASE.withClientProperties(Map.of("security.protocol", "SSL",
        "ssl.truststore.location", "/etc/edge/ca.p12", "ssl.truststore.password.file", secret.toString()));
    Properties p = ProducerSettings.of(tls);
    assertThat(p).containsEntry("ssl.truststore.password", "s3cret")
        .containsEntry("ssl.truststore.location", "/etc/edge/ca.p12").containsEntry("security.protocol", "SSL")
        .doesNotContainKey("ssl.truststore.password.file");
    // the secret's value never appears in what gets logged
    assertThat(tls.toString()).doesNotContain("s3cret");
  }

  @Test
  void anUnreadableSecretFileNamesTheKey() {
    KafkaSinkConfig c = BASE.withClientProperties(Map.of("ssl.key.password.file", "/nonexistent/key-pass"));
    assertThatThrownBy(() -> ProducerSettings.of(c)).hasMessageContaining("ssl.key.password.file")
        .hasMessageContaining("/nonexistent/key-pass");
  }
}
