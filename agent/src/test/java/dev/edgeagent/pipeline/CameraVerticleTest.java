package dev.edgeagent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeagent.capture.CaptureException;
import dev.edgeagent.events.EventAddresses;
import dev.edgeagent.events.FrameEvents;
import dev.edgeagent.health.AgentMetrics;
import dev.edgeagent.service.CameraProgress;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Supervision of one camera whose input cannot be opened; the pipeline itself is tested elsewhere. */
class CameraVerticleTest {
  final Vertx vertx = Vertx.vertx();
  final AgentMetrics metrics = new AgentMetrics();
  final List<JsonObject> announced = new CopyOnWriteArrayList<>();
  final CameraStates states = new CameraStates(Clock.systemUTC(), new FrameEvents(vertx.eventBus(), null, 0));
  final AtomicInteger opened = new AtomicInteger();

  @AfterEach
  void close() {
    vertx.close();
  }

  CameraVerticle camera(boolean live, CameraRetry retry) {
    vertx.eventBus().<JsonObject>consumer(EventAddresses.CAMERA_STATE, m -> announced.add(m.body()));
    metrics.declareCameras(List.of("cam"));
    return new CameraVerticle("cam", live, () -> {
      opened.incrementAndGet();
      throw new CaptureException("cannot decode rtsp://10.0.0.9/x: connection refused", false);
    }, retry, states, new CameraProgress(Clock.systemUTC()), metrics, Duration.ofSeconds(5), 0);
  }

  String deploy(CameraVerticle v) throws Exception {
    return vertx.deployVerticle(v, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aLiveCameraThatCannotBeOpenedIsRetriedUntilItsLimitThenGivenUp() throws Exception {
    CameraVerticle v = camera(true, new CameraRetry(3, Duration.ofMillis(20), Duration.ofMillis(40)));
    deploy(v);
    CameraVerticle.Outcome o = v.outcome().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(o.failed()).isTrue();
    assertThat(o.attempts()).isEqualTo(3);
    assertThat(opened).hasValue(3);
    assertThat(o.failure().getMessage()).contains("connection refused");
    assertThat(states.state("cam")).isEqualTo(CameraStates.FAILED);
    assertThat(metrics.total("edgeagent.camera.failures")).isEqualTo(3);
    assertThat(metrics.total("edgeagent.camera.restarts")).isEqualTo(2);
    Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> announced.size() == 3);
    assertThat(announced).extracting(j -> j.getString("state")).containsExactly("retrying", "retrying", "failed");
    assertThat(announced.get(0).getLong("retry_at_ms")).isGreaterThan(announced.get(0).getLong("at_ms"));
  }

  @Test
  void aFileIsNotRetried() throws Exception {
    CameraVerticle v = camera(false, new CameraRetry(0, Duration.ofMillis(20), Duration.ofMillis(40)));
    deploy(v);
    CameraVerticle.Outcome o = v.outcome().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(o.failed()).isTrue();
    assertThat(opened).hasValue(1);
  }

  @Test
  void undeployingACameraWaitingForItsNextAttemptEndsItAtOnceAsFailed() throws Exception {
    CameraVerticle v = camera(true, new CameraRetry(0, Duration.ofSeconds(60), Duration.ofSeconds(60)));
    String id = deploy(v);
    Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> CameraStates.RETRYING.equals(states.state("cam"))
        && opened.get() == 1);
    long t0 = System.nanoTime();
    vertx.undeploy(id).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("not the 60 s back-off").isLessThan(Duration.ofSeconds(10));
    CameraVerticle.Outcome o = v.outcome().toCompletionStage().toCompletableFuture().get(1, TimeUnit.SECONDS);
    assertThat(o.failed()).isTrue();
    assertThat(o.attempts()).isEqualTo(1);
    assertThat(states.state("cam")).isEqualTo(CameraStates.FAILED);
  }
}
