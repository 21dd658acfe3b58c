package dev.edgeagent.enhance;

import dev.edgeagent.redact.AnonymizedFrame;
import java.util.Objects;
import org.opencv.core.Mat;

/**
 * Optional super-resolution after redaction. It accepts only {@link AnonymizedFrame}s and
 * returns one made with {@link AnonymizedFrame#derive}, so SR output carries the same
 * redaction record and can never come from a raw frame.
 *
 * <p>Note: the derived frame keeps the redaction boxes in the coordinates of the frame that was
 * redacted (before SR and, in region mode, before cropping).
 */
public final class EnhanceStage {
  private final EnhanceConfig.Mode mode;
  private final Region region;
  private final Upscaler upscaler;

  /** @param upscaler may be null only when {@code mode} is OFF */
  public EnhanceStage(EnhanceConfig.Mode mode, Region region, Upscaler upscaler) {
    this.mode = Objects.requireNonNull(mode);
    this.region = mode == EnhanceConfig.Mode.REGION ? Objects.requireNonNull(region) : region;
    if (mode != EnhanceConfig.Mode.OFF) {
      Objects.requireNonNull(upscaler, "an upscaler is needed in mode " + mode);
    }
    this.upscaler = upscaler;
  }

  public EnhanceConfig.Mode mode() {
    return mode;
  }

  /**
   * The frame to publish. On success {@code in} is consumed: returned as is in mode OFF, closed
   * otherwise. When SR fails, {@code in} is left open and untouched, so the caller can still
   * publish the frame without SR (it is anonymized either way) or drop it.
   */
  public AnonymizedFrame apply(AnonymizedFrame in) throws EnhanceException {
    if (mode == EnhanceConfig.Mode.OFF) {
      return in;
    }
    Mat src = in.pixels();
    Mat up;
    if (mode == EnhanceConfig.Mode.FRAME) {
      up = upscaler.upscale(src);
    } else {
      Mat crop = src.submat(region.toRect(src.cols(), src.rows()));
      try {
        up = upscaler.upscale(crop);
      } finally {
        crop.release();
      }
    }
    AnonymizedFrame out;
    try {
      out = in.derive(up, upscaler.modelInfo(), upscaler.scale());
    } catch (RuntimeException e) {
      up.release();
      throw e;
    }
    in.close();
    return out;
  }
}
