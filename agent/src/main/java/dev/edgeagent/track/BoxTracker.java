package dev.edgeagent.track;

import dev.edgeagent.detect.Box;
import dev.edgeagent.detect.Detection;
import dev.edgeagent.detect.ObjectClass;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Keeps redactions on moving objects across detector misses, one tracker per camera.
 * Each track follows its box with constant-velocity filters ({@link MotionTrack}); a frame's
 * detections are matched to the tracks' predicted boxes (a detection whose centre falls inside
 * a track's prediction grown by its uncertainty, nearest first). A matched track redacts the
 * detection and its estimate together, so filtering never uncovers a detected pixel; a missed
 * track is redacted at its predicted box, grown by its uncertainty, for {@code holdFrames}
 * frames; it is remembered (not redacted) for as many frames as the look-back reaches, so a gap
 * longer than the hold is still filled in when the object is found again, then forgotten.
 *
 * <p>With a look-back of K frames (the look-ahead line in front of redaction), each step also
 * returns {@link Revision}s of the K frames before it: a new track's box run back in time (the
 * frames before a detector first finds an object; for an unconfirmed track only a short way),
 * run back along its measured velocity once it is confirmed, and gaps between two detections of
 * one track filled by interpolation. {@link #end()} runs the unconfirmed ones back at the end
 * of a stream, when nothing can confirm them any more.
 *
 * <p>A class a frame was not searched for ({@link #step}'s {@code searched}: a detector that runs
 * every N frames) is predicted without counting a miss.
 * Only meaningful across frames of one sequence: between unrelated stills, {@link #reset()}.
 * Not thread-safe: a camera's frames are processed in order on one thread.
 */
public final class BoxTracker {
  /** A detection matches a track when its centre lies within this many sigmas of the prediction. */
  private static final double GATE_SIGMAS = 3;
  /** Held and back-filled boxes cover this many sigmas of the estimate's uncertainty. */
  private static final double COVER_SIGMAS = 2;
  /** Sizes of a matched detection and track may differ at most by this factor. */
  private static final double MAX_SIZE_RATIO = 2;
  /**
   * A track not yet confirmed may be a false detection (detectors flicker, and false detections
   * score low): it is held and run back at most this many frames until it is confirmed, which
   * then runs it back along its measured velocity as far as the look-back reaches.
   */
  private static final int TENTATIVE_FRAMES = 2;
  /** A track is confirmed by two detections, one of them scoring at least this. */
  private static final double CONFIRM_SCORE = 0.55;
  /** An interpolated box grows by this fraction of its size per frame away from a detection. */
  private static final double INTERPOLATION_SLACK = 0.03;

  private static final Set<ObjectClass> ALL = EnumSet.allOf(ObjectClass.class);

  private final int holdFrames;
  private final int lookBackFrames;
  /** Uncertainty growth is multiplied by this, since the redactor grows every box by its margin again. */
  private final double growthScale;
  private final List<MotionTrack> tracks = new ArrayList<>();
  private long frame = -1;
  private long nextId;

  /** What to redact on the current frame, and revisions of earlier frames. */
  public record Step(List<TrackedBox> now, List<Revision> past) {
    /** The current frame's boxes without their track ids. */
    public List<Detection> detections() {
      return now.stream().map(TrackedBox::detection).toList();
    }
  }

  /** A tracker without look-back (nothing can be revised), for boxes redacted without a margin. */
  public BoxTracker(int holdFrames) {
    this(holdFrames, 0, 0);
  }

  /**
   * @param holdFrames frames a missed track stays redacted
   * @param lookBackFrames how many earlier frames can still take a revision (the look-ahead line)
   * @param redactionMargin the margin the redactor adds to every box, as a fraction of its size
   *     on each side: a held box is grown by its uncertainty in pixels of the object, not of
   *     the grown box, so the growth handed on is shrunk to come out right after the margin
   */
  public BoxTracker(int holdFrames, int lookBackFrames, double redactionMargin) {
    if (holdFrames < 0 || lookBackFrames < 0 || redactionMargin < 0) {
      throw new IllegalArgumentException("hold, look-back and margin must be >= 0");
    }
    this.holdFrames = holdFrames;
    this.lookBackFrames = lookBackFrames;
    this.growthScale = 1 / (1 + 2 * redactionMargin);
  }

  /** Every class searched; returns what to redact on this frame. */
  public List<Detection> update(List<Detection> detections) {
    return step(detections, ALL).detections();
  }

  /**
   * The next frame.
   *
   * @param detections what the detectors found on it
   * @param searched the classes the detectors looked for on it; tracks of other classes are
   *     carried by prediction without counting a miss
   */
  public Step step(List<Detection> detections, Set<ObjectClass> searched) {
    frame++;
    tracks.forEach(MotionTrack::predict);
    List<TrackedBox> now = new ArrayList<>();
    List<Revision> past = new ArrayList<>();
    boolean[] matched = new boolean[tracks.size()];
    boolean[] used = new boolean[detections.size()];
    for (Candidate c : candidates(detections)) {
      if (matched[c.track] || used[c.detection]) {
        continue;
      }
      matched[c.track] = true;
      used[c.detection] = true;
      follow(tracks.get(c.track), detections.get(c.detection), now, past);
    }
    int existing = tracks.size();
    for (int i = 0; i < detections.size(); i++) {
      if (!used[i]) {
        begin(detections.get(i), now, past);
      }
    }
    Iterator<MotionTrack> it = tracks.iterator();
    for (int i = 0; i < existing; i++) {
      MotionTrack t = it.next();
      if (matched[i]) {
        continue;
      }
      if (searched.contains(t.cls)) {
        t.missed();
      }
      int hold = t.confirmed(CONFIRM_SCORE) ? holdFrames : Math.min(holdFrames, TENTATIVE_FRAMES);
      if (t.misses() > Math.max(holdFrames, lookBackFrames)) {
        it.remove();
      } else if (t.misses() <= hold) {
        Box held = t.uncertain(COVER_SIGMAS, growthScale);
        now.add(new TrackedBox(t.id, new Detection(t.cls, held, t.last().score())));
      }
      // Past the hold but within the look-back, the track is only remembered: if it is found again,
      // the frames of the gap still in the line are interpolated.
    }
    return new Step(now, past);
  }

  /**
   * The stream ended (or stopped): nothing can confirm a track any more, so the unconfirmed ones
   * are run back from their first detection as far as the look-back reaches after all.
   * Revisions are relative to a next frame that will not come ({@code framesAgo} 1 is the last
   * frame stepped).
   */
  public List<Revision> end() {
    List<Revision> past = new ArrayList<>();
    for (MotionTrack t : tracks) {
      if (t.confirmed(CONFIRM_SCORE)) {
        continue;
      }
      long sinceSeen = frame - t.lastSeenFrame();
      long seenFor = t.lastSeenFrame() - t.firstSeenFrame();
      for (long k = seenFor + TENTATIVE_FRAMES + 1; sinceSeen + k + 1 <= lookBackFrames; k++) {
        Box b = t.before((int) k, COVER_SIGMAS, growthScale);
        past.add(new Revision((int) (sinceSeen + k + 1), t.id, new Detection(t.cls, b, t.last().score())));
      }
    }
    return past;
  }

  /** A matched detection: redact it with the estimate; fill the gap since the last detection. */
  private void follow(MotionTrack t, Detection d, List<TrackedBox> now, List<Revision> past) {
    Box previous = t.last().box();
    long gap = frame - t.lastSeenFrame() - 1;
    boolean wasConfirmed = t.confirmed(CONFIRM_SCORE);
    t.correct(d, frame);
    long firstSeen = !wasConfirmed && t.confirmed(CONFIRM_SCORE) ? t.firstSeenFrame() : -1;
    now.add(new TrackedBox(t.id, new Detection(d.cls(), union(t.estimate(), d.box()), d.score())));
    for (int k = 1; k <= Math.min(gap, lookBackFrames); k++) {
      double f = 1 - k / (double) (gap + 1); // 1 at this frame, 0 at the previous detection
      double slack = INTERPOLATION_SLACK * Math.min(k, gap + 1 - k);
      Box b = lerp(previous, d.box(), f);
      past.add(new Revision(k, t.id, new Detection(d.cls(), b.expand(slack), d.score())));
    }
    if (firstSeen >= 0) {
      // Just confirmed, with a measured velocity: run the frames before the first detection back along it.
      for (long k = frame - firstSeen + 1; k <= lookBackFrames; k++) {
        Box b = t.before((int) k, COVER_SIGMAS, growthScale);
        past.add(new Revision((int) k, t.id, new Detection(d.cls(), b, d.score())));
      }
    }
  }

  /** An unmatched detection starts a track; its box, grown for an unknown velocity, covers the frames before. */
  private void begin(Detection d, List<TrackedBox> now, List<Revision> past) {
    MotionTrack t = new MotionTrack(nextId++, d, frame);
    tracks.add(t);
    now.add(new TrackedBox(t.id, d));
    for (int k = 1; k <= lookBackFrames; k++) {
      if (k > TENTATIVE_FRAMES && k < lookBackFrames) {
        continue; // still in the line when a second detection may confirm the track
      }
      // (the oldest frame leaves the line now: it gets the unconfirmed guess or nothing)
      Box b = t.before(k, COVER_SIGMAS, growthScale);
      past.add(new Revision(k, t.id, new Detection(d.cls(), b, d.score())));
    }
  }

  private record Candidate(int track, int detection, double cost) {}

  /** Track-detection pairs inside the gate, best first. */
  private List<Candidate> candidates(List<Detection> detections) {
    List<Candidate> out = new ArrayList<>();
    for (int i = 0; i < tracks.size(); i++) {
      MotionTrack t = tracks.get(i);
      Box p = t.estimate();
      Box gate = t.uncertain(GATE_SIGMAS, 1);
      for (int j = 0; j < detections.size(); j++) {
        Detection d = detections.get(j);
        if (d.cls() != t.cls || !similarSize(p, d.box())) {
          continue;
        }
        double dx = (d.box().x() + d.box().w() / 2) - (p.x() + p.w() / 2);
        double dy = (d.box().y() + d.box().h() / 2) - (p.y() + p.h() / 2);
        double cost = Math.hypot(dx / (gate.w() / 2), dy / (gate.h() / 2));
        if (cost <= 1) {
          out.add(new Candidate(i, j, cost));
        }
      }
    }
    out.sort(Comparator.comparingDouble(Candidate::cost));
    return out;
  }

  private static boolean similarSize(Box a, Box b) {
    double r = MotionTrack.size(a) / MotionTrack.size(b);
    return r <= MAX_SIZE_RATIO && r >= 1 / MAX_SIZE_RATIO;
  }

  /** Forgets every track, so the next frame is redacted with its own detections only. */
  public void reset() {
    tracks.clear();
  }

  public int activeTracks() {
    return tracks.size();
  }

  private static Box lerp(Box a, Box b, double f) {
    return new Box(a.x() + (b.x() - a.x()) * f, a.y() + (b.y() - a.y()) * f,
        a.w() + (b.w() - a.w()) * f, a.h() + (b.h() - a.h()) * f);
  }

  private static Box union(Box a, Box b) {
    double x0 = Math.min(a.x(), b.x());
    double y0 = Math.min(a.y(), b.y());
    return new Box(x0, y0, Math.max(a.right(), b.right()) - x0, Math.max(a.bottom(), b.bottom()) - y0);
  }
}
