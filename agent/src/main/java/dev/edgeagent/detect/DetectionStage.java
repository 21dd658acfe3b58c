package dev.edgeagent.detect;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.opencv.core.Mat;

/**
 * Runs every enabled detector on a frame, fail-closed: an exception, a timeout, a non-finite
 * box or score, or an unexpected output shape becomes a {@link DetectorException} carrying the
 * drop reason, and the caller drops the frame. Inference runs on the bounded {@link InferencePool},
 * never on the caller's thread, so a hung model costs a timeout, not a stalled camera; a call
 * that timed out has its model runs terminated ({@link InferenceCall}), not merely its future
 * cancelled, and keeps its pool slot until it has really returned.
 *
 * <p>On a sequence, an expensive detector may run only every N-th frame ({@link Scheduled}); the
 * result says which classes were searched, so the tracker carries the others by prediction.
 */
public final class DetectionStage {
  private final List<Scheduled> detectors;
  private final InferencePool inferencePool;
  private final long timeoutMillis;

  /** A detector and its cadence: it runs on frames 0, N, 2N, ... of a sequence. */
  public record Scheduled(Detector detector, int everyFrames) {
    public Scheduled {
      if (everyFrames < 1) {
        throw new IllegalArgumentException("a detector's cadence is at least 1 frame, not " + everyFrames);
      }
    }
  }

  /** What a frame's search found, and for which classes it looked. */
  public record Result(List<Detection> detections, Set<ObjectClass> searched) {}

  public DetectionStage(List<Scheduled> detectors, InferencePool inferencePool, long timeoutMillis) {
    this.detectors = List.copyOf(detectors);
    this.inferencePool = inferencePool;
    this.timeoutMillis = timeoutMillis;
  }

  /** Every model the detections depend on, each once (a shared second stage is named once). */
  public List<ModelInfo> models() {
    return detectors.stream().flatMap(d -> d.detector().models().stream()).distinct().toList();
  }

  /** Every detector, in order, whatever its cadence (the hot-path bench calls them directly). */
  public List<Detector> detectors() {
    return detectors.stream().map(Scheduled::detector).toList();
  }

  /** Every detector, whatever its cadence (a still, or a frame with no sequence around it). */
  public List<Detection> detect(Mat bgr) throws DetectorException, InterruptedException {
    return run(bgr, detectors.stream().map(Scheduled::detector).toList(), timeoutMillis);
  }

  /** The detectors due on frame {@code frameIndex} of a sequence (0, 1, 2, ...). */
  public Result detect(Mat bgr, long frameIndex) throws DetectorException, InterruptedException {
    return detect(bgr, frameIndex, timeoutMillis);
  }

  /**
   * As {@link #detect(Mat, long)} with another time limit: a batch retries a frame that timed
   * out with a patient one, because a file has no frame rate to keep up with.
   */
  public Result detect(Mat bgr, long frameIndex, long timeoutMillis) throws DetectorException, InterruptedException {
    List<Detector> due = new ArrayList<>();
    Set<ObjectClass> searched = EnumSet.noneOf(ObjectClass.class);
    for (Scheduled s : detectors) {
      if (frameIndex % s.everyFrames() == 0) {
        due.add(s.detector());
        searched.addAll(s.detector().classes());
      }
    }
    return new Result(run(bgr, due, timeoutMillis), searched);
  }

  private List<Detection> run(Mat bgr, List<Detector> due, long timeoutMillis)
      throws DetectorException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    List<InferencePool.Submitted<List<Detection>>> calls = new ArrayList<>();
    List<Detection> all = new ArrayList<>();
    try {
      for (Detector d : due) {
        // Each call reads the pixels through its own header on them: OpenCV frees them only when
        // the last header is released, so the caller may release the frame as soon as it gives up
        // while a timed-out call is still reading it.
        Mat view = bgr.submat(0, bgr.rows(), 0, bgr.cols());
        calls.add(inferencePool.submit(d.model().id(), () -> d.detect(view), view::release, deadline));
      }
      for (int i = 0; i < calls.size(); i++) {
        all.addAll(await(calls.get(i), due.get(i), deadline));
      }
    } finally {
      // A timeout or a failed sibling: what is still running is terminated, not left to finish.
      InferencePool.abandonAll(calls);
    }
    for (Detection d : all) {
      if (!d.box().isFinite() || !Double.isFinite(d.score())) {
        throw new DetectorException(DropReason.DETECTOR_BAD_OUTPUT, "non-finite detection from a detector");
      }
    }
    return all;
  }

  private static List<Detection> await(InferencePool.Submitted<List<Detection>> call, Detector d, long deadline)
      throws DetectorException, InterruptedException {
    try {
      List<Detection> r = call.future().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (r == null) {
        throw new DetectorException(DropReason.DETECTOR_BAD_OUTPUT, d.model().id() + " returned null");
      }
      return r;
    } catch (TimeoutException e) {
      throw new DetectorException(DropReason.DETECTOR_TIMEOUT, d.model().id() + " timed out", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof DetectorException de) {
        throw de;
      }
      throw new DetectorException(DropReason.DETECTOR_ERROR, d.model().id() + " failed: " + c, c);
    }
  }
}
