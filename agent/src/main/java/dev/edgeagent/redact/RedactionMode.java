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
  SOLID,
  /**
   * Nothing removed: each box is outlined with its class and score, for tuning thresholds
   * ({@code anonymize --boxes}). Frames made this way are marked not anonymized
   * ({@link AnonymizedFrame#anonymized()}) and the Kafka record mapper refuses them; the
   * configuration cannot choose it (redact.mode lists only the four modes above).
   */
  BOXES;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RedactionMode parse(String s) {
    return valueOf(s.trim().toUpperCase(Locale.ROOT));
  }
}
