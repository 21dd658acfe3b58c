package dev.edgeagent.track;

import dev.edgeagent.detect.Box;
import dev.edgeagent.detect.Detection;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Keeps redactions alive across detector misses, one tracker per camera. Each detection is
 * matched greedily by IoU to a track of its class; a matched track takes the union of its
 * smoothed box and the new box (so smoothing can never uncover part of a detected object);
 * an unmatched track is still redacted for {@code holdFrames} frames, then forgotten.
 * Only meaningful across frames of one sequence: between unrelated stills, {@link #reset()}.
 * Not thread-safe: a camera's frames are processed in order on one thread.
 */
public final class BoxTracker {
  private static final double MATCH_IOU = 0.2;
  private static final double SMOOTHING = 0.5;

  private final int holdFrames;
  private final List<Track> tracks = new ArrayList<>();

  private static final class Track {
    Detection last;
    Box smoothed;
    int misses;

    Track(Detection d) {
      last = d;
      smoothed = d.box();
    }
  }

  public BoxTracker(int holdFrames) {
    this.holdFrames = holdFrames;
  }

  /** Returns what to redact on this frame: the detections plus held boxes of recent misses. */
  public List<Detection> update(List<Detection> detections) {
    List<Detection> out = new ArrayList<>();
    boolean[] matched = new boolean[tracks.size()];
    for (Detection d : detections) {
      int best = -1;
      double bestIou = MATCH_IOU;
      for (int i = 0; i < matched.length; i++) {
        Track t = tracks.get(i);
        double iou = t.smoothed.iou(d.box());
        if (!matched[i] && t.last.cls() == d.cls() && iou >= bestIou) {
          best = i;
          bestIou = iou;
        }
      }
      if (best < 0) {
        tracks.add(new Track(d));
        out.add(d);
        continue;
      }
      matched[best] = true;
      Track t = tracks.get(best);
      t.smoothed = blend(t.smoothed, d.box());
      t.last = d;
      t.misses = 0;
      out.add(new Detection(d.cls(), union(t.smoothed, d.box()), d.score()));
    }
    Iterator<Track> it = tracks.iterator();
    int i = 0;
    while (it.hasNext()) {
      Track t = it.next();
      if (i < matched.length && !matched[i]) {
        t.misses++;
        if (t.misses > holdFrames) {
          it.remove();
        } else {
          out.add(new Detection(t.last.cls(), t.smoothed, t.last.score()));
        }
      }
      i++;
    }
    return out;
  }

  /** Forgets every track, so the next frame is redacted with its own detections only. */
  public void reset() {
    tracks.clear();
  }

  public int activeTracks() {
    return tracks.size();
  }

  private static Box blend(Box a, Box b) {
    double k = SMOOTHING;
    return new Box(a.x() * (1 - k) + b.x() * k, a.y() * (1 - k) + b.y() * k,
        a.w() * (1 - k) + b.w() * k, a.h() * (1 - k) + b.h() * k);
  }

  private static Box union(Box a, Box b) {
    double x0 = Math.min(a.x(), b.x());
    double y0 = Math.min(a.y(), b.y());
    return new Box(x0, y0, Math.max(a.right(), b.right()) - x0, Math.max(a.bottom(), b.bottom()) - y0);
  }
}
