package dev.edgeagent.detect;

import java.nio.FloatBuffer;

/**
 * Interleaved 8-bit BGR pixels (an OpenCV Mat's layout) to the planar floats models take: RGB
 * in [0, 1] for the project's own models (plate map, plate classifier, super-resolution), BGR
 * in [0, 255] for YuNet.
 */
public final class RgbPlanes {
  private RgbPlanes() {}

  /**
   * Writes the {@code tw x th} window at ({@code x0}, {@code y0}) of {@code bgr} into
   * {@code dst} as three RGB planes in [0, 1] of {@code planeSize} floats starting at
   * {@code offset}, rows {@code dstWidth} floats apart. Cells of a plane outside the window are
   * left as they are (zero in a fresh buffer, which is how padding is made).
   *
   * @param width pixels per row of {@code bgr}
   */
  public static void write(byte[] bgr, int width, int x0, int y0, int tw, int th, FloatBuffer dst,
      int offset, int dstWidth, int planeSize) {
    planes(bgr, width, x0, y0, tw, th, dst, offset, dstWidth, planeSize, true, 1 / 255f);
  }

  /** As {@link #write}, but BGR plane order and raw 0-255 values. */
  public static void writeBgr255(byte[] bgr, int width, int x0, int y0, int tw, int th,
      FloatBuffer dst, int offset, int dstWidth, int planeSize) {
    planes(bgr, width, x0, y0, tw, th, dst, offset, dstWidth, planeSize, false, 1f);
  }

  private static void planes(byte[] bgr, int width, int x0, int y0, int tw, int th,
      FloatBuffer dst, int offset, int dstWidth, int planeSize, boolean rgb, float scale) {
    int first = rgb ? 2 : 0;
    int third = rgb ? 0 : 2;
    for (int y = 0; y < th; y++) {
      int src = ((y0 + y) * width + x0) * 3;
      int out = offset + y * dstWidth;
      for (int x = 0; x < tw; x++, src += 3, out++) {
        dst.put(out, (bgr[src + first] & 0xff) * scale);
        dst.put(planeSize + out, (bgr[src + 1] & 0xff) * scale);
        dst.put(2 * planeSize + out, (bgr[src + third] & 0xff) * scale);
      }
    }
  }
}
