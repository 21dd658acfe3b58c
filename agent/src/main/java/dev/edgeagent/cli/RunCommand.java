package dev.edgeagent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeagent.capture.Sources;
import dev.edgeagent.config.AgentConfig;
import dev.edgeagent.config.CameraConfig;
import dev.edgeagent.health.AgentMetrics;
import dev.edgeagent.pipeline.Agent;
import dev.edgeagent.pipeline.CameraPipeline;
import dev.edgeagent.pipeline.CameraVerticle;
import dev.edgeagent.publish.KafkaPublishing;
import dev.edgeagent.service.ServiceWatchdog;
import dev.edgeagent.service.SystemdNotifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/** The long-running agent: every configured camera through the pipeline to the sink. */
@Command(name = "run", mixinStandardHelpOptions = true,
    header = "Run the agent: capture, anonymize, spool and publish to Kafka.",
    description = {"Runs the agent: captures every configured camera, anonymizes, spools and publishes only "
        + "anonymized frames to Kafka (or writes them to a folder). With kafka.bootstrap: embedded (the "
        + "demo profile) it starts a single-node broker itself.",
        "",
        "Finite inputs end the run once every spooled record is acknowledged (exit 0) or --drain-timeout "
        + "passes (exit 75, spool kept for the next start). SIGTERM stops capture, finishes frames in "
        + "flight, syncs the spool and exits 0. SIGHUP reads the config file again and redeploys only the "
        + "cameras and stages whose settings changed; a file that does not validate is refused and the "
        + "running config stays.",
        "",
        "A live camera that fails is retried with back-off (pipeline.camera_retry_*) while the others run. "
        + "The run fails only when every camera failed: exit 66 when no input exists, 65 otherwise. The last "
        + "line on stdout is a JSON summary, with each camera's state and attempts."})
public final class RunCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  @Option(names = "--input", paramLabel = "<file|dir|device|rtsp-url>",
      description = "One camera instead of the configured ones.")
  String input;

  @Option(names = "--camera-id", defaultValue = "cam0", description = "Camera id for --input (default: ${DEFAULT-VALUE}).")
  String cameraId;

  @Option(names = "--sequence",
      description = "With --input <dir>: its images are frames of one sequence (redactions held across them).")
  boolean sequence;

  @Option(names = "--max-frames", paramLabel = "N", description = "Stop each camera after N frames.")
  Long maxFrames;

  @Option(names = "--bootstrap", paramLabel = "<host:port,...>",
      description = "An external Kafka cluster (no embedded broker then).")
  String bootstrap;

  @Option(names = "--topic", paramLabel = "<topic>", description = "Topic of the frame records.")
  String topic;

  @Option(names = "--spool-dir", paramLabel = "<dir>", description = "Folder of the disk spool.")
  Path spoolDir;

  @Option(names = "--drain-timeout", paramLabel = "<seconds>",
      description = "With finite inputs, how long to wait for every spooled record to be acknowledged.")
  Integer drainTimeout;

  @Option(names = "--output-dir", paramLabel = "<dir>", description = "Folder for the directory sink.")
  Path outputDir;

  @Mixin
  CommonOptions common;

  @Override
  public Integer call() throws Exception {
    if (common.config == null && input == null) {
      throw new CliFailure(ExitCodes.USAGE, "give --config <yaml> (e.g. edge-config/demo.yaml) or --input");
    }
    AgentConfig cfg = loadConfig();
    Agent.checkConfig(cfg); // Agent.start checks it too; here it fails before anything is loaded
    AgentMetrics metrics = new AgentMetrics();
    long t0 = System.nanoTime();
    Agent agent = Agent.start(cfg, metrics);
    // models loaded, spool open, cameras started: what systemd's Type=notify waits for
    SystemdNotifier systemd = SystemdNotifier.fromEnvironment();
    ServiceWatchdog watchdog = new ServiceWatchdog(systemd, agent.progress(),
        Duration.ofSeconds(cfg.integer("pipeline.stall_timeout_s"))).start(System.getenv());
    systemd.ready("running " + cfg.cameras().size() + " camera(s)");
    AtomicBoolean signalled = new AtomicBoolean();
    AtomicBoolean draining = new AtomicBoolean();
    Thread mainThread = Thread.currentThread();
    // SIGTERM/SIGINT: stop capture and let the main thread finish normally (frames in flight
    // reach the spool, the spool is synced) and exit 0. The hook covers any other shutdown.
    for (String sig : List.of("TERM", "INT")) {
      Signal.handle(new Signal(sig), s -> {
        if (signalled.compareAndSet(false, true)) {
          systemd.stopping();
          new Thread(agent::stop, "stop-on-SIG" + sig).start();
          if (draining.get()) {
            mainThread.interrupt(); // ends the wait for the broker; the records stay spooled
          }
        }
      });
    }
    // SIGHUP: read the config file again and redeploy what changed (see Agent.reload)
    Signal.handle(new Signal("HUP"), s -> new Thread(() -> {
      if (!signalled.get()) {
        LOG.info("event=reload_requested config={}", common.config == null ? "(none)" : common.config);
        agent.reload(this::loadConfig);
      }
    }, "reload-on-SIGHUP").start());
    Thread hook = new Thread(() -> {
      agent.stop();
      agent.close();
    }, "shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      List<CameraVerticle.Outcome> outcomes = agent.awaitCameras();
      List<CameraPipeline.Result> results = outcomes.stream().map(CameraVerticle.Outcome::result).toList();
      boolean finite = cfg.cameras().stream().noneMatch(c -> Sources.isLive(c.input()));
      // A signal asks for a prompt stop: report what is left, do not wait for the broker.
      boolean drained = finite ? drainUnlessSignalled(agent, cfg, signalled, draining)
          : !signalled.get() || agent.drain(Duration.ZERO);
      ObjectNode summary = summary(outcomes, metrics, (System.nanoTime() - t0) / 1e9, agent);
      summary.put("drained", drained);
      summary.put("stopped_by_signal", signalled.get());
      System.out.println(new ObjectMapper().writeValueAsString(summary));
      if (outcomes.stream().allMatch(CameraVerticle.Outcome::failed)) {
        return everyCameraFailed(outcomes);
      }
      if (!drained && !signalled.get()) {
        System.err.println("edge-agent: " + agent.publishing().spool().pending() + " record(s) not acknowledged by "
            + agent.publishing().bootstrapServers() + " within " + cfg.integer("pipeline.drain_timeout_s")
            + " s; they stay in the spool and are sent at the next start");
        return ExitCodes.TEMP_FAIL;
      }
      return ExitCodes.OK;
    } finally {
      watchdog.close();
      systemd.stopping();
      agent.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is already running: the JVM is stopping, which is what it asked for
      }
    }
  }

  /**
   * Waits up to pipeline.drain_timeout_s for the broker to acknowledge everything, unless a
   * signal came or comes: then it returns at once. The handler sets {@code signalled} before it
   * reads {@code draining}, and this sets {@code draining} before it reads {@code signalled}, so
   * a signal at any moment either skips the wait or interrupts it.
   */
  private static boolean drainUnlessSignalled(Agent agent, AgentConfig cfg, AtomicBoolean signalled,
      AtomicBoolean draining) {
    draining.set(true);
    try {
      if (signalled.get()) {
        return agent.drain(Duration.ZERO);
      }
      LOG.info("event=drain_started pending={} timeout_s={}", agent.publishing() == null ? 0
          : agent.publishing().spool().pending(), cfg.integer("pipeline.drain_timeout_s"));
      return agent.drain(Duration.ofSeconds(cfg.integer("pipeline.drain_timeout_s")));
    } catch (InterruptedException e) {
      LOG.info("event=drain_cut_by_signal pending={}", agent.publishing() == null ? 0
          : agent.publishing().spool().pending());
      return false;
    } finally {
      draining.set(false);
      Thread.interrupted(); // a late interrupt must not disturb closing
    }
  }

  /**
   * The exit rule for cameras: a run fails only when every camera failed (could not be opened, its
   * file broke, or a live camera was still being retried at the end); one working camera makes
   * it a success, and the failed ones are in the summary, the log, health and metrics. Exit 66
   * when no camera's input exists, 65 otherwise.
   */
  private static int everyCameraFailed(List<CameraVerticle.Outcome> outcomes) {
    StringBuilder why = new StringBuilder();
    boolean allMissing = true;
    for (CameraVerticle.Outcome o : outcomes) {
      why.append("\n  ").append(o.result().camera()).append(": ")
          .append(o.failure() == null ? "stopped before it delivered" : o.failure().getMessage())
          .append(" (").append(o.attempts()).append(o.attempts() == 1 ? " attempt)" : " attempts)");
      allMissing &= o.failure() != null && o.failure().missing();
    }
    System.err.println("edge-agent: every camera failed; fix the inputs named below (a live camera is retried"
        + " with back-off, pipeline.camera_retry_*):" + why);
    return allMissing ? ExitCodes.NO_INPUT : ExitCodes.DATA_ERR;
  }

  /** The config file with this command line's overrides, as at start; SIGHUP reads it again. */
  private AgentConfig loadConfig() throws dev.edgeagent.config.ConfigException, java.io.IOException {
    try {
      return common.config().with(overrides(),
          input == null ? null : List.of(new CameraConfig(cameraId, input, sequence)));
    } catch (dev.edgeagent.config.ConfigException | java.io.IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new java.io.IOException(e.getMessage(), e);
    }
  }

  private Map<String, Object> overrides() {
    Map<String, Object> o = new HashMap<>(common.overrides());
    if (maxFrames != null) {
      o.put("pipeline.max_frames", maxFrames);
    }
    if (outputDir != null) {
      o.put("sink.directory", outputDir.toAbsolutePath().toString());
      o.put("sink.type", "directory");
    }
    if (bootstrap != null) {
      o.put("kafka.bootstrap", bootstrap);
    }
    if (topic != null) {
      o.put("kafka.topic", topic);
    }
    if (spoolDir != null) {
      o.put("spool.dir", spoolDir.toAbsolutePath().toString());
    }
    if (drainTimeout != null) {
      o.put("pipeline.drain_timeout_s", drainTimeout);
    }
    return o;
  }

  private static ObjectNode summary(List<CameraVerticle.Outcome> outcomes, AgentMetrics m, double secs, Agent agent) {
    List<CameraPipeline.Result> results = outcomes.stream().map(CameraVerticle.Outcome::result).toList();
    ObjectNode s = new ObjectMapper().createObjectNode();
    long frames = results.stream().mapToLong(CameraPipeline.Result::captured).sum();
    s.put("frames", frames);
    s.put("anonymized", results.stream().mapToLong(CameraPipeline.Result::anonymized).sum());
    s.put("dropped", m.totalWithPrefix("dropped."));
    s.put("unreadable", results.stream().mapToLong(CameraPipeline.Result::unreadable).sum());
    s.put("faces", m.total("regions.face"));
    s.put("plates", m.total("regions.plate"));
    s.put("plates_inside_faces", m.total("plates.inside_faces"));
    KafkaPublishing k = agent.publishing();
    if (k != null) {
      s.put("bootstrap", k.bootstrapServers());
      s.put("topic", k.topic());
      s.put("spooled", k.spool().appended());
      s.put("acked", k.stats().ackedCount());
      s.put("pending", k.spool().pending());
      s.put("publish_errors", k.stats().errorCount());
      double[] lat = m.captureToAckMillis();
      if (!Double.isNaN(lat[0])) {
        s.put("capture_to_ack_ms_p50", Math.round(lat[0] * 10) / 10.0);
        s.put("capture_to_ack_ms_p99", Math.round(lat[1] * 10) / 10.0);
      }
      s.put("published_mb", Math.round(m.total("publish.bytes") / 1e4) / 100.0);
    }
    s.put("seconds", Math.round(secs * 1000) / 1000.0);
    s.put("fps", secs > 0 ? Math.round(frames / secs * 100) / 100.0 : 0);
    ArrayNode cams = s.putArray("cameras");
    for (CameraVerticle.Outcome o : outcomes) {
      CameraPipeline.Result r = o.result();
      ObjectNode c = cams.addObject().put("camera", r.camera()).put("frames", r.captured())
          .put("anonymized", r.anonymized()).put("dropped", r.dropped() + r.sinkErrors() + r.liveDropped())
          .put("unreadable", r.unreadable()).put("state", o.failed() ? "failed" : "ended")
          .put("attempts", o.attempts());
      if (o.failure() != null) {
        c.put("error", o.failure().getMessage());
      }
    }
    if (agent.httpPort() > 0) {
      s.put("http_port", agent.httpPort());
    }
    return s;
  }
}
