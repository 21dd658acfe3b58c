package dev.edgeagent.inspect;

/**
 * Per-patch scores of one image on its inspection grid, and how grid coordinates map back to
 * the image as given (the grid is laid on a copy shrunk to the model's analysis scale).
 *
 * @param inputWidth width of the image as given
 * @param inputHeight height of the image as given
 * @param grid the grid on the analysed (possibly shrunk) image
 * @param toInput factor from analysed pixels to input pixels (1 when nothing was shrunk)
 * @param nll the field flow's NLL per patch, bits/dim, row-major
 * @param scores per-patch anomaly score, row-major
 * @param threshold patches scoring over this are flagged
 */
public record AnomalyMap(int inputWidth, int inputHeight, PatchGrid grid, double toInput, float[] nll, double[] scores, double threshold) {

  public double score(int row, int col) {
    return scores[row * grid.cols() + col];
  }

  public boolean flagged(int row, int col) {
    return score(row, col) > threshold;
  }

  /** The image's anomaly score: its most unusual patch (0 for an image smaller than a patch). */
  public double imageScore() {
    double m = 0;
    for (double s : scores) {
      m = Math.max(m, s);
    }
    return m;
  }

  public long flaggedPatches() {
    long n = 0;
    for (double s : scores) {
      if (s > threshold) {
        n++;
      }
    }
    return n;
  }
}
