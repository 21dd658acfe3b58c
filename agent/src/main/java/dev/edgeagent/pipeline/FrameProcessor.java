package dev.edgeagent.pipeline;

import dev.edgeagent.capture.RawFrame;
import dev.edgeagent.detect.Detection;
import dev.edgeagent.detect.DetectorException;
import dev.edgeagent.detect.DropReason;
import dev.edgeagent.detect.ObjectClass;
import dev.edgeagent.redact.AnonymizedFrame;
import dev.edgeagent.redact.PlatesInsideFaces;
import dev.edgeagent.track.BoxTracker;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One frame through detect, track and redact (plates inside a face's redaction left to the
 * face, {@link PlatesInsideFaces}). Fail closed: any fault returns a drop and the raw
 * frame is released here, so it can go nowhere else.
 */
public final class FrameProcessor {
  private static final Logger LOG = LoggerFactory.getLogger(FrameProcessor.class);

  /** Either an anonymized frame or the reason there is none. */
  public record Outcome(AnonymizedFrame frame, DropReason dropped) {}

  private final Components c;

  public FrameProcessor(Components components) {
    this.c = components;
  }

  /** Consumes {@code raw} in every case. */
  public Outcome process(RawFrame raw, BoxTracker tracker) throws InterruptedException {
    try (raw) {
      List<Detection> found;
      try {
        found = c.detection().detect(raw.pixels());
      } catch (DetectorException e) {
        LOG.warn("event=frame_dropped camera={} seq={} reason={} detail=\"{}\"",
            raw.meta().cameraId(), raw.meta().sequence(), e.reason().label(), e.getMessage());
        return drop(raw, e.reason());
      }
      try {
        // Plates a face redaction already covers are not redacted or counted again.
        PlatesInsideFaces.Result toRedact = PlatesInsideFaces.drop(tracker.update(found), c.redactor(),
            raw.pixels().cols(), raw.pixels().rows());
        AnonymizedFrame f = c.redactor().redact(raw, toRedact.kept(), c.detection().models(), c.faceThreshold());
        c.metrics().regionsRedacted("face", f.count(ObjectClass.FACE));
        c.metrics().regionsRedacted("plate", f.count(ObjectClass.PLATE));
        c.metrics().platesInsideFaces(toRedact.dropped());
        return new Outcome(f, null);
      } catch (RuntimeException e) {
        LOG.warn("event=frame_dropped camera={} seq={} reason=redaction_error detail=\"{}\"",
            raw.meta().cameraId(), raw.meta().sequence(), e.toString());
        return drop(raw, DropReason.REDACTION_ERROR);
      }
    }
  }

  private Outcome drop(RawFrame raw, DropReason reason) {
    c.metrics().frameDropped(raw.meta().cameraId(), reason);
    return new Outcome(null, reason);
  }
}
