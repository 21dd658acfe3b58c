package dev.edgeagent.capture;

import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.ffmpeg.avutil.LogCallback;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FFmpeg's log, routed to ours and counted. A damaged stretch of a video is decoded with
 * concealment ("ac-tex damaged", "Error at MB"): the frame count comes out right and only
 * FFmpeg's error log says the pixels were guessed. Counting those errors is what lets a batch
 * report a partly unreadable input instead of calling it complete. FFmpeg has one log for the
 * whole process, so the count is process-wide: a reader takes the difference over its own run.
 */
public final class FfmpegLog extends LogCallback {
  private static final Logger LOG = LoggerFactory.getLogger(FfmpegLog.class);
  private static final AtomicLong ERRORS = new AtomicLong();
  /** Held for the life of the process: native code calls it. */
  private static final FfmpegLog INSTANCE = new FfmpegLog();
  private static boolean installed;

  private FfmpegLog() {}

  /** Routes FFmpeg's log here (once); messages below error level are dropped, as FFmpeg's own would be. */
  public static synchronized void install() {
    if (!installed) {
      avutil.av_log_set_level(avutil.AV_LOG_ERROR);
      avutil.setLogCallback(INSTANCE);
      installed = true;
    }
  }

  /** FFmpeg errors logged in this process so far. */
  public static long errors() {
    return ERRORS.get();
  }

  @Override
  public void call(int level, BytePointer msg) {
    if (level > avutil.AV_LOG_ERROR) {
      return;
    }
    ERRORS.incrementAndGet();
    LOG.warn("event=ffmpeg_error detail=\"{}\"", msg == null ? "" : msg.getString().strip().replace('"', '\''));
  }
}
