package dev.edgeagent.inspect;

import dev.edgeagent.redact.AnonymizedFrame;
import java.util.Map;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Scores one anonymized frame with the patch flow: shrink to the model's analysis scale if
 * larger (the scale the training patches were cut at), score every patch of the grid, group the
 * flagged patches into regions.
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
    FlowContract c = model.contract();
    int w = bgr.cols();
    int h = bgr.rows();
    double shrink = Math.min(1.0, (double) c.analysisLongSide() / Math.max(w, h));
    Mat analysed = bgr;
    if (shrink < 1.0) {
      analysed = new Mat();
      Imgproc.resize(bgr, analysed, new Size(Math.round(w * shrink), Math.round(h * shrink)), 0, 0,
          Imgproc.INTER_AREA);
    }
    try {
      PatchGrid grid = new PatchGrid(analysed.cols(), analysed.rows(), c.patch(), c.stride());
      Map<String, float[]> values = grid.size() == 0
          ? Map.of("nll", new float[0], "llr", new float[0], "gen", new float[0])
          : model.values(grid, PatchGrid.bytes(analysed));
      double toInput = (double) w / analysed.cols();
      double[] scores = c.scoreRule().scores(values, c.stats(), grid.rows(), grid.cols());
      AnomalyMap map = new AnomalyMap(w, h, grid, toInput, values.get("nll"), scores, c.threshold());
      return new Inspection(map, RegionFinder.find(map));
    } finally {
      if (analysed != bgr) {
        analysed.release();
      }
    }
  }

  public PatchFlowModel model() {
    return model;
  }
}
