package dev.edgeagent.detect;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

/**
 * Brightens a dark frame for the face search only (the redaction still works on the frame as
 * captured). YuNet takes raw 0-255 values, so a face in a frame exposed for headlights or at
 * dusk has a fraction of the contrast it was trained on; a gamma curve that lifts the frame's
 * mean to {@value #TARGET_MEAN} restores most of it, and costs one table look-up per pixel.
 */
final class LowLightGain {
  /** Frames whose mean level (0-255, over all channels) is below this are brightened. */
  static final double DARK_MEAN = 70;
  static final double TARGET_MEAN = 115;

  private LowLightGain() {}

  /** The gamma that maps {@code mean} to {@link #TARGET_MEAN}, or 1 for a frame bright enough. */
  static double gamma(double mean) {
    if (mean >= DARK_MEAN) {
      return 1;
    }
    double m = Math.max(2, mean) / 255.0;
    return Math.log(TARGET_MEAN / 255.0) / Math.log(m);
  }

  /**
   * {@code bgr} itself when it is bright enough, else a brightened copy the caller releases.
   */
  static Mat apply(Mat bgr) {
    Scalar mean = Core.mean(bgr);
    double level = (mean.val[0] + mean.val[1] + mean.val[2]) / 3;
    double g = gamma(level);
    if (g == 1) {
      return bgr;
    }
    Mat lut = new Mat(1, 256, CvType.CV_8UC1);
    byte[] table = new byte[256];
    for (int i = 0; i < 256; i++) {
      table[i] = (byte) Math.round(255 * Math.pow(i / 255.0, g));
    }
    lut.put(0, 0, table);
    Mat out = new Mat();
    try {
      Core.LUT(bgr, lut, out);
    } finally {
      lut.release();
    }
    return out;
  }
}
