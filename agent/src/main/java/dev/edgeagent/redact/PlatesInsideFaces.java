package dev.edgeagent.redact;

import dev.edgeagent.detect.Box;
import dev.edgeagent.detect.Detection;
import dev.edgeagent.detect.ObjectClass;
import java.util.ArrayList;
import java.util.List;

/**
 * No plates inside faces: a plate detection whose detected box lies entirely inside the box a
 * face detection of the same frame is redacted with ({@link Redactor#redactedBox}, margin
 * included), give or take {@link #TOLERANCE_PX}, is neither redacted nor counted as a plate;
 * the face's redaction already removes those pixels (text detectors find "plates" on eyes and
 * lettering inside faces). Only containment drops a plate: one that merely overlaps a face, or
 * reaches out of the face's redacted box by more than the tolerance, is kept.
 */
public final class PlatesInsideFaces {
  /** How far (px) a plate's detected box may reach past a face's redacted box and still be inside. */
  static final double TOLERANCE_PX = 1.0;

  /** The detections to redact, and how many plates were left out as inside a face. */
  public record Result(List<Detection> kept, int dropped) {}

  private PlatesInsideFaces() {}

  /**
   * @param detections everything to redact on one {@code width} x {@code height} frame (faces
   *     held by the tracker count: they are redacted on this frame too)
   * @param redactor the redactor that will redact {@code kept}, whose margin makes the face boxes
   */
  public static Result drop(List<Detection> detections, Redactor redactor, int width, int height) {
    List<Box> faces = new ArrayList<>();
    for (Detection d : detections) {
      if (d.cls() == ObjectClass.FACE) {
        Box r = redactor.redactedBox(d.box(), width, height);
        if (r.area() > 0) {
          faces.add(r);
        }
      }
    }
    if (faces.isEmpty()) {
      return new Result(detections, 0);
    }
    List<Detection> kept = new ArrayList<>(detections.size());
    int dropped = 0;
    for (Detection d : detections) {
      if (d.cls() == ObjectClass.PLATE && faces.stream().anyMatch(f -> inside(d.box(), f))) {
        dropped++;
      } else {
        kept.add(d);
      }
    }
    return new Result(kept, dropped);
  }

  /** Whether {@code plate} lies entirely inside {@code faceRedacted}, give or take the tolerance. */
  static boolean inside(Box plate, Box faceRedacted) {
    return plate.x() >= faceRedacted.x() - TOLERANCE_PX
        && plate.y() >= faceRedacted.y() - TOLERANCE_PX
        && plate.right() <= faceRedacted.right() + TOLERANCE_PX
        && plate.bottom() <= faceRedacted.bottom() + TOLERANCE_PX;
  }
}
