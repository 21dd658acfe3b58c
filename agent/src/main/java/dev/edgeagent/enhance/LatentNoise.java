package dev.edgeagent.enhance;

/**
 * The flow's latent z for one sample: standard normal values that depend only on (seed, sample,
 * channel, y, x). Counter-based instead of a sequential generator, so a tile can draw its part of
 * the image's z without drawing the rest, every tile agrees with its neighbours on the values they
 * share, and a tiled map equals an untiled one for the same seed.
 */
final class LatentNoise {
  /** Coordinates are packed into 16 bits each. */
  static final int MAX_SIDE = 1 << 16;

  private LatentNoise() {}

  /** One N(0, 1) value (Box-Muller on two 53-bit uniforms from SplitMix64 of the packed index). */
  static float gaussian(long seed, int sample, int channel, int y, int x) {
    long index = (((long) sample * 64 + channel) * MAX_SIDE + y) * MAX_SIDE + x;
    long a = mix(seed + (index + 1) * 0x9E3779B97F4A7C15L);
    long b = mix(a ^ 0xD1B54A32D192ED03L);
    double u1 = ((a >>> 11) + 1) * 0x1.0p-53; // (0, 1]: log stays finite
    double u2 = (b >>> 11) * 0x1.0p-53;
    return (float) (Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
  }

  /**
   * z for one tile, scaled by the temperature, in the sampler's layout [1, channels, th, tw].
   *
   * @param x0 the tile's left column in the (LR) image
   * @param y0 the tile's top row in the (LR) image
   */
  static float[] tile(long seed, int sample, int channels, int x0, int y0, int tw, int th, float temperature) {
    if (x0 + tw > MAX_SIDE || y0 + th > MAX_SIDE) {
      throw new IllegalArgumentException("image side over " + MAX_SIDE + " px");
    }
    float[] z = new float[channels * th * tw];
    if (temperature == 0f) {
      return z;
    }
    int i = 0;
    for (int c = 0; c < channels; c++) {
      for (int y = 0; y < th; y++) {
        for (int x = 0; x < tw; x++) {
          z[i++] = temperature * gaussian(seed, sample, c, y0 + y, x0 + x);
        }
      }
    }
    return z;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
