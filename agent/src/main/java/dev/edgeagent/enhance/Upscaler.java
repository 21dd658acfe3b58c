package dev.edgeagent.enhance;

import org.opencv.core.Mat;

/** Something that enlarges a BGR 8-bit image by a fixed integer factor. Thread-safe. */
public interface Upscaler {

  /** @return a new BGR 8-bit Mat {@link #scale()} times wider and taller; the caller owns it */
  Mat upscale(Mat bgr) throws EnhanceException;

  int scale();

  /** What produced the pixels, for reports: a model id or the interpolation used. */
  String name();

  /** The verified model behind it, published with the frame; null for plain interpolation. */
  default dev.edgeagent.detect.ModelInfo modelInfo() {
    return null;
  }
}
