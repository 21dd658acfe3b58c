package dev.edgeagent.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node KRaft Kafka broker in a child JVM, for demo mode and tests: no Docker, no
 * install, just the {@code kafka_2.13} jar on the agent's own classpath. A child process rather
 * than in-process, so that {@link #kill()} is a real crash (the agent's producer sees the
 * connection drop) and the broker's Scala dependencies never touch the agent's heap.
 *
 * <p>Listens on random free loopback ports; data lives in a temp dir that survives
 * {@link #stop()}/{@link #kill()} and {@link #restart()} (same ports, same data) and is removed
 * by {@link #close()}. Not thread-safe: one owner drives its lifecycle.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

  /** How to run it; {@link #defaults()} suits tests and the demo. */
  public record Options(int partitions, int maxMessageBytes, String heap, Duration startTimeout,
      Map<String, String> extraProperties, List<String> jvmOptions) {
    public static Options defaults() {
      return new Options(1, 1_048_588, "512m", Duration.ofSeconds(90), Map.of(), List.of());
    }

    public Options withMaxMessageBytes(int bytes) {
      return new Options(partitions, bytes, heap, startTimeout, extraProperties, jvmOptions);
    }

    /**
     * More server properties (they override the defaults); a value may say {@code {broker_port}}
     * or {@code {controller_port}} for the ports this broker picks, e.g. to list TLS listeners
     * beside its PLAINTEXT one.
     */
    public Options withProperties(Map<String, String> more) {
      Map<String, String> all = new java.util.LinkedHashMap<>(extraProperties);
      all.putAll(more);
      return new Options(partitions, maxMessageBytes, heap, startTimeout, all, jvmOptions);
    }

    /** More options for the broker's JVM, e.g. {@code -Dcom.sun.net.ssl.checkRevocation=true}. */
    public Options withJvmOptions(String... more) {
      List<String> all = new ArrayList<>(jvmOptions);
      all.addAll(List.of(more));
      return new Options(partitions, maxMessageBytes, heap, startTimeout, extraProperties, List.copyOf(all));
    }

    public Options withPartitions(int n) {
      return new Options(n, maxMessageBytes, heap, startTimeout, extraProperties, jvmOptions);
    }
  }

  private final Options options;
  private final Path dir;
  private final int brokerPort;
  private final int controllerPort;
  private final String classpath;
  private final Thread reaper = new Thread(this::destroyNow, "embedded-kafka-reaper");
  private Process process;

  private EmbeddedKafkaBroker(Options options, String classpath) throws IOException {
    this.options = options;
    this.classpath = classpath;
    this.dir = Files.createTempDirectory("edgeagent-kafka-");
    this.brokerPort = BrokerFiles.freePort();
    int c = BrokerFiles.freePort();
    this.controllerPort = c == brokerPort ? BrokerFiles.freePort() : c;
  }

  /** Formats storage, starts the broker and waits until it answers; see {@link Options#defaults()}. */
  public static EmbeddedKafkaBroker start() throws IOException, InterruptedException, TimeoutException {
    return start(Options.defaults());
  }

  public static EmbeddedKafkaBroker start(Options options)
      throws IOException, InterruptedException, TimeoutException {
    EmbeddedKafkaBroker b = new EmbeddedKafkaBroker(options, System.getProperty("java.class.path"));
    try {
      b.format();
      b.launch();
      Runtime.getRuntime().addShutdownHook(b.reaper);
      return b;
    } catch (IOException | InterruptedException | TimeoutException | RuntimeException e) {
      b.destroyNow();
      BrokerFiles.deleteTree(b.dir);
      throw e;
    }
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + brokerPort;
  }

  public Path dataDir() {
    return dir;
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Graceful stop (SIGTERM): the broker flushes and closes its logs; waits up to 30 s. */
  public void stop() throws InterruptedException {
    if (!isRunning()) {
      return;
    }
    long t0 = System.nanoTime();
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      LOG.warn("event=broker_stop_slow action=kill");
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    LOG.info("event=broker_stopped exit={} millis={}", process.exitValue(), (System.nanoTime() - t0) / 1_000_000);
  }

  /** A crash (SIGKILL): nothing is flushed, connections drop. For fault tests. */
  public void kill() throws InterruptedException {
    if (!isRunning()) {
      return;
    }
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    LOG.info("event=broker_killed bootstrap={}", bootstrapServers());
  }

  /** Stops it if running, then starts it again on the same ports with the same data. */
  public void restart() throws IOException, InterruptedException, TimeoutException {
    stop();
    launch();
  }

  private void format() throws IOException, InterruptedException {
    Path props = dir.resolve("server.properties");
    BrokerFiles.writeProperties(props, BrokerFiles.serverProperties(brokerPort, controllerPort,
        dir.resolve("data"), options.partitions(), options.maxMessageBytes(), options.extraProperties()));
    BrokerFiles.writeLogback(dir.resolve("logback.xml"), dir.resolve("broker.log"));
    String clusterId = Uuid.randomUuid().toString();
    Process p = new ProcessBuilder(command("kafka.tools.StorageTool", "format", "-t", clusterId, "-c", props.toString()))
        .redirectErrorStream(true).redirectOutput(dir.resolve("format.out").toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("kafka storage format did not finish in 60 s");
    }
    if (p.exitValue() != 0) {
      throw new IOException("kafka storage format failed (exit " + p.exitValue() + "): "
          + BrokerFiles.tail(dir.resolve("format.out"), 20));
    }
    LOG.info("event=broker_formatted cluster_id={} dir={}", clusterId, dir);
  }

  private void launch() throws IOException, InterruptedException, TimeoutException {
    long t0 = System.nanoTime();
    ProcessBuilder pb = new ProcessBuilder(command("kafka.Kafka", dir.resolve("server.properties").toString()))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("broker.out").toFile()));
    process = pb.start();
    LOG.info("event=broker_starting pid={} bootstrap={} controller_port={} dir={}", process.pid(),
        bootstrapServers(), controllerPort, dir);
    awaitReady(t0 + options.startTimeout().toNanos());
    LOG.info("event=broker_ready bootstrap={} millis={}", bootstrapServers(), (System.nanoTime() - t0) / 1_000_000);
  }

  /**
   * Ready means a client can describe the cluster and sees this node, not merely an open port.
   * The port is polled first with a bare socket: an admin client logs a warning per refused
   * connection, which would bury the agent's log during the ten seconds a broker takes.
   */
  private void awaitReady(long deadline) throws InterruptedException, TimeoutException, IOException {
    while (!portOpen()) {
      checkAlive();
      checkDeadline(deadline);
      Thread.sleep(200);
    }
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
    p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
    try (Admin admin = Admin.create(p)) {
      while (true) {
        checkAlive();
        try {
          if (!admin.describeCluster(new DescribeClusterOptions().timeoutMs(3000)).nodes()
              .get(4, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (java.util.concurrent.ExecutionException | TimeoutException notYet) {
          // still starting: try again until the deadline
        }
        checkDeadline(deadline);
        Thread.sleep(200);
      }
    }
  }

  private boolean portOpen() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), brokerPort), 1000);
      return true;
    } catch (IOException refused) {
      return false;
    }
  }

  private void checkAlive() throws IOException {
    if (!process.isAlive()) {
      throw new IOException("kafka broker exited with " + process.exitValue() + " while starting: "
          + BrokerFiles.tail(dir.resolve("broker.out"), 20) + BrokerFiles.tail(dir.resolve("broker.log"), 20));
    }
  }

  private void checkDeadline(long deadline) throws TimeoutException {
    if (System.nanoTime() > deadline) {
      destroyNow();
      throw new TimeoutException("kafka broker on " + bootstrapServers() + " not ready after "
          + options.startTimeout().toSeconds() + " s; log: " + BrokerFiles.tail(dir.resolve("broker.log"), 20));
    }
  }

  private List<String> command(String mainClass, String... args) {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx" + options.heap(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Dlogback.configurationFile=" + dir.resolve("logback.xml")));
    cmd.addAll(options.jvmOptions());
    cmd.addAll(List.of("-cp", classpath, mainClass));
    cmd.addAll(List.of(args));
    return cmd;
  }

  private void destroyNow() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
    }
  }

  /** Stops the broker (SIGTERM, then SIGKILL) and deletes its data. */
  @Override
  public void close() throws IOException {
    try {
      stop();
    } catch (InterruptedException e) {
      destroyNow();
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException shuttingDown) {
      // the JVM is exiting and the reaper is running anyway
    }
    BrokerFiles.deleteTree(dir);
    LOG.info("event=broker_closed dir={}", dir);
  }
}
