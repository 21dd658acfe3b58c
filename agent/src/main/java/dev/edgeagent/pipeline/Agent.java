package dev.edgeagent.pipeline;

import dev.edgeagent.capture.CaptureException;
import dev.edgeagent.capture.FrameSource;
import dev.edgeagent.capture.ImageLimits;
import dev.edgeagent.capture.SequencedSource;
import dev.edgeagent.capture.Sources;
import dev.edgeagent.config.AgentConfig;
import dev.edgeagent.config.CameraConfig;
import dev.edgeagent.config.ConfigException;
import dev.edgeagent.detect.ModelLoadException;
import dev.edgeagent.encode.FrameSink;
import dev.edgeagent.encode.JpegEncoder;
import dev.edgeagent.health.AgentMetrics;
import dev.edgeagent.health.HealthServer;
import dev.edgeagent.publish.DirectorySink;
import dev.edgeagent.publish.KafkaPublishing;
import dev.edgeagent.service.CameraProgress;
import dev.edgeagent.track.TrackOptions;
import dev.edgeagent.health.MetricsVertx;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running agent: shared components, one {@link CameraPipeline} per camera on its own
 * thread, the publishing side (spool and Kafka, or a folder), and the health endpoints on a
 * Vert.x event loop (which only serves HTTP).
 */
public final class Agent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

  private final AgentConfig cfg;
  private final Components components;
  private final Vertx vertx;
  private final List<CameraPipeline> pipelines = new ArrayList<>();
  private final List<Future<CameraPipeline.Result>> running = new ArrayList<>();
  private final ExecutorService cameraThreads;
  private final CameraProgress progress = new CameraProgress(java.time.Clock.systemUTC());
  private KafkaPublishing publishing;
  private int httpPort = -1;
  private boolean closed;

  private Agent(AgentConfig cfg, Components components, Vertx vertx) {
    this.cfg = cfg;
    this.components = components;
    this.vertx = vertx;
    AtomicInteger n = new AtomicInteger();
    this.cameraThreads = Executors.newFixedThreadPool(Math.max(1, cfg.cameras().size()),
        r -> new Thread(r, "camera-" + n.incrementAndGet()));
  }

  /**
   * What {@link #start} needs of a config beyond valid keys and ranges: at least one camera, and
   * Kafka settings the sink accepts. {@code validate-config} applies the same check, so a
   * profile it passes is not then refused by {@code run}.
   *
   * @return where frames will go: the Kafka link (no secret in it) or the folder
   */
  public static String checkConfig(AgentConfig cfg) throws ConfigException {
    dev.edgeagent.detect.InferenceConfig.from(cfg);
    if (cfg.cameras().isEmpty()) {
      throw new ConfigException("cameras: none configured; run needs at least one (add a cameras: list of"
          + " {id, input} to the config, or give run --input)");
    }
    if (cfg.string("sink.type").equals("kafka")) {
      return "kafka link " + KafkaPublishing.check(cfg);
    }
    return "directory sink " + cfg.path("sink.directory");
  }

  public static Agent start(AgentConfig cfg, AgentMetrics metrics) throws ModelLoadException,
      CaptureException, ConfigException, IOException, InterruptedException {
    checkConfig(cfg);
    List<String> cameraIds = cfg.cameras().stream().map(CameraConfig::id).toList();
    metrics.declareCameras(cameraIds);
    if (cfg.string("sink.type").equals("kafka")) {
      metrics.declareDropReasons(cameraIds, dev.edgeagent.spool.SpoolException.REASONS);
    }
    Components components = Components.build(cfg, metrics);
    Agent agent = new Agent(cfg, components, MetricsVertx.create(metrics));
    try {
      agent.startHttp(metrics);
      if (cfg.string("sink.type").equals("kafka")) {
        agent.publishing = KafkaPublishing.open(cfg, metrics);
      }
      JpegEncoder jpeg = new JpegEncoder(cfg.integer("encode.jpeg_quality"));
      for (CameraConfig cam : cfg.cameras()) {
        FrameSource source = Sources.open(cam.id(), cam.input(), cfg.integer("pipeline.live_buffer_frames"),
            cam.sequence(), ImageLimits.from(cfg));
        FrameSink sink;
        if (agent.publishing != null) {
          source = new SequencedSource(source, agent.publishing.sequences().first(cam.id()),
              agent.publishing.sequences()::use);
          sink = agent.publishing.sink();
        } else {
          sink = new DirectorySink(cfg.path("sink.directory"), cam.id(), jpeg);
        }
        String id = cam.id();
        agent.pipelines.add(new CameraPipeline(source, components, sink, TrackOptions.from(cfg),
            cfg.integer("pipeline.sink_queue_frames"), cfg.longValue("pipeline.max_frames"),
            (processed, expected) -> agent.progress.frameFinished(id)));
      }
      for (int i = 0; i < agent.pipelines.size(); i++) {
        agent.running.add(agent.cameraThreads.submit(agent.watched(cfg.cameras().get(i).id(), agent.pipelines.get(i))));
      }
      LOG.info("event=agent_started cameras={} sink={} http_port={}", cfg.cameras().size(),
          cfg.string("sink.type"), agent.httpPort);
      return agent;
    } catch (CaptureException | ConfigException | IOException | RuntimeException e) {
      agent.close();
      throw e;
    }
  }

  /** A camera's run, seen by the progress check from its start until its input ends. */
  private java.util.concurrent.Callable<CameraPipeline.Result> watched(String camera, CameraPipeline p) {
    progress.started(camera);
    return () -> {
      try {
        return p.run();
      } finally {
        progress.ended(camera);
      }
    };
  }

  /** When each camera last finished a frame: what the systemd watchdog is fed on. */
  public CameraProgress progress() {
    return progress;
  }

  private void startHttp(AgentMetrics metrics) throws InterruptedException, IOException, ConfigException {
    if (!cfg.bool("http.enabled")) {
      return;
    }
    HealthServer server = new HealthServer(vertx, metrics, this::readiness);
    try {
      httpPort = server.start(cfg.string("http.host"), cfg.integer("http.port"))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      String where = cfg.string("http.host") + ":" + cfg.integer("http.port");
      // the operator's settings, not the agent, are at fault here: say which one (exit 78)
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof java.net.BindException) {
          throw new ConfigException("http.port: cannot serve health endpoints on " + where + ": " + t.getMessage()
              + " (another process holds the port, or the address is not this machine's); choose another http.port"
              + " or http.host, or stop what holds it");
        }
        if (t instanceof java.net.UnknownHostException || String.valueOf(t.getMessage()).contains("NXDOMAIN")
            || t instanceof java.nio.channels.UnresolvedAddressException) {
          throw new ConfigException("http.host: '" + cfg.string("http.host") + "' does not resolve; give an address"
              + " such as 127.0.0.1");
        }
      }
      throw new IOException("cannot serve health endpoints on " + where + ": " + e.getCause(), e);
    }
  }

  /** Ready while a camera runs; a broker that is not reachable is "DEGRADED", not "not ready". */
  private HealthServer.Readiness readiness() {
    long alive = running.stream().filter(f -> !f.isDone()).count();
    JsonObject d = new JsonObject().put("cameras_running", alive).put("cameras", pipelines.size())
        .put("models", components.models().size())
        .put("model_providers", new JsonObject(new java.util.LinkedHashMap<>(components.providers())));
    boolean degraded = false;
    if (publishing != null) {
      boolean full = publishing.spool().full();
      d.put("kafka", publishing.stats().connecting() ? "connecting"
              : publishing.degraded() ? "unreachable_or_refusing" : "ok")
          .put("kafka_link", publishing.security())
          .put("kafka_error", publishing.stats().lastError())
          .put("spool_pending", publishing.spool().pending())
          .put("spool_bytes", publishing.spool().bytes())
          .put("spool_full", full)
          .put("spool_disk_full", publishing.spool().diskFull())
          .put("spool_dropped_oldest", publishing.spool().droppedOldest());
      degraded = publishing.degraded() || full;
    }
    boolean ready = alive > 0;
    return new HealthServer.Readiness(ready, !ready ? "DOWN" : degraded ? "DEGRADED" : "UP", d);
  }

  public int httpPort() {
    return httpPort;
  }

  public KafkaPublishing publishing() {
    return publishing;
  }

  /** Stops capture on every camera and waits for frames in flight to reach the sink. */
  public void stop() {
    pipelines.forEach(CameraPipeline::stop);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(cfg.integer("pipeline.stop_timeout_s"));
    for (Future<CameraPipeline.Result> f : running) {
      try {
        f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
        LOG.warn("event=camera_stop_slow reason=\"{}\"", e.toString());
      }
    }
  }

  public List<CameraPipeline.Result> awaitCameras() throws InterruptedException {
    List<CameraPipeline.Result> out = new ArrayList<>();
    for (Future<CameraPipeline.Result> f : running) {
      try {
        out.add(f.get());
      } catch (ExecutionException e) {
        throw new IllegalStateException("camera pipeline failed", e.getCause());
      } catch (java.util.concurrent.CancellationException e) {
        LOG.warn("event=camera_cancelled");
      }
    }
    return out;
  }

  /** With Kafka: waits until every spooled record is acknowledged; true when drained in time. */
  public boolean drain(Duration bound) throws InterruptedException {
    return publishing == null || publishing.drain(bound);
  }

  /** Idempotent: the shutdown hook and the main thread may both call it. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    pipelines.forEach(CameraPipeline::stop);
    cameraThreads.shutdown();
    try {
      cameraThreads.awaitTermination(cfg.integer("pipeline.stop_timeout_s"), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (publishing != null) {
      try {
        publishing.close();
      } catch (IOException e) {
        LOG.warn("event=publishing_close_failed reason=\"{}\"", e.getMessage());
      }
    }
    components.close();
    vertx.close();
    LOG.info("event=agent_stopped");
  }
}
