package dev.edgeagent.pipeline;

import dev.edgeagent.capture.FrameSource;
import dev.edgeagent.capture.SequencedSource;
import dev.edgeagent.capture.Sources;
import dev.edgeagent.config.AgentConfig;
import dev.edgeagent.config.CameraConfig;
import dev.edgeagent.encode.FrameSink;
import dev.edgeagent.encode.JpegEncoder;
import dev.edgeagent.events.FrameEvents;
import dev.edgeagent.health.AgentMetrics;
import dev.edgeagent.health.HealthServer;
import dev.edgeagent.health.HttpVerticle;
import dev.edgeagent.publish.DirectorySink;
import dev.edgeagent.publish.KafkaPublishing;
import dev.edgeagent.publish.PublisherVerticle;
import dev.edgeagent.service.CameraProgress;
import dev.edgeagent.track.TrackOptions;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The agent's main verticle. It deploys, in this order, the publisher (spool and Kafka link, on
 * a worker thread; absent with the directory sink), the HTTP server (an event loop) and one
 * {@link CameraVerticle} per camera (worker threading model, a thread of its own each).
 * Cameras are undeployed first and on their own ({@link #stopCameras}), so their frames in
 * flight reach the spool before the publisher closes; undeploying this verticle then closes the
 * publisher and the HTTP server.
 */
public final class AgentVerticle extends VerticleBase {
  /** The config the process started with: the sink's settings are read from it only. */
  private final AgentConfig startCfg;
  /** The config cameras are started with; a reload replaces it. */
  private volatile AgentConfig cfg;
  private volatile Components components;
  private final AgentMetrics metrics;
  private final FrameEvents events;
  private final CameraStates states;
  private final CameraProgress progress;
  private final Supplier<HealthServer.Readiness> readiness;
  private final Consumer<Router> extraRoutes;
  private final SourceOpener sources;
  private volatile JpegEncoder jpeg;
  /** Cameras deployed now, by id, in config order; guarded by {@code this}. */
  private final Map<String, CameraVerticle> active = new LinkedHashMap<>();
  private final Map<String, String> deployments = new LinkedHashMap<>();
  /** Every camera run that ended (a reload's restart ends one run and starts another); guarded by {@code this}. */
  private final Map<String, List<CameraVerticle.Outcome>> ended = new LinkedHashMap<>();
  private final io.vertx.core.Promise<Void> allEnded = io.vertx.core.Promise.promise();
  private boolean reloading;
  private PublisherVerticle publisher;
  private HttpVerticle http;

  public AgentVerticle(AgentConfig cfg, Components components, AgentMetrics metrics, FrameEvents events,
      CameraStates states, CameraProgress progress, Supplier<HealthServer.Readiness> readiness,
      Consumer<Router> extraRoutes, SourceOpener sources) {
    this.sources = sources;
    this.startCfg = cfg;
    this.cfg = cfg;
    this.components = components;
    this.metrics = metrics;
    this.events = events;
    this.states = states;
    this.progress = progress;
    this.readiness = readiness;
    this.extraRoutes = extraRoutes;
    this.jpeg = new JpegEncoder(cfg.integer("encode.jpeg_quality"));
  }

  @Override
  public Future<?> start() {
    Future<?> published = Future.succeededFuture();
    if (startCfg.string("sink.type").equals("kafka")) {
      publisher = new PublisherVerticle(startCfg, metrics);
      published = vertx.deployVerticle(publisher, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER));
    }
    return published.compose(v -> startHttp()).compose(v -> {
      List<Future<String>> deployed = new ArrayList<>();
      for (CameraConfig cam : startCfg.cameras()) {
        deployed.add(deployCamera(cam));
      }
      return Future.all(deployed);
    });
  }

  private Future<?> startHttp() {
    if (!startCfg.bool("http.enabled")) {
      return Future.succeededFuture();
    }
    http = new HttpVerticle(metrics, readiness, startCfg.string("http.host"), startCfg.integer("http.port"),
        extraRoutes);
    return vertx.deployVerticle(http);
  }

  private Future<String> deployCamera(CameraConfig cam) {
    AgentConfig c = cfg;
    Components stages = components;
    JpegEncoder encoder = jpeg;
    FrameSink folder = null;
    if (publishing() == null) {
      try {
        // made once, before the camera runs: a folder that cannot be written stops the start (exit 74)
        folder = new DirectorySink(startCfg.path("sink.directory"), cam.id(), encoder);
      } catch (java.io.IOException e) {
        return Future.failedFuture(e);
      }
    }
    FrameSink directorySink = folder;
    CameraVerticle v = new CameraVerticle(cam.id(), Sources.isLive(cam.input()),
        () -> open(cam, c, stages, directorySink), CameraRetry.from(c), states, progress, metrics,
        Duration.ofSeconds(c.integer("pipeline.stop_timeout_s")), c.longValue("pipeline.max_frames"));
    synchronized (this) {
      active.put(cam.id(), v);
      ended.computeIfAbsent(cam.id(), k -> new ArrayList<>()); // keeps the order cameras first started in
    }
    v.outcome().onComplete(r -> cameraEnded(v, r.result()));
    return vertx.deployVerticle(v, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
        .onSuccess(id -> {
          synchronized (this) {
            deployments.put(cam.id(), id);
          }
        });
  }

  /** A camera's run ended (input ended, given up, stopped or restarted by a reload). */
  private synchronized void cameraEnded(CameraVerticle v, CameraVerticle.Outcome outcome) {
    if (outcome != null) {
      ended.computeIfAbsent(v.camera(), k -> new ArrayList<>()).add(outcome);
    }
    if (active.get(v.camera()) == v) {
      active.remove(v.camera());
    }
    if (active.isEmpty() && !reloading) {
      allEnded.tryComplete();
    }
  }

  /** One attempt at a camera: its input opened and its pipeline wired to the sink. */
  private CameraPipeline open(CameraConfig cam, AgentConfig c, Components stages, FrameSink directorySink)
      throws dev.edgeagent.capture.CaptureException {
    FrameSource source = sources.open(cam, c);
    FrameSink sink;
    KafkaPublishing k = publishing();
    if (k != null) {
      source = new SequencedSource(source, k.sequences().first(cam.id()), k.sequences()::use);
      sink = k.sink();
    } else {
      sink = directorySink;
    }
    String id = cam.id();
    return new CameraPipeline(source, stages, sink, TrackOptions.from(c),
        c.integer("pipeline.sink_queue_frames"), c.longValue("pipeline.max_frames"),
        (processed, expected) -> progress.frameFinished(id)).overlap(c.bool("pipeline.overlap")).events(events);
  }

  /**
   * Applies a reload: the cameras the plan names are undeployed (their frames in flight reach
   * the spool, as at any stop), then started on the new config and stages; the others run on.
   * The publisher is not touched.
   */
  public Future<?> apply(ReloadPlan plan, AgentConfig next, Components nextStages) {
    java.util.Set<String> restart = new java.util.TreeSet<>();
    synchronized (this) {
      reloading = true;
      // a camera whose input already ended is left alone: a second pass would publish its frames twice
      plan.restart().stream().filter(active::containsKey).forEach(restart::add);
    }
    List<Future<Void>> stopped = new ArrayList<>();
    for (String id : plan.stop()) {
      stopped.add(undeployCamera(id));
    }
    for (String id : restart) {
      stopped.add(undeployCamera(id));
    }
    return Future.join(stopped).transform(ignored -> {
      cfg = next;
      components = nextStages;
      jpeg = new JpegEncoder(next.integer("encode.jpeg_quality"));
      List<Future<String>> started = new ArrayList<>();
      for (CameraConfig cam : next.cameras()) {
        if (plan.start().contains(cam.id()) || restart.contains(cam.id())) {
          started.add(deployCamera(cam));
        }
      }
      return Future.join(started);
    }).onComplete(r -> {
      synchronized (this) {
        reloading = false;
        if (active.isEmpty()) {
          allEnded.tryComplete();
        }
      }
    });
  }

  private Future<Void> undeployCamera(String camera) {
    String id;
    synchronized (this) {
      id = deployments.remove(camera);
    }
    return id == null ? Future.succeededFuture() : vertx.undeploy(id);
  }

  /**
   * Completes when no camera runs any more (reload restarts aside), with each camera's runs
   * summed into one outcome per camera, in the order the cameras were first started.
   */
  public Future<List<CameraVerticle.Outcome>> allCamerasEnded() {
    return allEnded.future().map(v -> {
      synchronized (this) {
        return ended.values().stream().filter(runs -> !runs.isEmpty()).map(AgentVerticle::merge).toList();
      }
    });
  }

  private static CameraVerticle.Outcome merge(List<CameraVerticle.Outcome> runs) {
    CameraVerticle.Outcome last = runs.get(runs.size() - 1);
    CameraPipeline.Result sum = null;
    int attempts = 0;
    for (CameraVerticle.Outcome o : runs) {
      sum = sum == null ? o.result() : CameraVerticle.sum(sum, o.result());
      attempts += o.attempts();
    }
    return new CameraVerticle.Outcome(sum, last.failed(), last.failure(), attempts);
  }

  /** Undeploys every camera: capture stops, frames in flight reach the sink. */
  public Future<?> stopCameras() {
    List<Future<Void>> undeployed = new ArrayList<>();
    List<String> ids;
    synchronized (this) {
      ids = List.copyOf(deployments.keySet());
    }
    for (String camera : ids) {
      undeployed.add(undeployCamera(camera));
    }
    return Future.join(undeployed);
  }

  /** The open Kafka link; null with the directory sink. */
  public KafkaPublishing publishing() {
    return publisher == null ? null : publisher.publishing();
  }

  public int httpPort() {
    return http == null ? -1 : http.port();
  }
}
