package dev.edgeagent.pipeline;

import dev.edgeagent.capture.CaptureException;
import dev.edgeagent.health.AgentMetrics;
import dev.edgeagent.service.CameraProgress;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One camera as a Vert.x verticle. Deploying it starts the camera's supervision loop on a
 * worker thread of its own ({@code camera-<id>}, one thread, so its frames stay in order and no
 * event loop ever waits on capture, inference or the sink): open the input, run the
 * {@link CameraPipeline} until the input ends, and when a live camera fails (cannot be opened,
 * or its stream breaks) report it and open it again after the {@link CameraRetry} back-off,
 * while the other cameras run on. Undeploying it stops capture and waits, up to the stop
 * timeout, for the frames in flight to reach the sink, as a stop always did.
 */
public final class CameraVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(CameraVerticle.class);

  /** Opens the camera's input and wires its pipeline (source, sink, events); one call per attempt. */
  @FunctionalInterface
  public interface Opener {
    CameraPipeline open() throws CaptureException;
  }

  /**
   * How a camera's supervision ended.
   *
   * @param result its frames over every attempt
   * @param failed it never delivered or gave up: it could not be opened, a file broke, or it
   *     was still waiting to be retried when the agent stopped
   * @param failure the last failure, or null
   */
  public record Outcome(CameraPipeline.Result result, boolean failed, CaptureException failure, int attempts) {}

  private final String camera;
  private final boolean live;
  private final Opener opener;
  private final CameraRetry retry;
  private final CameraStates states;
  private final CameraProgress progress;
  private final AgentMetrics metrics;
  private final Duration stopTimeout;
  private final long maxFrames;
  private final Promise<Outcome> outcome = Promise.promise();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile CameraPipeline current;
  private volatile Thread worker;
  private WorkerExecutor executor;

  public CameraVerticle(String camera, boolean live, Opener opener, CameraRetry retry, CameraStates states,
      CameraProgress progress, AgentMetrics metrics, Duration stopTimeout, long maxFrames) {
    this.camera = camera;
    this.live = live;
    this.opener = opener;
    this.retry = retry;
    this.states = states;
    this.progress = progress;
    this.metrics = metrics;
    this.stopTimeout = stopTimeout;
    this.maxFrames = maxFrames;
  }

  public String camera() {
    return camera;
  }

  /** Completes when the supervision loop ends (input ended, given up, or stopped). */
  public Future<Outcome> outcome() {
    return outcome.future();
  }

  @Override
  public Future<?> start() {
    // A dedicated pool of one thread: a camera loop runs for the agent's lifetime, so the
    // blocked-thread checker's limit is lifted for it alone.
    executor = vertx.createSharedWorkerExecutor("camera-" + camera, 1, Long.MAX_VALUE / 4, TimeUnit.NANOSECONDS);
    executor.executeBlocking(this::supervise, false).onComplete(outcome);
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    stopped.countDown();
    CameraPipeline p = current;
    if (p != null) {
      p.stop();
    }
    Promise<Void> done = Promise.promise();
    long timer = vertx.setTimer(stopTimeout.toMillis(), t -> {
      LOG.warn("event=camera_stop_slow camera={} timeout_s={} effect=interrupted", camera, stopTimeout.toSeconds());
      Thread w = worker;
      if (w != null) {
        w.interrupt();
      }
      done.tryComplete();
    });
    outcome.future().onComplete(r -> {
      vertx.cancelTimer(timer);
      done.tryComplete();
    });
    return done.future().eventually(() -> executor.close());
  }

  private boolean stopping() {
    return stopped.getCount() == 0;
  }

  private Outcome supervise() throws InterruptedException {
    worker = Thread.currentThread();
    ResultSum sum = new ResultSum(camera);
    int attempt = 0;
    int failuresInARow = 0;
    CaptureException failure = null;
    try {
      while (!stopping()) {
        attempt++;
        failure = null;
        CameraPipeline p = null;
        try {
          p = opener.open();
        } catch (CaptureException e) {
          failure = e;
        }
        if (p != null) {
          CameraPipeline.Result r = runOnce(p, attempt);
          sum.add(r);
          failure = r.captureFailure() != null ? r.captureFailure() : endedUnasked(r);
          if (failure == null || stopping()) {
            states.ended(camera, attempt);
            return new Outcome(sum.result(), false, failure, attempt);
          }
          failuresInARow = r.captured() > 0 ? 0 : failuresInARow;
        }
        failuresInARow++;
        metrics.cameraFailed(camera);
        if (!retry.retries(live, failuresInARow)) {
          LOG.error("event=camera_failed camera={} attempt={} failures_in_a_row={} reason=\"{}\" effect=given_up{}",
              camera, attempt, failuresInARow, failure.getMessage(), live ? "" : " why=file_inputs_are_not_retried");
          states.failed(camera, attempt, failure.getMessage());
          return new Outcome(sum.result(), true, failure, attempt);
        }
        Duration wait = retry.delayAfter(failuresInARow);
        LOG.warn("event=camera_failed camera={} attempt={} failures_in_a_row={} reason=\"{}\" effect=retry_in_ms:{}",
            camera, attempt, failuresInARow, failure.getMessage(), wait.toMillis());
        states.retrying(camera, attempt, failure.getMessage(), wait.toMillis());
        if (stopped.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
          break;
        }
        metrics.cameraRestarted(camera);
        LOG.info("event=camera_retry camera={} attempt={}", camera, attempt + 1);
      }
      // stopped while waiting to retry: it was not delivering, so it counts as failed
      String why = failure == null ? "stopped before it was opened" : failure.getMessage();
      states.failed(camera, attempt, why);
      return new Outcome(sum.result(), true, failure, attempt);
    } finally {
      worker = null;
    }
  }

  /**
   * A live stream that ends by itself (the camera went away, the server closed it) failed; one
   * that reached its frame limit, lost its sink or was stopped did not.
   */
  private CaptureException endedUnasked(CameraPipeline.Result r) {
    boolean limitReached = maxFrames > 0 && r.captured() >= maxFrames;
    if (!live || stopping() || limitReached || r.sinkFailure() != null || r.aborted() != null) {
      return null;
    }
    return new CaptureException("live input " + camera + " ended after " + r.captured() + " frame(s)", false);
  }

  private CameraPipeline.Result runOnce(CameraPipeline p, int attempt) throws InterruptedException {
    current = p;
    if (stopping()) {
      p.stop(); // a stop that came while the input was being opened
    }
    states.running(camera, attempt);
    progress.started(camera);
    try {
      return p.run();
    } finally {
      progress.ended(camera);
      current = null;
    }
  }

  /** Two runs of one camera as one: counts added, the later failure of each kind kept. */
  static CameraPipeline.Result sum(CameraPipeline.Result a, CameraPipeline.Result r) {
    return new CameraPipeline.Result(a.camera(), a.captured() + r.captured(), a.anonymized() + r.anonymized(),
        a.dropped() + r.dropped(), a.sinkErrors() + r.sinkErrors(), a.liveDropped() + r.liveDropped(),
        r.sinkFailure() != null ? r.sinkFailure() : a.sinkFailure(),
        r.captureFailure() != null ? r.captureFailure() : a.captureFailure(),
        r.aborted() != null ? r.aborted() : a.aborted(), a.unreadable() + r.unreadable());
  }

  /** A camera's frames summed over its attempts. */
  private static final class ResultSum {
    private CameraPipeline.Result sum;

    ResultSum(String camera) {
      sum = new CameraPipeline.Result(camera, 0, 0, 0, 0, 0, null, null, null, 0);
    }

    void add(CameraPipeline.Result r) {
      sum = CameraVerticle.sum(sum, r);
    }

    CameraPipeline.Result result() {
      return sum;
    }
  }
}
