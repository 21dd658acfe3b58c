package dev.edgeagent.enhance;

import dev.edgeagent.config.ConfigException;
import org.opencv.core.Rect;

/**
 * A part of the frame given as fractions of its width and height, so one setting fits every
 * camera resolution.
 */
public record Region(double x, double y, double w, double h) {

  /** The whole frame. */
  public static final Region FULL = new Region(0, 0, 1, 1);

  /** Parses "x,y,w,h" (fractions in [0,1], the region inside the frame). */
  public static Region parse(String key, String text) throws ConfigException {
    String[] f = text.split(",");
    if (f.length != 4) {
      throw new ConfigException(key + ": expected x,y,w,h as fractions of the frame, e.g."
          + " 0.25,0.25,0.5,0.5; got '" + text + "'");
    }
    double[] v = new double[4];
    for (int i = 0; i < 4; i++) {
      try {
        v[i] = Double.parseDouble(f[i].trim());
      } catch (NumberFormatException e) {
        throw new ConfigException(key + ": '" + f[i].trim() + "' is not a number (in '" + text + "')");
      }
    }
    Region r = new Region(v[0], v[1], v[2], v[3]);
    boolean inside = v[0] >= 0 && v[1] >= 0 && v[2] > 0 && v[3] > 0
        && v[0] + v[2] <= 1 + 1e-9 && v[1] + v[3] <= 1 + 1e-9;
    if (!inside) {
      throw new ConfigException(key + ": region " + text + " must have w,h > 0 and lie inside the"
          + " frame (x + w <= 1, y + h <= 1)");
    }
    return r;
  }

  /** Whole pixels of a {@code width} x {@code height} frame, at least 1 x 1. */
  public Rect toRect(int width, int height) {
    int x0 = (int) Math.floor(x * width);
    int y0 = (int) Math.floor(y * height);
    int x1 = Math.min(width, Math.max(x0 + 1, (int) Math.ceil((x + w) * width)));
    int y1 = Math.min(height, Math.max(y0 + 1, (int) Math.ceil((y + h) * height)));
    x0 = Math.min(x0, width - 1);
    y0 = Math.min(y0, height - 1);
    return new Rect(x0, y0, x1 - x0, y1 - y0);
  }
}
