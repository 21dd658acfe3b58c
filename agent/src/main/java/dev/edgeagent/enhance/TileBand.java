package dev.edgeagent.enhance;

import java.util.Arrays;

/**
 * Weighted blending of overlapping tiles, one tile row at a time: the accumulators span one tile
 * row of the output (not the frame), tiles add into them with their seam weights
 * ({@link TileGrid#weights}), and once the next tile row starts below a row, that row is final:
 * it is read out ({@link #mean}) and the band moves up ({@link #shift}). Super-resolution
 * ({@link SuperResolver}) blends its colour output and {@link SrUncertainty} its spread map this way.
 */
final class TileBand {
  private final float[] acc;
  private final float[] wsum;
  private final int channels;
  private final int width;
  private final int rows;

  /**
   * @param acc at least {@code channels * width * rows} floats, interleaved by channel (reused
   *     arrays may be passed: they are cleared here)
   * @param wsum at least {@code width * rows} floats
   */
  TileBand(float[] acc, float[] wsum, int channels, int width, int rows) {
    if (acc.length < channels * width * rows || wsum.length < width * rows) {
      throw new IllegalArgumentException("band arrays too small for " + channels + " x " + width + " x " + rows);
    }
    this.acc = acc;
    this.wsum = wsum;
    this.channels = channels;
    this.width = width;
    this.rows = rows;
    Arrays.fill(acc, 0, channels * width * rows, 0f);
    Arrays.fill(wsum, 0, width * rows, 0f);
  }

  /**
   * Adds one tile, weighted by {@code wx[x] * wy[y]}, at column {@code ox} of the band.
   *
   * @param planes the tile's values, planar: plane {@code planeOf[c]} holds channel c
   * @param planeOf which plane of {@code planes} each band channel takes (SR: BGR from RGB)
   * @param tileWidth the tile's width; its height is the band's
   */
  void add(float[] planes, int[] planeOf, float[] wx, float[] wy, int ox, int tileWidth) {
    int plane = tileWidth * rows;
    for (int y = 0; y < rows; y++) {
      for (int x = 0; x < tileWidth; x++) {
        float wgt = wx[x] * wy[y];
        if (wgt == 0f) {
          continue;
        }
        int s = y * tileWidth + x;
        int d = y * width + ox + x;
        for (int c = 0; c < channels; c++) {
          acc[d * channels + c] += wgt * planes[planeOf[c] * plane + s];
        }
        wsum[d] += wgt;
      }
    }
  }

  /** The blended value of channel {@code c} at pixel {@code p} of the band (row-major). */
  float mean(int p, int c) {
    float ws = wsum[p];
    if (ws <= 0f) {
      throw new IllegalStateException("tile weights left output pixel " + p + " uncovered");
    }
    return acc[p * channels + c] / ws;
  }

  /** The first {@code done} rows were read out: the unfinished rows move to the top, the rest is cleared. */
  void shift(int done) {
    int keep = (rows - done) * width;
    System.arraycopy(acc, done * width * channels, acc, 0, keep * channels);
    System.arraycopy(wsum, done * width, wsum, 0, keep);
    Arrays.fill(acc, keep * channels, rows * width * channels, 0f);
    Arrays.fill(wsum, keep, rows * width, 0f);
  }

  int width() {
    return width;
  }
}
