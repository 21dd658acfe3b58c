package dev.edgeagent.track;

import dev.edgeagent.config.AgentConfig;

/**
 * How a camera's redactions follow objects in time: the hold after a miss and the look-ahead
 * before a frame's redaction is final, which differs between live cameras (latency matters) and
 * files (it does not).
 *
 * @param holdFrames frames a missed track stays redacted ({@code track.hold_frames})
 * @param fileLookahead look-ahead of video files and image sequences ({@code track.lookahead_frames})
 * @param liveLookahead look-ahead of live cameras ({@code track.live_lookahead_frames})
 */
public record TrackOptions(int holdFrames, int fileLookahead, int liveLookahead) {
  public TrackOptions {
    if (holdFrames < 0 || fileLookahead < 0 || liveLookahead < 0) {
      throw new IllegalArgumentException("hold and look-ahead frames must be >= 0");
    }
  }

  /** Hold only, no look-ahead (tests, tools that redact frame by frame). */
  public static TrackOptions holdOnly(int holdFrames) {
    return new TrackOptions(holdFrames, 0, 0);
  }

  public static TrackOptions from(AgentConfig cfg) {
    return new TrackOptions(cfg.integer("track.hold_frames"), cfg.integer("track.lookahead_frames"),
        cfg.integer("track.live_lookahead_frames"));
  }

  /**
   * The look-ahead for a source: none for unrelated stills (nothing carries from one to the
   * next), the live one for cameras and streams, the file one otherwise.
   */
  public int lookaheadFor(boolean continuous, boolean live) {
    if (!continuous) {
      return 0;
    }
    return live ? liveLookahead : fileLookahead;
  }
}
