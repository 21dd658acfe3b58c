package dev.edgeagent.capture;

import org.opencv.core.Core;
import org.opencv.core.Mat;

/**
 * A video's display rotation (the matrix phones and some cameras store instead of rotating the
 * pixels), as the quarter turns that make a decoded frame upright. Detection runs on upright
 * frames, because the face detectors look for upright faces; a video writer turns the frames
 * back and keeps the source's matrix, so the output is stored like its input.
 */
public enum DisplayRotation {
  NONE(-1, -1),
  CLOCKWISE_90(Core.ROTATE_90_CLOCKWISE, Core.ROTATE_90_COUNTERCLOCKWISE),
  HALF_TURN(Core.ROTATE_180, Core.ROTATE_180),
  COUNTERCLOCKWISE_90(Core.ROTATE_90_COUNTERCLOCKWISE, Core.ROTATE_90_CLOCKWISE);

  private final int upright;
  private final int back;

  DisplayRotation(int upright, int back) {
    this.upright = upright;
    this.back = back;
  }

  /**
   * From FFmpeg's display rotation ({@code av_display_rotation_get}: degrees the stored frame
   * is rotated counter-clockwise), rounded to the nearest quarter turn, as FFmpeg's own
   * auto-rotation does.
   */
  public static DisplayRotation fromFfmpegDegrees(double degrees) {
    if (!Double.isFinite(degrees)) {
      return NONE;
    }
    long quarter = Math.floorMod(Math.round(-degrees / 90.0), 4);
    return values()[(int) quarter];
  }

  /** Turns a decoded frame upright in place; a no-op for {@link #NONE}. */
  public void toUpright(Mat m) {
    if (upright >= 0) {
      Core.rotate(m, m, upright);
    }
  }

  /** Turns an upright frame back to the stored orientation, in place. */
  public void toStored(Mat m) {
    if (back >= 0) {
      Core.rotate(m, m, back);
    }
  }

  /** Whether width and height swap between the stored and the upright frame. */
  public boolean swapsSides() {
    return this == CLOCKWISE_90 || this == COUNTERCLOCKWISE_90;
  }
}
