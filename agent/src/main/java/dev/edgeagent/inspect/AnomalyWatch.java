package dev.edgeagent.inspect;

import dev.edgeagent.detect.Box;
import dev.edgeagent.detect.InferenceCall;
import dev.edgeagent.redact.AnonymizedFrame;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crop inspection beside live cameras (inspect.enabled; the drone profile). Scoring one frame
 * with the patch flow takes seconds on a CPU, far longer than a frame interval, so it never sits
 * in a frame's path: at most one frame at a time, all cameras together, is scored on the watch's
 * own thread, and a camera offers its next one no sooner than {@code intervalMillis} after the
 * last one it had scored was captured. Every frame a camera publishes meanwhile carries that
 * camera's newest result, which names the frame it describes; a result older than
 * {@code maxAgeMillis} (the drone has flown on) is not attached. A frame the watch is busy for is
 * simply not scored: the camera never waits for it.
 *
 * <p>Only {@link AnonymizedFrame}s are scored (through a {@link CropInspector.Snapshot}), and a
 * result holds numbers and boxes, never pixels. Times are the frames' capture times on the
 * monotonic clock, so the schedule follows the camera, not the wall.
 */
public final class AnomalyWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AnomalyWatch.class);

  /**
   * @param intervalMillis least capture time between two frames of one camera that are scored
   * @param maxAgeMillis a result whose frame was captured longer ago than this is not attached
   * @param maxRegions most regions a summary lists (the count of all flagged ones is kept)
   */
  public record Options(long intervalMillis, long maxAgeMillis, int maxRegions) {
    public Options {
      if (intervalMillis < 0 || maxAgeMillis < 0 || maxRegions < 0) {
        throw new IllegalArgumentException("inspect options must not be negative: interval " + intervalMillis
            + " ms, max age " + maxAgeMillis + " ms, max regions " + maxRegions);
      }
    }
  }

  /** What the watch reports: one scored frame and how long it took, or one that failed. */
  public interface Listener {
    void scored(String camera, long nanos);

    void failed(String camera);

    Listener NONE = new Listener() {
      @Override
      public void scored(String camera, long nanos) {}

      @Override
      public void failed(String camera) {}
    };
  }

  /**
   * A camera's newest result, made once when it is scored: the summary every record carries
   * (its age 0, set per record), and when the analysed frame was captured.
   */
  private record Scored(AnonymizedFrame.Anomaly summary, long monotonicNanos) {}

  /** Per camera: its newest result, and when its last scored frame was captured. */
  private static final class CameraWatch {
    volatile Scored latest;
    volatile long lastOfferedNanos;
    volatile boolean offeredOnce;
  }

  private final CropInspector inspector;
  private final Options options;
  private final Listener listener;
  private final ExecutorService thread;
  private final Map<String, CameraWatch> cameras = new ConcurrentHashMap<>();
  private final AtomicBoolean busy = new AtomicBoolean();
  private volatile InferenceCall running;
  private volatile boolean closed;

  /** The watch does not own {@code inspector}'s model: whoever loaded it closes it, after {@link #close}. */
  public AnomalyWatch(CropInspector inspector, Options options, Listener listener) {
    this.inspector = inspector;
    this.options = options;
    this.listener = listener;
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "anomaly-watch");
      t.setDaemon(true);
      t.setPriority(Thread.MIN_PRIORITY); // the cameras' frames come first
      return t;
    });
  }

  /**
   * Offers {@code frame} for scoring if its camera is due and the watch is free, and returns the
   * frame carrying the camera's newest result if there is one young enough ({@code frame} is then
   * consumed, see {@link AnonymizedFrame#withAnomaly}); otherwise returns {@code frame} as is.
   * Never blocks on scoring.
   */
  public AnonymizedFrame attach(AnonymizedFrame frame) {
    CameraWatch camera = cameras.computeIfAbsent(frame.meta().cameraId(), k -> new CameraWatch());
    offer(camera, frame);
    Scored s = camera.latest;
    if (s == null) {
      return frame;
    }
    long ageMillis = TimeUnit.NANOSECONDS.toMillis(frame.meta().monotonicNanos() - s.monotonicNanos());
    if (ageMillis > options.maxAgeMillis()) {
      return frame;
    }
    return frame.withAnomaly(s.summary().withAge(ageMillis));
  }

  private void offer(CameraWatch camera, AnonymizedFrame frame) {
    long captured = frame.meta().monotonicNanos();
    if (closed || (camera.offeredOnce
        && captured - camera.lastOfferedNanos < TimeUnit.MILLISECONDS.toNanos(options.intervalMillis()))) {
      return;
    }
    if (!busy.compareAndSet(false, true)) {
      return;
    }
    String cameraId = frame.meta().cameraId();
    CropInspector.Snapshot snapshot;
    try {
      snapshot = inspector.snapshot(frame);
    } catch (RuntimeException e) {
      busy.set(false);
      failed(camera, cameraId, frame.meta().sequence(), e);
      return;
    }
    camera.offeredOnce = true;
    camera.lastOfferedNanos = captured;
    long sequence = frame.meta().sequence();
    long wallMillis = frame.meta().wallMillis();
    try {
      thread.execute(() -> score(camera, cameraId, snapshot, sequence, wallMillis, captured));
    } catch (RejectedExecutionException e) { // closed meanwhile
      snapshot.close();
      busy.set(false);
    }
  }

  private void score(CameraWatch camera, String cameraId, CropInspector.Snapshot snapshot, long sequence,
      long wallMillis, long monotonicNanos) {
    InferenceCall call = new InferenceCall();
    running = call;
    long t0 = System.nanoTime();
    try (snapshot) {
      if (closed) {
        return;
      }
      Inspection found = call.within(() -> inspector.inspect(snapshot));
      camera.latest = new Scored(summary(found, sequence, wallMillis), monotonicNanos);
      listener.scored(cameraId, System.nanoTime() - t0);
    } catch (Exception e) {
      if (!closed) {
        failed(camera, cameraId, sequence, e);
      }
    } finally {
      running = null;
      busy.set(false);
    }
  }

  /** A failure clears the camera's result: an old one must not pass for a current one. */
  private void failed(CameraWatch camera, String cameraId, long sequence, Exception e) {
    camera.latest = null;
    listener.failed(cameraId);
    LOG.warn("event=anomaly_scoring_failed camera={} seq={} reason=\"{}\" effect=records_without_anomaly_summary",
        cameraId, sequence, e.getMessage());
  }

  private AnonymizedFrame.Anomaly summary(Inspection found, long sequence, long wallMillis) {
    List<FlaggedRegion> all = found.regions();
    List<AnonymizedFrame.AnomalyRegion> top = all.stream().limit(options.maxRegions())
        .map(r -> new AnonymizedFrame.AnomalyRegion(new Box(r.x(), r.y(), r.w(), r.h()), r.score(), r.meanScore(),
            r.patches()))
        .toList();
    FlowContract c = inspector.model().contract();
    return new AnonymizedFrame.Anomaly(inspector.model().info(), found.score(), c.threshold(), c.scoreRule().key(), top,
        all.size(), sequence, wallMillis, 0);
  }

  /** Whether a frame is being scored now (tests, the bench). */
  public boolean scoring() {
    return busy.get();
  }

  /**
   * Stops scoring: the run in progress is terminated, and this waits up to {@code waitMillis}
   * for it to return, so the model can be closed after. Returns whether it did.
   */
  public boolean close(long waitMillis) {
    closed = true;
    InferenceCall call = running;
    if (call != null) {
      call.terminate();
    }
    thread.shutdownNow();
    try {
      return thread.awaitTermination(waitMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    close(5_000);
  }
}
