package dev.edgeagent.detect;

import java.util.ArrayList;
import java.util.List;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Close-ups of many face candidates laid out side by side in one image, so a second look at
 * all of them costs one model run instead of one run each. (Measured on a 1080p dash frame at
 * a low search threshold: a hundred separate 160 px runs cost half a second, mostly per-run
 * overhead.) Each close-up sits in its own cell, with a blank gutter around it wider than
 * YuNet's largest stride, so no box spans two cells; a detection belongs to the cell holding
 * its centre and is mapped back into frame pixels through that cell's placement.
 */
final class CloseUpMosaic implements AutoCloseable {
  /** Longest side of one close-up in the mosaic, in pixels. */
  static final int CELL_PX = 240;
  static final int GUTTER_PX = 32;
  static final int COLUMNS = 8;
  static final int MAX_CELLS = 64;

  /** Where one close-up came from and where it went. */
  record Cell(Rect source, double scale, Rect placed) {}

  private final Mat image;
  private final List<Cell> cells;

  private CloseUpMosaic(Mat image, List<Cell> cells) {
    this.image = image;
    this.cells = cells;
  }

  /**
   * One mosaic of the given crops of {@code bgr} (at most {@link #MAX_CELLS}), each enlarged by
   * its own scale but never beyond {@link #CELL_PX} on its longer side.
   */
  static CloseUpMosaic of(Mat bgr, List<Rect> crops, List<Double> scales) {
    int n = crops.size();
    if (n == 0 || n > MAX_CELLS || scales.size() != n) {
      throw new IllegalArgumentException("a mosaic holds 1.." + MAX_CELLS + " close-ups, got " + n);
    }
    int cols = Math.min(COLUMNS, n);
    int rows = (n + cols - 1) / cols;
    int pitch = CELL_PX + GUTTER_PX;
    Mat canvas = Mat.zeros(GUTTER_PX + rows * pitch, GUTTER_PX + cols * pitch, CvType.CV_8UC3);
    List<Cell> cells = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Rect r = crops.get(i);
      double s = Math.min(scales.get(i), CELL_PX / (double) Math.max(r.width, r.height));
      int w = Math.max(1, Math.min(CELL_PX, (int) Math.round(r.width * s)));
      int h = Math.max(1, Math.min(CELL_PX, (int) Math.round(r.height * s)));
      Rect placed = new Rect(GUTTER_PX + (i % cols) * pitch, GUTTER_PX + (i / cols) * pitch, w, h);
      Mat crop = bgr.submat(r);
      Mat dst = canvas.submat(placed);
      try {
        Imgproc.resize(crop, dst, new Size(w, h), 0, 0, s < 1 ? Imgproc.INTER_AREA : Imgproc.INTER_LINEAR);
      } finally {
        crop.release();
        dst.release();
      }
      cells.add(new Cell(r, w / (double) r.width, placed));
    }
    return new CloseUpMosaic(canvas, cells);
  }

  Mat image() {
    return image;
  }

  int size() {
    return cells.size();
  }

  /** Index of the cell holding the centre of {@code d} (mosaic pixels), or -1 for the gutter. */
  int cellOf(Detection d) {
    double cx = d.box().x() + d.box().w() / 2;
    double cy = d.box().y() + d.box().h() / 2;
    for (int i = 0; i < cells.size(); i++) {
      Rect p = cells.get(i).placed();
      if (cx >= p.x && cx < p.x + p.width && cy >= p.y && cy < p.y + p.height) {
        return i;
      }
    }
    return -1;
  }

  /** {@code d}, found in cell {@code i} of the mosaic, in frame pixels. */
  Detection toFrame(Detection d, int i) {
    Cell c = cells.get(i);
    double inv = 1 / c.scale();
    return AffineView.map(d, new double[] {inv, 0, c.source().x - c.placed().x * inv,
        0, inv, c.source().y - c.placed().y * inv});
  }

  @Override
  public void close() {
    image.release();
  }
}
