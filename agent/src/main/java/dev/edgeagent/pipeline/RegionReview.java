package dev.edgeagent.pipeline;

import dev.edgeagent.capture.FrameMeta;
import dev.edgeagent.detect.Box;
import dev.edgeagent.track.TrackedBox;
import org.opencv.core.Mat;

/**
 * Batch review of what is redacted ({@code anonymize --review / --keep}), consulted by the
 * {@link FrameProcessor} for every region of a frame just before the redactor removes it. The
 * live agent never has one ({@link #NONE}). Implementations live in {@code dev.edgeagent.review},
 * which only the anonymize command may use (ADR 0010).
 */
public interface RegionReview {
  /** No review and no keep list: every region is redacted. */
  RegionReview NONE = (meta, rawPixels, region, removed) -> null;

  /**
   * Sees a region of a frame just before it would be removed ({@code removed}: the box with its
   * margin, clipped to the frame, on {@code rawPixels}). Returns the explicit keep-list entry
   * that leaves it unredacted (file and line, recorded with the frame), or null to redact it as
   * usual. An implementation copies what it needs and must neither keep nor change
   * {@code rawPixels}.
   */
  String review(FrameMeta meta, Mat rawPixels, TrackedBox region, Box removed);
}
