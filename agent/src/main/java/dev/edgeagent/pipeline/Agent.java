package dev.edgeagent.pipeline;

import dev.edgeagent.capture.CaptureException;
import dev.edgeagent.capture.FrameSource;
import dev.edgeagent.capture.Sources;
import dev.edgeagent.config.AgentConfig;
import dev.edgeagent.config.CameraConfig;
import dev.edgeagent.detect.ModelLoadException;
import dev.edgeagent.encode.FrameSink;
import dev.edgeagent.encode.JpegEncoder;
import dev.edgeagent.health.AgentMetrics;
import dev.edgeagent.health.HealthServer;
import dev.edgeagent.publish.DirectorySink;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
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
 * thread, and the health endpoints on a Vert.x event loop (which only serves HTTP).
 */
public final class Agent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

  private final Components components;
  private final Vertx vertx;
  private final List<CameraPipeline> pipelines = new ArrayList<>();
  private final List<Future<CameraPipeline.Result>> running = new ArrayList<>();
  private final ExecutorService cameraThreads;
  private int httpPort = -1;

  private Agent(Components components, Vertx vertx, int cameras) {
    this.components = components;
    this.vertx = vertx;
    AtomicInteger n = new AtomicInteger();
    this.cameraThreads = Executors.newFixedThreadPool(cameras, r -> new Thread(r, "camera-" + n.incrementAndGet()));
  }

  public static Agent start(AgentConfig cfg, AgentMetrics metrics)
      throws ModelLoadException, CaptureException, IOException, InterruptedException {
    Components components = Components.build(cfg, metrics);
    Agent agent = new Agent(components, Vertx.vertx(), cfg.cameras().size());
    try {
      agent.startHttp(cfg, metrics);
      JpegEncoder jpeg = new JpegEncoder(cfg.integer("encode.jpeg_quality"));
      for (CameraConfig cam : cfg.cameras()) {
        FrameSource source = Sources.open(cam.id(), cam.input(), cfg.integer("pipeline.live_buffer_frames"));
        FrameSink sink = new DirectorySink(cfg.path("sink.directory"), cam.id(), jpeg);
        agent.pipelines.add(new CameraPipeline(source, components, sink, cfg.integer("track.hold_frames"),
            cfg.integer("pipeline.sink_queue_frames"), cfg.longValue("pipeline.max_frames"), null));
      }
      for (CameraPipeline p : agent.pipelines) {
        agent.running.add(agent.cameraThreads.submit(p::run));
      }
      LOG.info("event=agent_started cameras={} http_port={}", cfg.cameras().size(), agent.httpPort);
      return agent;
    } catch (CaptureException | IOException | RuntimeException e) {
      agent.close();
      throw e;
    }
  }

  private void startHttp(AgentConfig cfg, AgentMetrics metrics) throws InterruptedException, IOException {
    if (!cfg.bool("http.enabled")) {
      return;
    }
    HealthServer server = new HealthServer(vertx, metrics, this::readiness);
    try {
      httpPort = server.start(cfg.string("http.host"), cfg.integer("http.port"))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IOException("http.port: cannot serve health endpoints on " + cfg.string("http.host") + ":"
          + cfg.integer("http.port") + ": " + e.getCause(), e);
    }
  }

  private HealthServer.Readiness readiness() {
    long alive = running.stream().filter(f -> !f.isDone()).count();
    JsonObject d = new JsonObject().put("cameras_running", alive).put("cameras", pipelines.size())
        .put("models", components.models().size());
    boolean ready = alive > 0;
    return new HealthServer.Readiness(ready, ready ? "UP" : "DOWN", d);
  }

  public int httpPort() {
    return httpPort;
  }

  /** Stops capture on every camera; frames already in flight still reach the sink. */
  public void stop() {
    pipelines.forEach(CameraPipeline::stop);
    for (Future<CameraPipeline.Result> f : running) {
      try {
        f.get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
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
      }
    }
    return out;
  }

  @Override
  public void close() {
    pipelines.forEach(CameraPipeline::stop);
    cameraThreads.shutdown();
    try {
      cameraThreads.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    components.close();
    vertx.close();
  }
}
