package dev.edgeagent.pipeline;

import dev.edgeagent.capture.RawFrame;
import dev.edgeagent.detect.Detection;
import dev.edgeagent.track.BoxTracker;
import dev.edgeagent.track.Revision;
import dev.edgeagent.track.TrackedBox;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The delay line in front of redaction: the last {@code capacity} raw frames of one camera,
 * each with the boxes the tracker gave it, which later steps may still revise (a track found
 * later run back into them, a gap interpolated). A frame leaves when the line is full, and is
 * redacted then with everything known about it by that time.
 *
 * <p>It holds raw pixels, so it stays inside the pipeline: in memory, bounded, never written or
 * serialized; what leaves goes straight to the redactor ({@link CameraPipeline}), and
 * {@link #close()} releases whatever is left without letting it out.
 * Not thread-safe: one camera thread owns it.
 */
final class LookaheadLine implements AutoCloseable {
  /** A frame waiting for its redaction to become final. */
  static final class Pending {
    private final RawFrame raw;
    private final Map<Long, Detection> byTrack = new LinkedHashMap<>();

    private Pending(RawFrame raw, List<TrackedBox> boxes) {
      this.raw = raw;
      boxes.forEach(b -> byTrack.put(b.trackId(), b.detection()));
    }

    RawFrame raw() {
      return raw;
    }

    /** Every box to redact on this frame, one per track. */
    List<TrackedBox> boxes() {
      List<TrackedBox> out = new ArrayList<>(byTrack.size());
      byTrack.forEach((track, d) -> out.add(new TrackedBox(track, d)));
      return out;
    }
  }

  private final int capacity;
  private final List<Pending> line = new ArrayList<>();
  private long revisions;

  LookaheadLine(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("look-ahead must be >= 0 frames");
    }
    this.capacity = capacity;
  }

  /**
   * Applies the step's revisions to the frames in the line, then adds the new frame.
   *
   * @return the oldest frame when the line was full (the caller redacts it now), else null
   */
  Pending push(RawFrame raw, BoxTracker.Step step) {
    revise(step.past());
    line.add(new Pending(raw, step.now()));
    return line.size() > capacity ? line.remove(0) : null;
  }

  /** Applies revisions counted from the frame after the newest one (1 = the newest in the line). */
  void revise(List<Revision> past) {
    for (Revision r : past) {
      int at = line.size() - r.framesAgo();
      if (at >= 0 && at < line.size()) {
        line.get(at).byTrack.put(r.trackId(), r.detection());
        revisions++;
      }
    }
  }

  /** The oldest frame (at the end of a stream), or null when the line is empty. */
  Pending poll() {
    return line.isEmpty() ? null : line.remove(0);
  }

  int size() {
    return line.size();
  }

  /** Revisions that reached a frame still in the line, since the start. */
  long revisions() {
    return revisions;
  }

  /** Releases the raw pixels of every frame still waiting: none of them may leave any more. */
  @Override
  public void close() {
    line.forEach(p -> p.raw().close());
    line.clear();
  }
}
