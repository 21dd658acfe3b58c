package dev.edgeagent.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.opencv.core.Mat;

/**
 * Runs every enabled detector on a frame, fail-closed: an exception, a timeout, a non-finite
 * box or score, or an unexpected output shape becomes a {@link DetectorException} carrying the
 * drop reason, and the caller drops the frame. Inference runs on {@code inferencePool}, never on
 * the caller's thread, so a hung model costs a timeout, not a stalled camera.
 */
public final class DetectionStage {
  private final List<Detector> detectors;
  private final ExecutorService inferencePool;
  private final long timeoutMillis;

  public DetectionStage(List<Detector> detectors, ExecutorService inferencePool, long timeoutMillis) {
    this.detectors = List.copyOf(detectors);
    this.inferencePool = inferencePool;
    this.timeoutMillis = timeoutMillis;
  }

  /** Every model the detections depend on, each once (a shared second stage is named once). */
  public List<ModelInfo> models() {
    return detectors.stream().flatMap(d -> d.models().stream()).distinct().toList();
  }

  public List<Detection> detect(Mat bgr) throws DetectorException, InterruptedException {
    List<Future<List<Detection>>> futures = new ArrayList<>();
    for (Detector d : detectors) {
      futures.add(inferencePool.submit(() -> d.detect(bgr)));
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    List<Detection> all = new ArrayList<>();
    try {
      for (int i = 0; i < futures.size(); i++) {
        all.addAll(await(futures.get(i), detectors.get(i), deadline));
      }
    } finally {
      futures.forEach(f -> f.cancel(true));
    }
    for (Detection d : all) {
      if (!d.box().isFinite() || !Double.isFinite(d.score())) {
        throw new DetectorException(DropReason.DETECTOR_BAD_OUTPUT, "non-finite detection from a detector");
      }
    }
    return all;
  }

  private static List<Detection> await(Future<List<Detection>> f, Detector d, long deadline)
      throws DetectorException, InterruptedException {
    try {
      List<Detection> r = f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
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
