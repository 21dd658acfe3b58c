package dev.edgeagent.pipeline;

import dev.edgeagent.capture.RawFrame;
import dev.edgeagent.detect.Detection;
import dev.edgeagent.detect.DetectionStage;
import dev.edgeagent.detect.DetectorException;
import dev.edgeagent.detect.DropReason;
import dev.edgeagent.detect.ObjectClass;
import dev.edgeagent.redact.AnonymizedFrame;
import dev.edgeagent.redact.KeptRegion;
import dev.edgeagent.redact.PlatesInsideFaces;
import dev.edgeagent.track.BoxTracker;
import dev.edgeagent.track.TrackedBox;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A frame's two steps around the tracker: {@link #detect} (search the raw frame; a plate found
 * inside a face's redaction is left to the face, {@link PlatesInsideFaces}, before the tracker
 * could follow it out of the face) and {@link #redact} (remove every box); {@link #process}
 * does both for a frame with no look-ahead.
 * Fail closed: any fault returns a drop and the raw frame is released here, so it can go
 * nowhere else.
 */
public final class FrameProcessor {
  private static final Logger LOG = LoggerFactory.getLogger(FrameProcessor.class);

  /** Either an anonymized frame or the reason there is none. */
  public record Outcome(AnonymizedFrame frame, DropReason dropped) {}

  /** The track id of a box that belongs to no track (a frame redacted without tracking). */
  public static final long NO_TRACK = -1;

  private final Components c;
  private final RegionReview review;

  public FrameProcessor(Components components) {
    this(components, RegionReview.NONE);
  }

  /** A processor that consults {@code review} for every region before removing it (batch only). */
  public FrameProcessor(Components components, RegionReview review) {
    this.c = components;
    this.review = java.util.Objects.requireNonNull(review);
  }

  /** Detect, track and redact one frame at once. Consumes {@code raw} in every case. */
  public Outcome process(RawFrame raw, BoxTracker tracker) throws InterruptedException {
    List<Detection> found;
    try {
      found = withoutPlatesInsideFaces(c.detection().detect(raw.pixels()), raw);
    } catch (DetectorException e) {
      return dropUnsearched(raw, e);
    }
    return redact(raw, tracker.update(found).stream().map(d -> new TrackedBox(NO_TRACK, d)).toList());
  }

  /**
   * Runs the detectors due on frame {@code frameIndex} of a sequence. When one fails, the frame
   * is dropped (released and counted) and null is returned; otherwise {@code raw} stays the
   * caller's.
   */
  DetectionStage.Result detect(RawFrame raw, long frameIndex) throws InterruptedException {
    try {
      return search(raw, frameIndex, 0);
    } catch (DetectorException e) {
      dropUnsearched(raw, e);
      return null;
    }
  }

  /**
   * The detectors due on frame {@code frameIndex}, with time limit {@code timeoutMillis} (0: the
   * configured inference.timeout_ms); a failure is thrown and {@code raw} stays the caller's, who decides
   * (retry, black out or abort) instead of dropping it.
   */
  DetectionStage.Result search(RawFrame raw, long frameIndex, long timeoutMillis)
      throws DetectorException, InterruptedException {
    DetectionStage.Result r = timeoutMillis > 0 ? c.detection().detect(raw.pixels(), frameIndex, timeoutMillis)
        : c.detection().detect(raw.pixels(), frameIndex);
    return new DetectionStage.Result(withoutPlatesInsideFaces(r.detections(), raw), r.searched());
  }

  /**
   * A frame that could not be searched, written fully black so that a video keeps its timing
   * and frame count ({@code --on-failure black}). Consumes {@code raw}.
   */
  Outcome blackOut(RawFrame raw) {
    try (raw) {
      AnonymizedFrame f = c.redactor().blackOut(raw, c.detection().models(), c.faceThreshold());
      c.metrics().frameBlackedOut(raw.meta().cameraId());
      return new Outcome(f, null);
    }
  }

  /** Plates a face redaction of the same frame covers are neither redacted nor tracked as plates. */
  private List<Detection> withoutPlatesInsideFaces(List<Detection> found, RawFrame raw) {
    PlatesInsideFaces.Result r = PlatesInsideFaces.drop(found, c.redactor(), raw.pixels().cols(), raw.pixels().rows());
    c.metrics().platesInsideFaces(r.dropped());
    return r.kept();
  }

  /**
   * Redacts {@code boxes} on {@code raw}, except those an explicit keep list leaves (recorded on
   * the frame as kept); consumes {@code raw} in every case.
   */
  Outcome redact(RawFrame raw, List<TrackedBox> boxes) {
    try (raw) {
      List<Detection> remove = new ArrayList<>(boxes.size());
      List<KeptRegion> kept = new ArrayList<>();
      for (TrackedBox b : boxes) {
        Detection d = b.detection();
        String keep = review.review(raw.meta(), raw.pixels(), b,
            c.redactor().redactedBox(d.box(), raw.pixels().cols(), raw.pixels().rows()));
        if (keep != null) {
          kept.add(new KeptRegion(d.cls(), d.box(), d.score(), keep));
        } else {
          remove.add(d);
        }
      }
      AnonymizedFrame f = c.redactor().redact(raw, remove, kept, c.detection().models(), c.faceThreshold());
      c.metrics().regionsRedacted("face", f.count(ObjectClass.FACE));
      c.metrics().regionsRedacted("plate", f.count(ObjectClass.PLATE));
      c.metrics().regionsKept(kept.size());
      return new Outcome(f, null);
    } catch (RuntimeException e) {
      LOG.warn("event=frame_dropped camera={} seq={} reason=redaction_error detail=\"{}\"",
          raw.meta().cameraId(), raw.meta().sequence(), e.toString());
      return drop(raw, DropReason.REDACTION_ERROR);
    }
  }

  private Outcome dropUnsearched(RawFrame raw, DetectorException e) {
    try (raw) {
      LOG.warn("event=frame_dropped camera={} seq={} reason={} detail=\"{}\"",
          raw.meta().cameraId(), raw.meta().sequence(), e.reason().label(), e.getMessage());
      return drop(raw, e.reason());
    }
  }

  private Outcome drop(RawFrame raw, DropReason reason) {
    c.metrics().frameDropped(raw.meta().cameraId(), reason);
    return new Outcome(null, reason);
  }
}
