package dev.edgeagent.capture;

/**
 * What is known about a frame apart from its pixels. Safe to log and to publish: it holds no
 * image data.
 *
 * @param cameraId the configured camera id
 * @param sequence per-camera sequence number, starting at 0 for each source opening
 * @param wallMillis capture time, wall clock (epoch milliseconds)
 * @param monotonicNanos capture time, monotonic clock ({@link System#nanoTime()} domain)
 * @param width frame width in pixels
 * @param height frame height in pixels
 * @param sourceName file name or stream name the frame came from (for batch output naming)
 * @param mediaMicros the frame's presentation time in its source video, microseconds, as the
 *     demuxer gives it (so a video written from these frames keeps the source's timing,
 *     variable frame rate included); {@link #NO_MEDIA_TIME} for stills and sources without one
 */
public record FrameMeta(
    String cameraId,
    long sequence,
    long wallMillis,
    long monotonicNanos,
    int width,
    int height,
    String sourceName,
    long mediaMicros) {

  /** {@link #mediaMicros} of a frame that has no presentation time in a source video. */
  public static final long NO_MEDIA_TIME = Long.MIN_VALUE;

  public FrameMeta(String cameraId, long sequence, long wallMillis, long monotonicNanos, int width, int height,
      String sourceName) {
    this(cameraId, sequence, wallMillis, monotonicNanos, width, height, sourceName, NO_MEDIA_TIME);
  }

  /** Metadata of a frame captured now (wall and monotonic clocks read at this call). */
  public static FrameMeta capturedNow(String cameraId, long sequence, int width, int height, String sourceName) {
    return new FrameMeta(cameraId, sequence, System.currentTimeMillis(), System.nanoTime(), width, height,
        sourceName);
  }

  public FrameMeta withSequence(long newSequence) {
    return new FrameMeta(cameraId, newSequence, wallMillis, monotonicNanos, width, height, sourceName, mediaMicros);
  }

  public FrameMeta withSize(int newWidth, int newHeight) {
    return new FrameMeta(cameraId, sequence, wallMillis, monotonicNanos, newWidth, newHeight, sourceName,
        mediaMicros);
  }

  public FrameMeta withMediaMicros(long micros) {
    return new FrameMeta(cameraId, sequence, wallMillis, monotonicNanos, width, height, sourceName, micros);
  }

  /** Whether the frame carries a presentation time from its source video. */
  public boolean hasMediaTime() {
    return mediaMicros != NO_MEDIA_TIME;
  }
}
