package dev.edgeagent.detect;

import java.util.List;

/**
 * One detected region; {@code score} in [0, 1]. {@code landmarks} are the key points the model
 * returned with it, in frame pixels (YuNet: right eye, left eye, nose tip, right and left mouth
 * corner, as seen in the image), or empty.
 */
public record Detection(ObjectClass cls, Box box, double score, List<Landmark> landmarks) {

  /** A key point in frame pixels. */
  public record Landmark(double x, double y) {}

  public Detection {
    landmarks = List.copyOf(landmarks);
  }

  public Detection(ObjectClass cls, Box box, double score) {
    this(cls, box, score, List.of());
  }
}
