package dev.edgeagent.inspect;

import dev.edgeagent.redact.AnonymizedFrame;
import java.util.HashMap;
import java.util.Map;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Scores one anonymized frame with the patch flow: shrink to the model's analysis scale if
 * larger (the scale the training patches were cut at), score every patch of the grid (the flows'
 * likelihoods and, where the rule asks, the patch's distance from the rest of its image), group
 * the flagged patches into regions.
 */
public final class CropInspector {
  private final PatchFlowModel model;

  public CropInspector(PatchFlowModel model) {
    this.model = model;
  }

  public Inspection inspect(AnonymizedFrame frame) throws InspectException {
    return inspectPixels(frame.pixels());
  }

  /** Package-private: tests score committed images without running the redaction first. */
  Inspection inspectPixels(Mat bgr) throws InspectException {
    try (Snapshot s = snapshot(bgr)) {
      return inspect(s);
    }
  }

  /**
   * A copy of the frame at the model's analysis scale, to be scored later on another thread
   * ({@link AnomalyWatch}) while the frame itself goes on: cheap next to scoring, and small.
   */
  public Snapshot snapshot(AnonymizedFrame frame) {
    return snapshot(frame.pixels());
  }

  private Snapshot snapshot(Mat bgr) {
    int w = bgr.cols();
    int h = bgr.rows();
    double shrink = Math.min(1.0, (double) model.contract().analysisLongSide() / Math.max(w, h));
    Mat analysed = new Mat();
    if (shrink < 1.0) {
      Imgproc.resize(bgr, analysed, new Size(Math.round(w * shrink), Math.round(h * shrink)), 0, 0,
          Imgproc.INTER_AREA);
    } else {
      bgr.copyTo(analysed);
    }
    return new Snapshot(analysed, w, h);
  }

  /** Scores a snapshot; region boxes come back in the pixels of the frame it was taken from. */
  public Inspection inspect(Snapshot s) throws InspectException {
    FlowContract c = model.contract();
    Mat analysed = s.analysed();
    PatchGrid grid = new PatchGrid(analysed.cols(), analysed.rows(), c.patch(), c.stride());
    Map<String, float[]> values = new HashMap<>();
    if (grid.size() == 0) {
      ScoreRule.QUANTITIES.forEach(q -> values.put(q, new float[0]));
    } else {
      byte[] pixels = PatchGrid.bytes(analysed);
      values.putAll(model.values(grid, pixels));
      if (c.scoreRule().uses("self")) {
        values.put("self", SelfReference.distances(PatchStatistics.of(grid, pixels)));
      }
    }
    double toInput = (double) s.width() / analysed.cols();
    double[] scores = c.scoreRule().scores(values, c.stats(), grid.rows(), grid.cols());
    AnomalyMap map = new AnomalyMap(s.width(), s.height(), grid, toInput, values.get("nll"), scores, c.threshold());
    return new Inspection(map, RegionFinder.find(map));
  }

  /**
   * An anonymized frame's pixels at the analysis scale (a copy it owns), with the frame's size.
   * Made only from an {@link AnonymizedFrame}, so a raw frame cannot be scored by mistake.
   */
  public static final class Snapshot implements AutoCloseable {
    private final Mat analysed;
    private final int width;
    private final int height;

    private Snapshot(Mat analysed, int width, int height) {
      this.analysed = analysed;
      this.width = width;
      this.height = height;
    }

    Mat analysed() {
      return analysed;
    }

    int width() {
      return width;
    }

    int height() {
      return height;
    }

    @Override
    public void close() {
      analysed.release();
    }
  }

  public PatchFlowModel model() {
    return model;
  }
}
