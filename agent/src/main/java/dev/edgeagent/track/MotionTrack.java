package dev.edgeagent.track;

import dev.edgeagent.detect.Box;
import dev.edgeagent.detect.Detection;
import dev.edgeagent.detect.ObjectClass;

/**
 * One tracked object: its box's centre and size under {@link KalmanAxis} constant-velocity
 * filters, and how the detector has seen it lately. Every noise figure is a fraction of the
 * object's size, so a 20 px face and a 200 px face behave alike in relative terms.
 */
final class MotionTrack {
  /** Detector jitter on the centre: a twentieth of the size, plus half a pixel. */
  private static final double CENTRE_JITTER = 0.05;
  /** A new object may already move about its own size per frame (a face 40 px a frame). */
  private static final double BIRTH_SPEED = 0.6;
  /** How much the centre's velocity may change per frame (turns, stops). */
  private static final double CENTRE_ACCELERATION = 0.1;
  private static final double SIZE_JITTER = 0.05;
  private static final double SIZE_ACCELERATION = 0.02;
  /** A held or back-filled box never reaches further than this many sizes past the estimate. */
  private static final double MAX_REACH = 1.5;

  final long id;
  final ObjectClass cls;
  private final KalmanAxis cx;
  private final KalmanAxis cy;
  private final KalmanAxis w;
  private final KalmanAxis h;
  private Detection last;
  /** Frame index of the last detection, in the tracker's frame count. */
  private long lastSeenFrame;
  private int hits = 1;
  private int misses;
  private final long firstSeenFrame;
  private double bestScore;

  MotionTrack(long id, Detection d, long frame) {
    this.id = id;
    this.cls = d.cls();
    Box b = d.box();
    double s = size(b);
    cx = new KalmanAxis(b.x() + b.w() / 2, centreJitter(s), BIRTH_SPEED * s + 2);
    cy = new KalmanAxis(b.y() + b.h() / 2, centreJitter(s), BIRTH_SPEED * s + 2);
    w = new KalmanAxis(b.w(), SIZE_JITTER * s, SIZE_ACCELERATION * s);
    h = new KalmanAxis(b.h(), SIZE_JITTER * s, SIZE_ACCELERATION * s);
    last = d;
    lastSeenFrame = frame;
    firstSeenFrame = frame;
    bestScore = d.score();
  }

  /** One frame forward. */
  void predict() {
    double s = size(estimate());
    cx.predict(CENTRE_ACCELERATION * s);
    cy.predict(CENTRE_ACCELERATION * s);
    w.predict(SIZE_ACCELERATION * s);
    h.predict(SIZE_ACCELERATION * s);
  }

  /** Folds in a detection matched to this track on frame {@code frame}. */
  void correct(Detection d, long frame) {
    Box b = d.box();
    double s = size(b);
    cx.update(b.x() + b.w() / 2, centreJitter(s));
    cy.update(b.y() + b.h() / 2, centreJitter(s));
    w.update(b.w(), SIZE_JITTER * s);
    h.update(b.h(), SIZE_JITTER * s);
    last = d;
    lastSeenFrame = frame;
    hits++;
    misses = 0;
    bestScore = Math.max(bestScore, d.score());
  }

  void missed() {
    misses++;
  }

  /** The filter's box now (after {@link #predict}: the prediction; after {@link #correct}: the estimate). */
  Box estimate() {
    double bw = Math.max(1, w.position());
    double bh = Math.max(1, h.position());
    return new Box(cx.position() - bw / 2, cy.position() - bh / 2, bw, bh);
  }

  /**
   * The estimate grown by {@code sigmas} standard deviations of its centre and size on every
   * side, times {@code scale} (which lets a caller take out a margin that will be added later).
   */
  Box uncertain(double sigmas, double scale) {
    Box e = estimate();
    double s = size(e);
    double gx = scale * Math.min(MAX_REACH * s, sigmas * (cx.positionSigma() + w.positionSigma() / 2));
    double gy = scale * Math.min(MAX_REACH * s, sigmas * (cy.positionSigma() + h.positionSigma() / 2));
    return new Box(e.x() - gx, e.y() - gy, e.w() + 2 * gx, e.h() + 2 * gy);
  }

  /**
   * Where the object was {@code framesBefore} frames before its last detection, run back along
   * its velocity, grown by {@code sigmas} standard deviations of that guess (which grow with the
   * distance in time, as the velocity's uncertainty adds up), times {@code scale}.
   */
  Box before(int framesBefore, double sigmas, double scale) {
    Box b = last.box();
    double s = size(b);
    double k = framesBefore;
    double ox = -k * cx.velocity();
    double oy = -k * cy.velocity();
    double gx = scale * Math.min(MAX_REACH * s, sigmas * Math.hypot(cx.positionSigma(), k * cx.velocitySigma()));
    double gy = scale * Math.min(MAX_REACH * s, sigmas * Math.hypot(cy.positionSigma(), k * cy.velocitySigma()));
    return new Box(b.x() + ox - gx, b.y() + oy - gy, b.w() + 2 * gx, b.h() + 2 * gy);
  }

  Detection last() {
    return last;
  }

  long lastSeenFrame() {
    return lastSeenFrame;
  }

  /**
   * Whether the detector has seen this object twice, once at {@code minScore} or more: until
   * then it may be a false detection (they flicker, and score low).
   */
  boolean confirmed(double minScore) {
    return hits >= 2 && bestScore >= minScore;
  }

  long firstSeenFrame() {
    return firstSeenFrame;
  }

  int misses() {
    return misses;
  }

  static double size(Box b) {
    return Math.max(1, Math.max(b.w(), b.h()));
  }

  private static double centreJitter(double size) {
    return CENTRE_JITTER * size + 0.5;
  }
}
