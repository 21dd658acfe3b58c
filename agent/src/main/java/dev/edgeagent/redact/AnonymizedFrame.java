package dev.edgeagent.redact;

import dev.edgeagent.capture.FrameMeta;
import dev.edgeagent.detect.ModelInfo;
import java.util.List;
import java.util.Objects;
import org.opencv.core.Mat;

/**
 * A frame after redaction: the only frame type that may be encoded, written, spooled or
 * published. Its constructor is package-private, so only {@link Redactor} can create one; it
 * carries what was removed and which verified models decided that.
 */
public final class AnonymizedFrame implements AutoCloseable {
  private final FrameMeta meta;
  private final List<Redaction> redactions;
  private final List<KeptRegion> kept;
  private final boolean anonymized;
  private final List<ModelInfo> models;
  private final double threshold;
  private final Enhancement enhancement;
  private final Anomaly anomaly;
  private Mat pixels;

  /**
   * Super-resolution applied after redaction: which verified model, at which scale, and the map
   * of where it was uncertain when one was asked for (null otherwise).
   */
  public record Enhancement(ModelInfo model, int scale, Uncertainty uncertainty) {
    public Enhancement(ModelInfo model, int scale) {
      this(model, scale, null);
    }
  }

  /**
   * An SR uncertainty map made from the same anonymized pixels as the SR output. The encode
   * stage turns it into a PNG, like the frame into a JPEG.
   *
   * @param grey 8-bit grey, row-major, {@code width * height} (the enhanced frame's size),
   *     brighter = less certain
   * @param sampler the verified sampling graph that made it
   * @param stdFullScale the standard deviation on Y (16..235 units) that grey 255 stands for
   */
  public record Uncertainty(byte[] grey, int width, int height, ModelInfo sampler, int samples,
      double temperature, long seed, double stdFullScale) {
    public Uncertainty {
      if (grey.length != width * height) {
        throw new IllegalArgumentException("map of " + grey.length + " bytes for " + width + "x" + height);
      }
    }
  }

  /**
   * The newest crop-anomaly result of this frame's camera (inspect.enabled): made from an
   * earlier anonymized frame of the camera, because scoring takes longer than a frame interval.
   * Numbers and boxes only, never pixels.
   *
   * @param regions the most unusual flagged regions, boxes in the analysed frame's pixels
   * @param flaggedRegions every region flagged on the analysed frame ({@code regions} may list fewer)
   * @param ageMillis capture of the analysed frame to capture of this one
   */
  public record Anomaly(ModelInfo model, double score, double threshold, String scoreRule,
      List<AnomalyRegion> regions, int flaggedRegions, long analysedSequence, long analysedWallMillis,
      long ageMillis) {
    public Anomaly {
      regions = List.copyOf(regions);
    }

    /** The same result, seen from a frame captured {@code millis} after the analysed one. */
    public Anomaly withAge(long millis) {
      return new Anomaly(model, score, threshold, scoreRule, regions, flaggedRegions, analysedSequence,
          analysedWallMillis, millis);
    }
  }

  /** A flagged region: its most unusual patch's score, the mean over its patches, how many. */
  public record AnomalyRegion(dev.edgeagent.detect.Box box, double score, double meanScore, int patches) {}

  AnonymizedFrame(FrameMeta meta, Mat pixels, List<Redaction> redactions, List<ModelInfo> models,
      double threshold) {
    this(meta, pixels, redactions, List.of(), models, threshold, true);
  }

  AnonymizedFrame(FrameMeta meta, Mat pixels, List<Redaction> redactions, List<KeptRegion> kept,
      List<ModelInfo> models, double threshold, boolean anonymized) {
    this.anonymized = anonymized;
    this.meta = Objects.requireNonNull(meta);
    this.pixels = Objects.requireNonNull(pixels);
    this.redactions = List.copyOf(redactions);
    this.kept = List.copyOf(kept);
    this.models = List.copyOf(models);
    this.threshold = threshold;
    this.enhancement = null;
    this.anomaly = null;
  }

  private AnonymizedFrame(AnonymizedFrame from, FrameMeta meta, Mat pixels, Enhancement enhancement,
      Anomaly anomaly) {
    this.meta = meta;
    this.pixels = Objects.requireNonNull(pixels);
    this.redactions = from.redactions;
    this.kept = from.kept;
    this.anonymized = from.anonymized;
    this.models = from.models;
    this.threshold = from.threshold;
    this.enhancement = enhancement;
    this.anomaly = anomaly;
  }

  /** The camera's newest crop-anomaly summary travelling with this frame, or null. */
  public Anomaly anomaly() {
    return anomaly;
  }

  /**
   * The same frame carrying {@code summary}: the returned frame takes over these pixels, and
   * this one is closed (its pixels are no longer its own).
   */
  public AnonymizedFrame withAnomaly(Anomaly summary) {
    AnonymizedFrame out = new AnonymizedFrame(this, meta, pixels(), enhancement, Objects.requireNonNull(summary));
    pixels = null;
    return out;
  }

  /** Present when super-resolution produced these pixels; null otherwise. */
  public Enhancement enhancement() {
    return enhancement;
  }

  public FrameMeta meta() {
    return meta;
  }

  /** BGR pixels with every redaction applied. */
  public Mat pixels() {
    if (pixels == null) {
      throw new IllegalStateException("frame " + meta.sequence() + " was closed");
    }
    return pixels;
  }

  public List<Redaction> redactions() {
    return redactions;
  }

  /** Regions found but deliberately left unredacted by an explicit keep list; usually empty. */
  public List<KeptRegion> kept() {
    return kept;
  }

  /**
   * False only for a tuning frame of {@code anonymize --boxes}, whose boxes were drawn instead of
   * removed ({@link RedactionMode#BOXES}): such a frame may be written to a local file, never
   * published.
   */
  public boolean anonymized() {
    return anonymized;
  }

  public List<ModelInfo> models() {
    return models;
  }

  /** The face detection threshold in force (plates have their own, in the config). */
  public double threshold() {
    return threshold;
  }

  public long count(dev.edgeagent.detect.ObjectClass cls) {
    return redactions.stream().filter(r -> r.cls() == cls).count();
  }

  /**
   * A frame derived from already anonymized pixels (super-resolution): the result stays an
   * AnonymizedFrame because its input was one. Takes ownership of {@code derived}.
   */
  public AnonymizedFrame derive(Mat derived, ModelInfo srModel, int scale) {
    return derive(derived, srModel, scale, null);
  }

  /** As {@link #derive(Mat, ModelInfo, int)}, with the SR uncertainty map of these pixels. */
  public AnonymizedFrame derive(Mat derived, ModelInfo srModel, int scale, Uncertainty uncertainty) {
    Enhancement e = srModel == null ? null : new Enhancement(srModel, scale, uncertainty);
    return new AnonymizedFrame(this, meta.withSize(derived.cols(), derived.rows()), derived, e, anomaly);
  }

  @Override
  public void close() {
    if (pixels != null) {
      pixels.release();
      pixels = null;
    }
  }

  @Override
  public String toString() {
    return "AnonymizedFrame[camera=" + meta.cameraId() + ", seq=" + meta.sequence() + ", regions="
        + redactions.size() + "]";
  }
}
