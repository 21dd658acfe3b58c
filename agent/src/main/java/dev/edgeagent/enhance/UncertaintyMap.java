package dev.edgeagent.enhance;

/**
 * Per-pixel spread of the SR samples at the output's size, as 8-bit grey: level g stands for a
 * standard deviation of g / 255 * {@link SrUncertainty#STD_FULL_SCALE_Y} on BT.601 Y (16..235
 * units), clipped there. A fixed scale, not a per-image stretch, so maps of different frames
 * compare directly. Brighter = the model was less certain there. The grey levels are the local
 * mean over {@link SrUncertainty#SMOOTH_PX} pixels; the two statistics are of the unsmoothed spread.
 *
 * @param grey row-major, width * height bytes
 * @param meanStdY mean standard deviation over the image, Y units, before quantisation
 * @param maxStdY largest standard deviation, Y units, before clipping
 */
public record UncertaintyMap(int width, int height, byte[] grey, double meanStdY, double maxStdY) {

  public UncertaintyMap {
    if (grey.length != width * height) {
      throw new IllegalArgumentException("map of " + grey.length + " bytes for " + width + "x" + height);
    }
  }
}
