package dev.edgeagent.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Non-maximum suppression for detections of one class. */
public final class Nms {
  private Nms() {}

  /**
   * Weighted NMS as MediaPipe does for BlazeFace: overlapping candidates (IoU above
   * {@code iouThreshold}) are merged into one box, the score-weighted mean of the group,
   * keeping the group's best score (and
   * its landmarks). Steadier boxes than plain NMS on video.
   */
  public static List<Detection> weighted(List<Detection> in, double iouThreshold) {
    List<Detection> remaining = new ArrayList<>(in);
    remaining.sort(Comparator.comparingDouble(Detection::score).reversed());
    List<Detection> out = new ArrayList<>();
    while (!remaining.isEmpty()) {
      Detection best = remaining.get(0);
      double sw = 0;
      double x = 0;
      double y = 0;
      double r = 0;
      double b = 0;
      List<Detection> rest = new ArrayList<>();
      for (Detection d : remaining) {
        if (d.box().iou(best.box()) > iouThreshold) {
          sw += d.score();
          x += d.score() * d.box().x();
          y += d.score() * d.box().y();
          r += d.score() * d.box().right();
          b += d.score() * d.box().bottom();
        } else {
          rest.add(d);
        }
      }
      out.add(new Detection(best.cls(), new Box(x / sw, y / sw, (r - x) / sw, (b - y) / sw),
          best.score(), best.landmarks()));
      remaining = rest;
    }
    return out;
  }
}
