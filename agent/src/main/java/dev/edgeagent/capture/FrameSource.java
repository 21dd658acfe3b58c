package dev.edgeagent.capture;

/**
 * One camera's frames. A finite source (file, image folder) blocks in {@link #next()} only
 * while decoding, so a slow pipeline slows reading down and nothing is dropped. A live source
 * (V4L2 device, RTSP) decodes on its own thread into a small drop-oldest buffer, so a slow
 * pipeline loses the oldest frames (counted) instead of building a backlog.
 */
public interface FrameSource extends AutoCloseable {

  String cameraId();

  /** True for cameras and streams, which drop old frames when the pipeline is behind. */
  boolean live();

  /**
   * True when consecutive frames are moments of one scene (a video, a live camera, an image
   * folder declared a sequence), so a redaction may be held across frames; false for unrelated
   * stills, which must each be redacted with their own detections only. The default holds:
   * holding can only redact more, never less.
   */
  default boolean continuous() {
    return true;
  }

  /**
   * The next frame, or {@code null} once a finite source is exhausted or a live source was
   * closed. The caller owns (and closes) the returned frame.
   *
   * @throws CaptureException when the input cannot be decoded at all
   */
  RawFrame next() throws CaptureException, InterruptedException;

  /** Frames a live source discarded because the pipeline was behind. Always 0 for files. */
  default long droppedOldest() {
    return 0;
  }

  /**
   * Inputs skipped because they could not be decoded or are over the image limits (an image in
   * a folder); the source went on with the next one. Always 0 for videos and cameras.
   */
  default long unreadable() {
    return 0;
  }

  /**
   * Frames discarded because their sequence number could not be made durable (the disk under
   * the sequence file refused the write); the source went on. Only {@link SequencedSource}.
   */
  default long unsequenced() {
    return 0;
  }

  /** Total frames if known in advance (files, folders), else -1. */
  default long expectedFrames() {
    return -1;
  }

  @Override
  void close();
}
