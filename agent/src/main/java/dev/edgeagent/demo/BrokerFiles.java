package dev.edgeagent.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The files an {@link EmbeddedKafkaBroker} runs from: {@code server.properties} for a
 * single-node KRaft broker (combined broker and controller) on loopback, and a logback file
 * that sends the child's logs to {@code broker.log} at WARN, so the agent's stderr only gets
 * the broker lines that matter.
 */
final class BrokerFiles {
  /** In an extra property's value, replaced by the PLAINTEXT listener's port. */
  static final String BROKER_PORT = "{broker_port}";
  /** In an extra property's value, replaced by the controller's port. */
  static final String CONTROLLER_PORT = "{controller_port}";

  private BrokerFiles() {}

  /** A port free right now on 127.0.0.1; the broker binds it moments later (a race we accept). */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  /** The properties FACTS.md found to work: replication factors 1, no rebalance delay. */
  static Map<String, String> serverProperties(int brokerPort, int controllerPort, Path logDir,
      int partitions, int maxMessageBytes, Map<String, String> extra) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", logDir.toString());
    p.put("num.partitions", Integer.toString(partitions));
    p.put("default.replication.factor", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("message.max.bytes", Integer.toString(maxMessageBytes));
    // fewer threads than the defaults: this broker shares two cores with the agent
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "2");
    p.put("background.threads", "2");
    // extra values may name the broker's own ports, e.g. to add TLS listeners beside them
    extra.forEach((k, v) -> p.put(k, v.replace(BROKER_PORT, Integer.toString(brokerPort))
        .replace(CONTROLLER_PORT, Integer.toString(controllerPort))));
    return p;
  }

  static void writeProperties(Path file, Map<String, String> props) throws IOException {
    StringBuilder sb = new StringBuilder("# written by EmbeddedKafkaBroker\n");
    props.forEach((k, v) -> sb.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
    Files.writeString(file, sb.toString());
  }

  static void writeLogback(Path file, Path log) throws IOException {
    Files.writeString(file, """
        <configuration>
          <appender name="FILE" class="ch.qos.logback.core.FileAppender">
            <file>%s</file>
            <encoder><pattern>%%d{HH:mm:ss.SSS} %%level %%logger{0} %%msg%%n</pattern></encoder>
          </appender>
          <root level="WARN"><appender-ref ref="FILE"/></root>
        </configuration>
        """.formatted(log));
  }

  /** The last {@code lines} lines of a log, for an error message; empty when it is unreadable. */
  static String tail(Path file, int lines) {
    try {
      if (!Files.exists(file)) {
        return "";
      }
      var all = Files.readAllLines(file);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "";
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
