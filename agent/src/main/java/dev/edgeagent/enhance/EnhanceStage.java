package dev.edgeagent.enhance;

import dev.edgeagent.redact.AnonymizedFrame;
import java.util.Objects;
import org.opencv.core.Mat;

/**
 * Optional super-resolution after redaction. It accepts only {@link AnonymizedFrame}s and
 * returns one made with {@link AnonymizedFrame#derive}, so SR output carries the same
 * redaction record and can never come from a raw frame. With an {@link SrUncertainty}, the map
 * of where SR was uncertain, made from the same anonymized input, travels with the frame.
 *
 * <p>Note: the derived frame keeps the redaction boxes in the coordinates of the frame that was
 * redacted (before SR and, in region mode, before cropping).
 */
public final class EnhanceStage {
  private final EnhanceConfig.Mode mode;
  private final Region region;
  private final Upscaler upscaler;
  private final SrUncertainty uncertainty;

  /** @param upscaler may be null only when {@code mode} is OFF */
  public EnhanceStage(EnhanceConfig.Mode mode, Region region, Upscaler upscaler) {
    this(mode, region, upscaler, null);
  }

  /** @param uncertainty null: no uncertainty map */
  public EnhanceStage(EnhanceConfig.Mode mode, Region region, Upscaler upscaler, SrUncertainty uncertainty) {
    this.mode = Objects.requireNonNull(mode);
    this.region = mode == EnhanceConfig.Mode.REGION ? Objects.requireNonNull(region) : region;
    if (mode != EnhanceConfig.Mode.OFF) {
      Objects.requireNonNull(upscaler, "an upscaler is needed in mode " + mode);
    }
    this.upscaler = upscaler;
    this.uncertainty = mode == EnhanceConfig.Mode.OFF ? null : uncertainty;
    if (this.uncertainty != null && upscaler.modelInfo() == null) {
      // The map rides on the record's SR field, which only a verified SR model fills.
      throw new IllegalArgumentException("an uncertainty map needs a verified SR model, not " + upscaler.name());
    }
  }

  public EnhanceConfig.Mode mode() {
    return mode;
  }

  /**
   * The frame to publish. On success {@code in} is consumed: returned as is in mode OFF, closed
   * otherwise. When SR or its uncertainty map fails, {@code in} is left open and untouched, so the
   * caller can still publish the frame without SR (it is anonymized either way) or drop it: a
   * frame never goes out with SR pixels but without the map that was asked for.
   */
  public AnonymizedFrame apply(AnonymizedFrame in) throws EnhanceException {
    if (mode == EnhanceConfig.Mode.OFF) {
      return in;
    }
    Mat src = in.pixels();
    Mat part = mode == EnhanceConfig.Mode.FRAME ? src : src.submat(region.toRect(src.cols(), src.rows()));
    Mat up;
    AnonymizedFrame.Uncertainty map;
    try {
      up = upscaler.upscale(part);
      try {
        map = uncertainty == null ? null : attachment(uncertainty.estimate(part));
      } catch (EnhanceException | RuntimeException e) {
        up.release();
        throw e;
      }
    } finally {
      if (part != src) {
        part.release();
      }
    }
    AnonymizedFrame out;
    try {
      out = in.derive(up, upscaler.modelInfo(), upscaler.scale(), map);
    } catch (RuntimeException e) {
      up.release();
      throw e;
    }
    in.close();
    return out;
  }

  private AnonymizedFrame.Uncertainty attachment(UncertaintyMap m) {
    UncertaintyParams p = uncertainty.params();
    return new AnonymizedFrame.Uncertainty(m.grey(), m.width(), m.height(), uncertainty.modelInfo(), p.samples(),
        p.temperature(), p.seed(), SrUncertainty.STD_FULL_SCALE_Y);
  }
}
