package dev.edgeagent.pipeline;

import dev.edgeagent.capture.FrameSource;
import dev.edgeagent.capture.ImageLimits;
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
  private final AgentConfig cfg;
  private final Components components;
  private final AgentMetrics metrics;
  private final FrameEvents events;
  private final CameraStates states;
  private final CameraProgress progress;
  private final Supplier<HealthServer.Readiness> readiness;
  private final Consumer<Router> extraRoutes;
  private final JpegEncoder jpeg;
  private final Map<String, CameraVerticle> cameras = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
  private final Map<String, String> cameraDeployments = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
  private PublisherVerticle publisher;
  private HttpVerticle http;

  public AgentVerticle(AgentConfig cfg, Components components, AgentMetrics metrics, FrameEvents events,
      CameraStates states, CameraProgress progress, Supplier<HealthServer.Readiness> readiness,
      Consumer<Router> extraRoutes) {
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
    if (cfg.string("sink.type").equals("kafka")) {
      publisher = new PublisherVerticle(cfg, metrics);
      published = vertx.deployVerticle(publisher, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER));
    }
    return published.compose(v -> startHttp()).compose(v -> {
      List<Future<String>> deployed = new ArrayList<>();
      for (CameraConfig cam : cfg.cameras()) {
        deployed.add(deployCamera(cam));
      }
      return Future.all(deployed);
    });
  }

  private Future<?> startHttp() {
    if (!cfg.bool("http.enabled")) {
      return Future.succeededFuture();
    }
    http = new HttpVerticle(metrics, readiness, cfg.string("http.host"), cfg.integer("http.port"), extraRoutes);
    return vertx.deployVerticle(http);
  }

  private Future<String> deployCamera(CameraConfig cam) {
    FrameSink folder = null;
    if (publishing() == null) {
      try {
        // made once, before the camera runs: a folder that cannot be written stops the start (exit 74)
        folder = new DirectorySink(cfg.path("sink.directory"), cam.id(), jpeg);
      } catch (java.io.IOException e) {
        return Future.failedFuture(e);
      }
    }
    FrameSink directorySink = folder;
    CameraVerticle v = new CameraVerticle(cam.id(), Sources.isLive(cam.input()), () -> open(cam, directorySink),
        CameraRetry.from(cfg), states, progress, metrics,
        Duration.ofSeconds(cfg.integer("pipeline.stop_timeout_s")), cfg.longValue("pipeline.max_frames"));
    cameras.put(cam.id(), v);
    return vertx.deployVerticle(v, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
        .onSuccess(id -> cameraDeployments.put(cam.id(), id));
  }

  /** One attempt at a camera: its input opened and its pipeline wired to the sink. */
  private CameraPipeline open(CameraConfig cam, FrameSink directorySink) throws dev.edgeagent.capture.CaptureException {
    FrameSource source = Sources.open(cam.id(), cam.input(), cfg.integer("pipeline.live_buffer_frames"),
        cam.sequence(), ImageLimits.from(cfg));
    FrameSink sink;
    KafkaPublishing k = publishing();
    if (k != null) {
      source = new SequencedSource(source, k.sequences().first(cam.id()), k.sequences()::use);
      sink = k.sink();
    } else {
      sink = directorySink;
    }
    String id = cam.id();
    return new CameraPipeline(source, components, sink, TrackOptions.from(cfg),
        cfg.integer("pipeline.sink_queue_frames"), cfg.longValue("pipeline.max_frames"),
        (processed, expected) -> progress.frameFinished(id)).events(events);
  }

  /** The cameras in config order; each one's {@link CameraVerticle#outcome()} ends with it. */
  public List<CameraVerticle> cameras() {
    synchronized (cameras) {
      return List.copyOf(cameras.values());
    }
  }

  /** Undeploys every camera: capture stops, frames in flight reach the sink. */
  public Future<?> stopCameras() {
    List<Future<Void>> undeployed = new ArrayList<>();
    List<String> ids;
    synchronized (cameraDeployments) {
      ids = List.copyOf(cameraDeployments.values());
      cameraDeployments.clear();
    }
    for (String id : ids) {
      undeployed.add(vertx.undeploy(id));
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
