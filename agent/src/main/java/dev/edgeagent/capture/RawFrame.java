package dev.edgeagent.capture;

import java.util.Objects;
import org.opencv.core.Mat;

/**
 * A decoded camera frame before redaction: BGR, 8 bits per channel. It may contain faces and
 * plates, so it must never be encoded, written, published or logged; the architecture test
 * forbids the encode, spool, publish and protocol code from referring to this type. Only
 * detection and redaction read its pixels; redaction takes them over.
 */
public final class RawFrame implements AutoCloseable {
  private final FrameMeta meta;
  private Mat bgr;

  public RawFrame(FrameMeta meta, Mat bgr) {
    this.meta = Objects.requireNonNull(meta);
    this.bgr = Objects.requireNonNull(bgr);
  }

  public FrameMeta meta() {
    return meta;
  }

  /** The pixels, for detectors to read. Fails once redaction has taken them over. */
  public Mat pixels() {
    if (bgr == null) {
      throw new IllegalStateException("frame " + meta.sequence() + " was already redacted");
    }
    return bgr;
  }

  /**
   * Hands the pixels over to the redaction stage, which modifies them in place; this frame
   * is empty afterwards, so the unredacted buffer has exactly one owner at any time.
   */
  public Mat surrenderPixels() {
    Mat m = pixels();
    bgr = null;
    return m;
  }

  @Override
  public void close() {
    if (bgr != null) {
      bgr.release();
      bgr = null;
    }
  }

  /** Metadata only; the pixels never reach a log line. */
  @Override
  public String toString() {
    return "RawFrame[camera=" + meta.cameraId() + ", seq=" + meta.sequence() + ", "
        + meta.width() + "x" + meta.height() + "]";
  }
}
