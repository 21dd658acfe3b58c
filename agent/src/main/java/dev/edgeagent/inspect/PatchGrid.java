package dev.edgeagent.inspect;

import org.opencv.core.Mat;

/**
 * The inspection grid: patch corners at multiples of the stride, every patch fully inside the
 * image (the same grid as models/anomaly/data.py grid_patches, so scores match the benchmark).
 * Patches are read row-major over the grid.
 */
public record PatchGrid(int width, int height, int patch, int stride) {

  public int rows() {
    return height < patch ? 0 : (height - patch) / stride + 1;
  }

  public int cols() {
    return width < patch ? 0 : (width - patch) / stride + 1;
  }

  public int size() {
    return rows() * cols();
  }

  /**
   * Patches {@code [first, first + count)} as the flow's input: float32 NCHW, RGB / 255.
   *
   * @param bgr 8-bit 3-channel image of {@link #width} x {@link #height}
   */
  public float[] patches(byte[] bgr, int first, int count) {
    float[] out = new float[count * 3 * patch * patch];
    fill(bgr, first, count, out);
    return out;
  }

  /** As {@link #patches}, into {@code out} (at least {@code count * 3 * patch * patch} long, reusable). */
  public void fill(byte[] bgr, int first, int count, float[] out) {
    int p = patch;
    int plane = p * p;
    for (int k = 0; k < count; k++) {
      int idx = first + k;
      int y0 = (idx / cols()) * stride;
      int x0 = (idx % cols()) * stride;
      int base = k * 3 * plane;
      for (int y = 0; y < p; y++) {
        int row = ((y0 + y) * width + x0) * 3;
        for (int x = 0; x < p; x++) {
          int s = row + x * 3;
          int d = base + y * p + x;
          out[d] = (bgr[s + 2] & 0xff) / 255f;
          out[d + plane] = (bgr[s + 1] & 0xff) / 255f;
          out[d + 2 * plane] = (bgr[s] & 0xff) / 255f;
        }
      }
    }
  }

  /** The pixels of an 8-bit BGR Mat as one array (continuous copy). */
  public static byte[] bytes(Mat bgr) {
    Mat m = bgr.isContinuous() ? bgr : bgr.clone();
    try {
      byte[] b = new byte[(int) (m.total() * m.channels())];
      m.get(0, 0, b);
      return b;
    } finally {
      if (m != bgr) {
        m.release();
      }
    }
  }
}
