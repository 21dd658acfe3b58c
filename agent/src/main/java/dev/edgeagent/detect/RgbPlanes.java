package dev.edgeagent.detect;

import java.nio.FloatBuffer;

/**
 * Interleaved 8-bit BGR pixels (an OpenCV Mat's layout) to the planar RGB floats in [0, 1]
 * that the project's own models take (plate map, plate classifier, super-resolution).
 */
public final class RgbPlanes {
  private RgbPlanes() {}

  /**
   * Writes the {@code tw x th} window at ({@code x0}, {@code y0}) of {@code bgr} into
   * {@code dst} as three planes of {@code planeSize} floats starting at {@code offset}, rows
   * {@code dstWidth} floats apart. Cells of a plane outside the window are left as they are
   * (zero in a fresh buffer, which is how padding is made).
   *
   * @param width pixels per row of {@code bgr}
   */
  public static void write(byte[] bgr, int width, int x0, int y0, int tw, int th, FloatBuffer dst,
      int offset, int dstWidth, int planeSize) {
    for (int y = 0; y < th; y++) {
      int src = ((y0 + y) * width + x0) * 3;
      int out = offset + y * dstWidth;
      for (int x = 0; x < tw; x++, src += 3, out++) {
        dst.put(out, (bgr[src + 2] & 0xff) / 255f);
        dst.put(planeSize + out, (bgr[src + 1] & 0xff) / 255f);
        dst.put(2 * planeSize + out, (bgr[src] & 0xff) / 255f);
      }
    }
  }

  /**
   * Sets to 0 every cell of the three planes at {@code offset} outside the {@code tw x th} window
   * at their top left: the padding a fresh buffer has for free and a reused one holds the last
   * image in.
   *
   * @param planeSize floats per plane, {@code dstWidth} per row
   */
  public static void clearPadding(FloatBuffer dst, int offset, int dstWidth, int planeSize, int tw, int th) {
    int rows = planeSize / dstWidth;
    for (int c = 0; c < 3; c++) {
      int plane = offset + c * planeSize;
      if (tw < dstWidth) {
        for (int y = 0; y < th; y++) {
          TensorBuffers.zero(dst, plane + y * dstWidth + tw, dstWidth - tw);
        }
      }
      if (th < rows) {
        TensorBuffers.zero(dst, plane + th * dstWidth, (rows - th) * dstWidth);
      }
    }
  }
}
