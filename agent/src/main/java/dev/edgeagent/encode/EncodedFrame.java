package dev.edgeagent.encode;

import dev.edgeagent.capture.FrameMeta;
import dev.edgeagent.detect.ModelInfo;
import dev.edgeagent.redact.AnonymizedFrame;
import dev.edgeagent.redact.KeptRegion;
import dev.edgeagent.redact.Redaction;
import java.util.List;

/**
 * JPEG bytes of an anonymized frame with its metadata, ready to spool or publish. The
 * constructor is package-private: only {@link JpegEncoder}, which accepts nothing but an
 * AnonymizedFrame, creates one.
 */
public final class EncodedFrame {
  private final FrameMeta meta;
  private final byte[] jpeg;
  private final int quality;
  private final List<Redaction> redactions;
  private final List<KeptRegion> kept;
  private final boolean anonymized;
  private final List<ModelInfo> models;
  private final AnonymizedFrame.Enhancement enhancement;
  private final byte[] uncertaintyPng;
  private final AnonymizedFrame.Anomaly anomaly;

  EncodedFrame(AnonymizedFrame frame, byte[] jpeg, int quality, byte[] uncertaintyPng) {
    this.meta = frame.meta();
    this.jpeg = jpeg;
    this.quality = quality;
    this.redactions = frame.redactions();
    this.kept = frame.kept();
    this.anonymized = frame.anonymized();
    this.models = frame.models();
    this.enhancement = frame.enhancement();
    this.uncertaintyPng = uncertaintyPng;
    this.anomaly = frame.anomaly();
  }

  /** The camera's newest crop-anomaly summary, or null (see {@link AnonymizedFrame#anomaly()}). */
  public AnonymizedFrame.Anomaly anomaly() {
    return anomaly;
  }

  /** The SR uncertainty map as an 8-bit grey PNG, or null; callers must not modify it. */
  public byte[] uncertaintyPng() {
    return uncertaintyPng;
  }

  public FrameMeta meta() {
    return meta;
  }

  /** The encoded image; callers must not modify it. */
  public byte[] jpeg() {
    return jpeg;
  }

  public int quality() {
    return quality;
  }

  public List<Redaction> redactions() {
    return redactions;
  }

  /** Regions an explicit keep list left unredacted (see {@link AnonymizedFrame#kept()}). */
  public List<KeptRegion> kept() {
    return kept;
  }

  /** False for an {@code anonymize --boxes} tuning frame, which must never be published. */
  public boolean anonymized() {
    return anonymized;
  }

  public List<ModelInfo> models() {
    return models;
  }

  /** Super-resolution that produced the pixels, or null. */
  public AnonymizedFrame.Enhancement enhancement() {
    return enhancement;
  }

  @Override
  public String toString() {
    return "EncodedFrame[camera=" + meta.cameraId() + ", seq=" + meta.sequence() + ", bytes="
        + jpeg.length + "]";
  }
}
