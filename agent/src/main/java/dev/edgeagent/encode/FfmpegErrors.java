package dev.edgeagent.encode;

import org.bytedeco.ffmpeg.global.avutil;

/** FFmpeg's negative return codes as the sentences FFmpeg itself prints. */
final class FfmpegErrors {
  private FfmpegErrors() {}

  static String text(int code) {
    byte[] buf = new byte[256];
    avutil.av_strerror(code, buf, buf.length);
    int n = 0;
    while (n < buf.length && buf[n] != 0) {
      n++;
    }
    return new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8) + " (" + code + ")";
  }
}
