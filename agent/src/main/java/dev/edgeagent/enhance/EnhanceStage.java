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
   * The frame to publish. Consumes {@code in}: it is returned as is in mode OFF and closed
   * otherwise, also when SR fails (the exception then says why; the caller decides whether
   * the frame is dropped or re-published without SR, which needs its own copy).
   */
  public AnonymizedFrame apply(AnonymizedFrame in) throws EnhanceException {
    if (mode == EnhanceConfig.Mode.OFF) {
      return in;
    }
    try (in) {
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
      try {
        return in.derive(up);
      } catch (RuntimeException e) {
        up.release();
        throw e;
      }
    }
  }
}
