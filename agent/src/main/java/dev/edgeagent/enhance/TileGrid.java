package dev.edgeagent.enhance;

/**
 * Where the tiles lie along one image axis and how their outputs are blended.
 *
 * <p>Tiles are all the same length (so ONNX Runtime sees one input shape) and spread evenly, so
 * neighbours overlap by at least the requested overlap. In the output, each tile fades linearly
 * into its neighbour across their shared span. The outer quarter of that span on each side is
 * given weight 0: a tile sees zero padding where its neighbour sees real pixels, so its own
 * outermost pixels are the least trustworthy. Image borders get weight 1 up to the edge.
 */
final class TileGrid {
  private final int length;
  private final int tile;
  private final int[] starts;

  /**
   * @param length image length along this axis (input pixels)
   * @param tile wanted tile length (input pixels)
   * @param overlap minimum overlap of neighbours (input pixels), less than half the tile
   */
  TileGrid(int length, int tile, int overlap) {
    if (length < 1 || tile < 1 || overlap < 0 || 2 * overlap >= tile) {
      throw new IllegalArgumentException("bad tiling: length " + length + ", tile " + tile
          + ", overlap " + overlap);
    }
    this.length = length;
    this.tile = Math.min(tile, length);
    if (length <= tile) {
      starts = new int[] {0};
    } else {
      int n = (int) Math.ceil((length - overlap) / (double) (tile - overlap));
      starts = new int[n];
      for (int i = 0; i < n; i++) {
        starts[i] = (int) Math.round(i * (length - tile) / (double) (n - 1));
      }
    }
  }

  int count() {
    return starts.length;
  }

  int start(int i) {
    return starts[i];
  }

  /** Tile length in input pixels (the image length when the image is shorter than a tile). */
  int tile() {
    return tile;
  }

  int length() {
    return length;
  }

  /**
   * Blend weights of tile {@code i} along this axis in output pixels.
   *
   * @param scale output pixels per input pixel
   */
  float[] weights(int i, int scale) {
    int n = tile * scale;
    float[] w = new float[n];
    java.util.Arrays.fill(w, 1f);
    if (i > 0) {
      // Span shared with the previous tile, in this tile's output coordinates: [0, shared).
      int shared = (starts[i - 1] + tile - starts[i]) * scale;
      ramp(w, shared, true);
    }
    if (i < starts.length - 1) {
      int shared = (starts[i] + tile - starts[i + 1]) * scale;
      ramp(w, shared, false);
    }
    return w;
  }

  /** Rising (leading edge) or falling (trailing edge) ramp over {@code shared} pixels. */
  private static void ramp(float[] w, int shared, boolean leading) {
    int margin = shared / 4;
    int rampLen = shared - 2 * margin;
    for (int k = 0; k < shared; k++) {
      float v;
      if (k < margin) {
        v = 0f;
      } else if (k >= shared - margin) {
        v = 1f;
      } else {
        v = (k - margin + 0.5f) / rampLen;
      }
      int idx = leading ? k : w.length - 1 - k;
      w[idx] = Math.min(w[idx], v);
    }
  }
}
