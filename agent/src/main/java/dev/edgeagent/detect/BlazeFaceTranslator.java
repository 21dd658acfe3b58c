package dev.edgeagent.detect;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * BlazeFace (MediaPipe) pre- and post-processing. Input: the image letterboxed into a square
 * of {@code inputSize}, RGB, NHWC float in [-1, 1]. Output: 896 anchors split 512 + 384, each
 * with a logit and 16 regressors (box centre offset and size, then six key points) relative
 * to an SSD anchor grid: strides {s, 2s, 2s, 2s} with two anchors per cell and per layer,
 * where layers of equal stride share one grid (so 2 and 6 anchors per cell).
 */
public final class BlazeFaceTranslator {
  private final int inputSize;
  private final float[] anchorX;
  private final float[] anchorY;

  public BlazeFaceTranslator(int inputSize) {
    this.inputSize = inputSize;
    int fine = inputSize / (inputSize == 128 ? 8 : 16);
    int coarse = fine / 2;
    int n = fine * fine * 2 + coarse * coarse * 6;
    anchorX = new float[n];
    anchorY = new float[n];
    int i = fillGrid(fine, 2, 0);
    fillGrid(coarse, 6, i);
  }

  private int fillGrid(int grid, int perCell, int start) {
    int i = start;
    for (int y = 0; y < grid; y++) {
      for (int x = 0; x < grid; x++) {
        for (int a = 0; a < perCell; a++) {
          anchorX[i] = (x + 0.5f) / grid;
          anchorY[i] = (y + 0.5f) / grid;
          i++;
        }
      }
    }
    return i;
  }

  public int inputSize() {
    return inputSize;
  }

  public int anchors() {
    return anchorX.length;
  }

  /** How an image region was placed into the square model input. */
  public record Letterbox(double scale, double padX, double padY, double offsetX, double offsetY) {}

  /** Letterboxes {@code bgr} (a frame or a tile of it) into {@code dst}, returns the mapping. */
  public Letterbox preprocess(Mat bgr, double offsetX, double offsetY, FloatBuffer dst) {
    return preprocess(bgr, offsetX, offsetY, dst, new float[inputSize * inputSize * 3]);
  }

  /**
   * As {@link #preprocess(Mat, double, double, FloatBuffer)}, through {@code scratch}: exactly
   * {@code inputSize * inputSize * 3} floats (a per-thread array, so no run allocates one).
   */
  public Letterbox preprocess(Mat bgr, double offsetX, double offsetY, FloatBuffer dst, float[] scratch) {
    double scale = (double) inputSize / Math.max(bgr.cols(), bgr.rows());
    int w = Math.max(1, (int) Math.round(bgr.cols() * scale));
    int h = Math.max(1, (int) Math.round(bgr.rows() * scale));
    int padX = (inputSize - w) / 2;
    int padY = (inputSize - h) / 2;
    Mat resized = new Mat();
    Mat rgb = new Mat();
    Mat square = new Mat();
    Mat f = new Mat();
    try {
      Imgproc.resize(bgr, resized, new Size(w, h), 0, 0, Imgproc.INTER_AREA);
      Imgproc.cvtColor(resized, rgb, Imgproc.COLOR_BGR2RGB);
      Core.copyMakeBorder(rgb, square, padY, inputSize - h - padY, padX, inputSize - w - padX,
          Core.BORDER_CONSTANT, new Scalar(0, 0, 0));
      square.convertTo(f, CvType.CV_32FC3, 2.0 / 255.0, -1.0);
      float[] data = scratch;
      f.get(0, 0, data);
      dst.clear();
      dst.put(data);
      dst.flip();
    } finally {
      resized.release();
      rgb.release();
      square.release();
      f.release();
    }
    return new Letterbox(scale, padX, padY, offsetX, offsetY);
  }

  /**
   * Decodes the anchors whose score passes {@code threshold} into frame-pixel boxes.
   *
   * @param scores logits, one per anchor (the 512 and 384 outputs concatenated)
   * @param regressors 16 per anchor, in the same order
   */
  public List<Detection> decode(float[] scores, float[] regressors, Letterbox lb,
      double threshold) throws DetectorException {
    if (scores.length != anchors() || regressors.length != anchors() * 16) {
      throw new DetectorException(DropReason.DETECTOR_BAD_OUTPUT, "BlazeFace gave "
          + scores.length + " scores and " + regressors.length + " regressors, expected "
          + anchors() + " and " + anchors() * 16);
    }
    List<Detection> out = new ArrayList<>();
    for (int i = 0; i < scores.length; i++) {
      float logit = scores[i];
      if (Float.isNaN(logit)) {
        throw new DetectorException(DropReason.DETECTOR_BAD_OUTPUT, "BlazeFace score is NaN");
      }
      double score = 1.0 / (1.0 + Math.exp(-Math.max(-100, Math.min(100, logit))));
      if (score < threshold) {
        continue;
      }
      int r = i * 16;
      double cx = regressors[r] / inputSize + anchorX[i];
      double cy = regressors[r + 1] / inputSize + anchorY[i];
      double w = regressors[r + 2] / inputSize;
      double h = regressors[r + 3] / inputSize;
      Box unit = new Box((cx - w / 2) * inputSize, (cy - h / 2) * inputSize, w * inputSize,
          h * inputSize);
      if (!unit.isFinite()) {
        throw new DetectorException(DropReason.DETECTOR_BAD_OUTPUT, "BlazeFace box is not finite");
      }
      double inv = 1.0 / lb.scale();
      Box frame = unit.scale(inv, inv, lb.offsetX() - lb.padX() * inv, lb.offsetY() - lb.padY() * inv);
      out.add(new Detection(ObjectClass.FACE, frame, score));
    }
    return out;
  }
}
