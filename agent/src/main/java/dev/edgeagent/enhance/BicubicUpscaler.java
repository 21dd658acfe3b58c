package dev.edgeagent.enhance;

import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * OpenCV INTER_CUBIC (a = -0.75) enlargement: the baseline eval-sr compares the model against.
 * Not offered as an enhance mode: it adds pixels but no detail, so publishing it would only
 * cost bandwidth.
 */
public final class BicubicUpscaler implements Upscaler {
  private final int scale;

  public BicubicUpscaler(int scale) {
    this.scale = scale;
  }

  @Override
  public Mat upscale(Mat bgr) {
    Mat out = new Mat();
    Imgproc.resize(bgr, out, new Size(bgr.cols() * scale, bgr.rows() * scale), 0, 0,
        Imgproc.INTER_CUBIC);
    return out;
  }

  @Override
  public int scale() {
    return scale;
  }

  @Override
  public String name() {
    return "bicubic (OpenCV INTER_CUBIC)";
  }
}
