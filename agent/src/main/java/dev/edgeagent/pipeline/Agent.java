package dev.edgeagent.pipeline;

import dev.edgeagent.config.AgentConfig;
import dev.edgeagent.config.CameraConfig;
import dev.edgeagent.config.ConfigException;
import dev.edgeagent.detect.ModelLoadException;
import dev.edgeagent.encode.PreviewEncoder;
import dev.edgeagent.events.FrameEvents;
import dev.edgeagent.health.AgentMetrics;
import dev.edgeagent.health.HealthServer;
import dev.edgeagent.health.MetricsVertx;
import dev.edgeagent.publish.KafkaPublishing;
import dev.edgeagent.service.CameraProgress;
import dev.edgeagent.status.RecentErrors;
import dev.edgeagent.status.StatusAccess;
import dev.edgeagent.status.StatusPage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running agent, as the command line sees it: the shared components (models loaded once),
 * a Vert.x instance and its {@link AgentVerticle}, which deploys the publisher, the HTTP
 * server and one {@link CameraVerticle} per camera. Methods here block the calling thread
 * (never an event loop) until Vert.x has done what they ask.
 */
public final class Agent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
  /** Previews for the status page: small JPEGs of the anonymized output. */
  private static final int PREVIEW_WIDTH = 640;
  private static final int PREVIEW_QUALITY = 70;

  private volatile AgentConfig cfg;
  private volatile Components components;
  private final AgentMetrics metrics;
  private final Vertx vertx;
  private volatile ReloadReport lastReload;
  private final FrameEvents events;
  private final CameraProgress progress = new CameraProgress(Clock.systemUTC());
  private final CameraStates states;
  private AgentVerticle main;
  private String mainDeployment;
  private StatusPage statusPage;
  private boolean closed;

  private Agent(AgentConfig cfg, Components components, Vertx vertx, AgentMetrics metrics) {
    this.cfg = cfg;
    this.metrics = metrics;
    this.components = components;
    this.vertx = vertx;
    this.events = new FrameEvents(vertx.eventBus(), new PreviewEncoder(PREVIEW_WIDTH, PREVIEW_QUALITY), previewFps(cfg));
    this.states = new CameraStates(Clock.systemUTC(), events);
  }

  private static double previewFps(AgentConfig cfg) {
    return statusPageOn(cfg) ? cfg.decimal("status.preview_fps") : 0;
  }

  private static boolean statusPageOn(AgentConfig cfg) {
    return cfg.bool("http.enabled") && cfg.bool("status.enabled");
  }

  /**
   * What {@link #start} needs of a config beyond valid keys and ranges: at least one camera, and
   * Kafka settings the sink accepts. {@code validate-config} applies the same check, so a
   * profile it passes is not then refused by {@code run}.
   *
   * @return where frames will go: the Kafka link (no secret in it) or the folder
   */
  public static String checkConfig(AgentConfig cfg) throws ConfigException {
    return check(cfg).destination();
  }

  /** What the check found: where frames go, and the status page's access (null when it is off). */
  private record Checked(String destination, StatusAccess statusAccess) {}

  private static Checked check(AgentConfig cfg) throws ConfigException {
    dev.edgeagent.detect.InferenceConfig.from(cfg);
    // The token file is read here once; start() uses this access rather than reading it again.
    StatusAccess access = statusPageOn(cfg)
        ? StatusAccess.forBinding(cfg.string("http.host"), cfg.string("http.token_file"))
        : null;
    if (cfg.cameras().isEmpty()) {
      throw new ConfigException("cameras: none configured; run needs at least one (add a cameras: list of"
          + " {id, input} to the config, or give run --input)");
    }
    if (cfg.string("sink.type").equals("kafka")) {
      return new Checked("kafka link " + KafkaPublishing.check(cfg), access);
    }
    return new Checked("directory sink " + cfg.path("sink.directory"), access);
  }

  public static Agent start(AgentConfig cfg, AgentMetrics metrics) throws ModelLoadException, ConfigException,
      IOException, InterruptedException {
    return start(cfg, metrics, r -> { });
  }

  /**
   * Loads the models, then deploys the agent; returns once the publisher is open, the HTTP
   * server listens and every camera's verticle is deployed. A camera that cannot be opened does
   * not stop the others: it is retried or reported failed by its own verticle.
   *
   * @param extraRoutes more routes for the HTTP server (the status page)
   */
  public static Agent start(AgentConfig cfg, AgentMetrics metrics, Consumer<Router> extraRoutes)
      throws ModelLoadException, ConfigException, IOException, InterruptedException {
    return start(cfg, metrics, extraRoutes, SourceOpener.CONFIGURED);
  }

  /** As {@link #start(AgentConfig, AgentMetrics, Consumer)}, the cameras' inputs opened by {@code sources}. */
  public static Agent start(AgentConfig cfg, AgentMetrics metrics, Consumer<Router> extraRoutes, SourceOpener sources)
      throws ModelLoadException, ConfigException, IOException, InterruptedException {
    StatusAccess statusAccess = check(cfg).statusAccess();
    List<String> cameraIds = cfg.cameras().stream().map(CameraConfig::id).toList();
    metrics.declareCameras(cameraIds);
    if (cfg.string("sink.type").equals("kafka")) {
      metrics.declareDropReasons(cameraIds, dev.edgeagent.spool.SpoolException.REASONS);
    }
    Components components = Components.build(cfg, metrics);
    Agent agent = new Agent(cfg, components, MetricsVertx.create(metrics), metrics);
    agent.states.declare(cameraIds);
    cameraIds.forEach(agent::cameraGauge);
    try {
      Consumer<Router> routes = extraRoutes;
      if (statusAccess != null) {
        StatusPage page = new StatusPage(agent.vertx, statusAccess, agent.events, new AgentStatus(agent::readiness,
            agent::components, agent::publishing, metrics), RecentErrors.attach());
        agent.statusPage = page;
        routes = ((Consumer<Router>) page::mount).andThen(extraRoutes);
      }
      agent.main = new AgentVerticle(cfg, components, metrics, agent.events, agent.states, agent.progress,
          agent::readiness, routes, sources);
      agent.mainDeployment = agent.await(agent.vertx.deployVerticle(agent.main), Duration.ofMinutes(5));
      LOG.info("event=agent_started cameras={} sink={} http_port={}", cfg.cameras().size(),
          cfg.string("sink.type"), agent.httpPort());
      return agent;
    } catch (ConfigException | IOException | InterruptedException | RuntimeException e) {
      agent.close();
      throw e;
    }
  }

  /** Blocks until {@code f} completes; unwraps its failure into the exceptions start documents. */
  private <T> T await(Future<T> f, Duration bound) throws ConfigException, IOException, InterruptedException {
    try {
      return f.toCompletionStage().toCompletableFuture().get(bound.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IOException("the agent did not start within " + bound.toSeconds() + " s", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ConfigException c) {
        throw c;
      }
      ConfigException http = HttpFailures.asConfigProblem(cfg, cause);
      if (http != null) {
        throw http;
      }
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof InterruptedException ie) {
        throw ie;
      }
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new IOException(String.valueOf(cause), cause);
    }
  }

  /** When each camera last finished a frame: what the systemd watchdog is fed on. */
  public CameraProgress progress() {
    return progress;
  }

  /** Each camera's latest state. */
  public CameraStates states() {
    return states;
  }

  /** What cameras announce on the event bus (frame metadata, previews). */
  public FrameEvents events() {
    return events;
  }

  /** The loaded models and the provider each runs on. */
  public Components components() {
    return components;
  }

  /** Ready while a camera runs; a broker that is not reachable is "DEGRADED", not "not ready". */
  private HealthServer.Readiness readiness() {
    long running = states.count(CameraStates.RUNNING);
    JsonObject d = new JsonObject().put("cameras_running", running).put("cameras", cfg.cameras().size())
        .put("cameras_retrying", states.count(CameraStates.RETRYING))
        .put("cameras_failed", states.count(CameraStates.FAILED))
        .put("camera_states", states.toJson())
        .put("models", components.models().size())
        .put("model_providers", new JsonObject(new java.util.LinkedHashMap<>(components.providers())));
    ReloadReport reload = lastReload;
    if (reload != null) {
      d.put("reload", reload.toJson());
    }
    boolean degraded = states.count(CameraStates.RETRYING) + states.count(CameraStates.FAILED) > 0
        || reload != null && !reload.applied();
    KafkaPublishing publishing = publishing();
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
      degraded |= publishing.degraded() || full;
    }
    boolean ready = running > 0;
    return new HealthServer.Readiness(ready, !ready ? "DOWN" : degraded ? "DEGRADED" : "UP", d);
  }

  public int httpPort() {
    return main == null ? -1 : main.httpPort();
  }

  public KafkaPublishing publishing() {
    return main == null ? null : main.publishing();
  }

  /** Stops capture on every camera and waits for frames in flight to reach the sink. */
  public void stop() {
    if (main == null) {
      return;
    }
    try {
      await(main.stopCameras(), Duration.ofSeconds(cfg.integer("pipeline.stop_timeout_s") + 5L));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ConfigException | IOException | RuntimeException e) {
      LOG.warn("event=camera_stop_slow reason=\"{}\"", e.toString());
    }
  }

  /** Waits until every camera's supervision has ended: its input ended, it gave up, or it was stopped. */
  public List<CameraVerticle.Outcome> awaitCameras() throws InterruptedException {
    try {
      return main.allCamerasEnded().toCompletionStage().toCompletableFuture().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("a camera failed unexpectedly", e.getCause());
    }
  }

  /**
   * Applies a new configuration without a restart (SIGHUP): it is validated and its models are
   * loaded first; only then are the cameras and stages whose settings changed redeployed, the
   * others run on. Settings only a restart can change are reported, not applied. A config that
   * fails any check changes nothing. Never throws: the outcome is in the report, the log and
   * {@code /health/ready}.
   */
  public synchronized ReloadReport reload(ConfigSource source) {
    ReloadReport report;
    try {
      AgentConfig next = source.load();
      checkConfig(next);
      ReloadPlan plan = ReloadPlan.between(cfg, next);
      if (plan.appliesNothing()) {
        report = ReloadReport.applied(plan, "nothing to redeploy");
      } else {
        Components stages = plan.rebuildStages() ? Components.build(next, metrics) : components;
        List<String> ids = next.cameras().stream().map(CameraConfig::id).toList();
        metrics.declareCameras(ids);
        states.declare(ids);
        ids.forEach(this::cameraGauge);
        Components old = components;
        await(main.apply(plan, next, stages), Duration.ofSeconds(cfg.integer("pipeline.stop_timeout_s") + 60L));
        cfg = next;
        components = stages;
        if (old != stages) {
          old.close(); // no camera uses the old stages any more: all of them were restarted
        }
        report = ReloadReport.applied(plan, null);
      }
    } catch (ConfigException | ModelLoadException | IOException | RuntimeException e) {
      report = ReloadReport.rejected(String.valueOf(e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      report = ReloadReport.rejected("interrupted");
    }
    lastReload = report;
    if (report.applied()) {
      LOG.info("event=reload_applied {}", report.logFields());
    } else {
      LOG.error("event=reload_rejected reason=\"{}\" effect=previous_config_kept", report.error());
    }
    return report;
  }

  /** Reads the configuration again (the file and the command line's overrides). */
  @FunctionalInterface
  public interface ConfigSource {
    AgentConfig load() throws ConfigException, IOException;
  }

  private void cameraGauge(String id) {
    metrics.gauge("edgeagent.camera.up", "1 while the camera delivers frames, 0 while it is being retried,"
        + " has failed or has ended", null, "camera", id, () -> CameraStates.RUNNING.equals(states.state(id)) ? 1 : 0);
  }

  /** With Kafka: waits until every spooled record is acknowledged; true when drained in time. */
  public boolean drain(Duration bound) throws InterruptedException {
    KafkaPublishing p = publishing();
    return p == null || p.drain(bound);
  }

  /** Idempotent: the shutdown hook and the main thread may both call it. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stop();
    if (mainDeployment != null) {
      try {
        await(vertx.undeploy(mainDeployment), Duration.ofSeconds(cfg.integer("pipeline.stop_timeout_s") + 5L));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ConfigException | IOException | RuntimeException e) {
        LOG.warn("event=agent_undeploy_failed reason=\"{}\"", e.toString());
      }
    }
    if (statusPage != null) {
      statusPage.close();
    }
    components.close();
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("event=vertx_close_slow reason=\"{}\"", e.toString());
    }
    LOG.info("event=agent_stopped");
  }
}
