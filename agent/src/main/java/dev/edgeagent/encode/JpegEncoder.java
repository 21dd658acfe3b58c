package dev.edgeagent.encode;

import dev.edgeagent.redact.AnonymizedFrame;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * JPEG-encodes anonymized frames (and their SR uncertainty map, as PNG); the signature admits no
 * other frame type. Thread-safe.
 */
public final class JpegEncoder {
  private final int quality;

  public JpegEncoder(int quality) {
    if (quality < 1 || quality > 100) {
      throw new IllegalArgumentException("JPEG quality must be 1..100, got " + quality);
    }
    this.quality = quality;
  }

  public EncodedFrame encode(AnonymizedFrame frame) {
    return encode(frame, quality);
  }

  /** Encodes at an explicit quality (used to re-encode smaller for the broker's record limit). */
  public EncodedFrame encode(AnonymizedFrame frame, int q) {
    MatOfByte buf = new MatOfByte();
    MatOfInt params = new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, q);
    try {
      if (!Imgcodecs.imencode(".jpg", frame.pixels(), buf, params)) {
        throw new IllegalStateException("JPEG encoding failed for " + frame);
      }
      AnonymizedFrame.Enhancement e = frame.enhancement();
      byte[] map = e == null || e.uncertainty() == null ? null : UncertaintyPng.encode(e.uncertainty());
      return new EncodedFrame(frame, buf.toArray(), q, map);
    } finally {
      buf.release();
      params.release();
    }
  }
}
