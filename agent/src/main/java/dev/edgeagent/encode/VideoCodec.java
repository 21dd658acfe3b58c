package dev.edgeagent.encode;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * The video encoders a written video can use, all in the FFmpeg build the project ships (no
 * GPL encoder is in it, so H.264 is Cisco's OpenH264). Each maps the one quality number users
 * know, x264's CRF (0 best, 51 worst, about 18-23 transparent), onto its own quality control.
 */
public enum VideoCodec {
  /** H.264 (OpenH264): plays everywhere; the default for .mp4, .mov and .mkv. */
  H264("libopenh264", avutil.AV_PIX_FMT_YUV420P),
  /** MPEG-4 Part 2: FFmpeg's own encoder, fast; the default for .avi. */
  MPEG4("mpeg4", avutil.AV_PIX_FMT_YUV420P),
  /** VP9 (libvpx): smaller files at the same quality, slower; the default for .webm. */
  VP9("libvpx-vp9", avutil.AV_PIX_FMT_YUV420P),
  /** AV1 (SVT-AV1): smallest files, slowest. */
  AV1("libsvtav1", avutil.AV_PIX_FMT_YUV420P),
  /** FFV1: lossless (CRF ignored); .mkv or .avi only. */
  FFV1("ffv1", avutil.AV_PIX_FMT_YUV420P),
  /** Motion JPEG: every frame a JPEG, for editing tools that want intra-only video. */
  MJPEG("mjpeg", avutil.AV_PIX_FMT_YUVJ420P);

  private final String encoder;
  private final int pixelFormat;

  VideoCodec(String encoder, int pixelFormat) {
    this.encoder = encoder;
    this.pixelFormat = pixelFormat;
  }

  /** FFmpeg's name of the encoder. */
  public String encoder() {
    return encoder;
  }

  int pixelFormat() {
    return pixelFormat;
  }

  /** The codec for a name as users type it (h264, mpeg4, vp9, av1, ffv1, mjpeg). */
  public static VideoCodec parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown video codec '" + name + "'; choose one of "
          + Arrays.stream(values()).map(VideoCodec::label).toList());
    }
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The default for a container, from the output file's extension (with the dot). */
  public static VideoCodec defaultFor(String extension) {
    return switch (extension) {
      case ".avi" -> MPEG4;
      case ".webm" -> VP9;
      default -> H264;
    };
  }

  /**
   * Applies CRF {@code crf} (0-51) to the encoder context before it is opened and returns the
   * encoder's private options.
   */
  Map<String, String> applyQuality(AVCodecContext c, int crf) {
    return switch (this) {
      case H264 -> {
        // OpenH264 has no CRF; a fixed quantiser range around the CRF, with the rate control
        // in quality mode and frame skipping off (a skipped frame would break the frame count).
        c.qmin(Math.max(1, crf - 2));
        c.qmax(Math.min(51, crf + 2));
        c.bit_rate(0);
        yield Map.of("rc_mode", "quality", "allow_skip_frames", "0");
      }
      case MPEG4, MJPEG -> {
        c.flags(c.flags() | avcodec.AV_CODEC_FLAG_QSCALE);
        c.global_quality(avutil.FF_QP2LAMBDA * linearQuantiser(crf));
        yield Map.of();
      }
      case VP9 -> {
        c.bit_rate(0);
        yield Map.of("crf", Integer.toString(Math.min(63, Math.round(crf * 63f / 51f))), "row-mt", "1",
            "deadline", "good", "cpu-used", "5");
      }
      case AV1 -> Map.of("crf", Integer.toString(Math.min(63, Math.round(crf * 63f / 51f))), "preset", "8");
      case FFV1 -> Map.of("level", "3");
    };
  }

  /**
   * The MPEG-4 Part 2 / JPEG quantiser (1-31) with about the step size of H.264's quantiser
   * {@code crf}: H.264's step doubles every 6 and is 0.625 at 0; MPEG-4's step is twice its
   * quantiser.
   */
  static int linearQuantiser(int crf) {
    double step = 0.625 * Math.pow(2, crf / 6.0);
    return (int) Math.max(1, Math.min(31, Math.round(step / 2)));
  }
}
