package dev.edgeagent.redact;

import java.util.Locale;

/** How a region is removed. */
public enum RedactionMode {
  /** OpenCV Telea inpainting: the region is rebuilt from its surroundings only. */
  INPAINT,
  /** A strong Gaussian blur scaled to the region size. */
  BLUR,
  /** Coarse blocks (about 8 across the region). */
  PIXELATE,
  /** A black fill. */
  SOLID;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RedactionMode parse(String s) {
    return valueOf(s.trim().toUpperCase(Locale.ROOT));
  }
}
