package dev.edgeagent.track;

/**
 * One coordinate of a track (a centre or a size) under a constant-velocity model: position and
 * velocity in pixels and pixels per frame, with their 2 x 2 covariance. A box is four of these,
 * independent, which is the usual simplification (SORT does the same with one 7-state filter
 * whose blocks barely couple). Time is counted in frames, so {@link #predict} is one frame.
 */
final class KalmanAxis {
  private double position;
  private double velocity;
  private double pp;
  private double pv;
  private double vv;

  /**
   * @param measured the first measurement
   * @param measurementSigma its standard deviation (px)
   * @param velocitySigma how fast it may already be moving, unknown so far (px per frame)
   */
  KalmanAxis(double measured, double measurementSigma, double velocitySigma) {
    position = measured;
    velocity = 0;
    pp = measurementSigma * measurementSigma;
    pv = 0;
    vv = velocitySigma * velocitySigma;
  }

  /**
   * One frame forward; {@code accelerationSigma} (px per frame squared) is how much the velocity
   * may change in a frame (white-noise acceleration).
   */
  void predict(double accelerationSigma) {
    double q = accelerationSigma * accelerationSigma;
    position += velocity;
    double npp = pp + 2 * pv + vv + q / 4;
    double npv = pv + vv + q / 2;
    double nvv = vv + q;
    pp = npp;
    pv = npv;
    vv = nvv;
  }

  /** Folds in a measurement of the position with standard deviation {@code measurementSigma}. */
  void update(double measured, double measurementSigma) {
    double s = pp + measurementSigma * measurementSigma;
    double kp = pp / s;
    double kv = pv / s;
    double innovation = measured - position;
    position += kp * innovation;
    velocity += kv * innovation;
    double npp = (1 - kp) * pp;
    double npv = (1 - kp) * pv;
    double nvv = vv - kv * pv;
    pp = npp;
    pv = npv;
    vv = nvv;
  }

  double position() {
    return position;
  }

  double velocity() {
    return velocity;
  }

  /** Standard deviation of the position (px). */
  double positionSigma() {
    return Math.sqrt(Math.max(0, pp));
  }

  /** Standard deviation of the velocity (px per frame). */
  double velocitySigma() {
    return Math.sqrt(Math.max(0, vv));
  }
}
