package dev.edgeagent.enhance;

import dev.edgeagent.detect.RgbPlanes;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Pre- and post-processing for the SR models' contract: input {@code lr} float32 [1,3,h,w]
 * RGB in [0,1], output {@code sr} float32 [1,3,s*h,s*w] in [0,1]. Works on interleaved BGR
 * bytes, the layout of an 8-bit OpenCV Mat.
 */
final class SrTranslator {
  static final String INPUT = "lr";
  static final String OUTPUT = "sr";

  private SrTranslator() {}

  /**
   * One tile of an interleaved BGR image as a planar RGB tensor in [0,1].
   *
   * @param bgr the whole image, {@code width} pixels per row
   */
  static float[] toTensor(byte[] bgr, int width, int x0, int y0, int tw, int th) {
    float[] t = new float[3 * tw * th];
    toTensor(bgr, width, x0, y0, tw, th, FloatBuffer.wrap(t));
    return t;
  }

  /** As {@link #toTensor(byte[], int, int, int, int, int)}, into {@code dst}: every one of its 3 tw th floats. */
  static void toTensor(byte[] bgr, int width, int x0, int y0, int tw, int th, FloatBuffer dst) {
    RgbPlanes.write(bgr, width, x0, y0, tw, th, dst, 0, tw, tw * th);
  }

  /**
   * Checks the model's answer for one tile and copies it out as planar RGB.
   *
   * @throws EnhanceException on a shape other than [1,3,th,tw] or any NaN/infinite value
   */
  static float[] fromTensor(long[] shape, FloatBuffer data, int tw, int th) throws EnhanceException {
    float[] out = new float[3 * tw * th];
    fromTensor(shape, data, tw, th, out);
    return out;
  }

  /** As {@link #fromTensor(long[], FloatBuffer, int, int)}, into the first 3 tw th floats of {@code out}. */
  static void fromTensor(long[] shape, FloatBuffer data, int tw, int th, float[] out) throws EnhanceException {
    long[] want = {1, 3, th, tw};
    if (!Arrays.equals(shape, want)) {
      throw new EnhanceException("SR model returned shape " + Arrays.toString(shape)
          + ", expected " + Arrays.toString(want));
    }
    int n = 3 * tw * th;
    data.rewind();
    data.get(out, 0, n);
    for (int i = 0; i < n; i++) {
      float v = out[i];
      if (!Float.isFinite(v)) {
        throw new EnhanceException("SR model returned " + v + " (NaN or infinite) in its output");
      }
    }
  }

  /** A [0,1] float to an 8-bit value, clamped and rounded like the training side's evaluation. */
  static int toByte(float v) {
    int q = Math.round(v * 255f);
    return q < 0 ? 0 : Math.min(q, 255);
  }
}
