package dev.edgeagent.encode;

/**
 * How a video is written: which encoder, at which quality, and whether the source's other
 * streams (audio, subtitles) are copied. Validated when built, so a bad value fails before any
 * frame is decoded.
 *
 * @param codec the video encoder, or null for the container's default ({@link VideoCodec#defaultFor})
 * @param crf quality on x264's CRF scale, 0 (best) to 51 (worst)
 * @param copyAudio copy the source's audio streams unchanged (bit for bit)
 * @param copySubtitles copy the source's subtitle streams (text tracks, drone telemetry) unchanged
 */
public record VideoOptions(VideoCodec codec, int crf, boolean copyAudio, boolean copySubtitles) {
  /** Visually transparent for all the encoders here, at a moderate size. */
  public static final int DEFAULT_CRF = 20;

  public VideoOptions {
    if (crf < 0 || crf > 51) {
      throw new IllegalArgumentException("CRF must be between 0 (best) and 51 (worst), not " + crf);
    }
  }

  /** The defaults: the container's codec at CRF 20, audio and subtitles copied. */
  public static VideoOptions defaults() {
    return new VideoOptions(null, DEFAULT_CRF, true, true);
  }

  VideoCodec codecFor(String extension) {
    return codec != null ? codec : VideoCodec.defaultFor(extension);
  }
}
