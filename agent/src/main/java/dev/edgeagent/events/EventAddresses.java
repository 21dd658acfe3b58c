package dev.edgeagent.events;

/** The event bus addresses the agent publishes on; nothing is ever sent to them from outside. */
public final class EventAddresses {
  /** Every frame a camera finished, as a {@link FrameEvent} JSON object (published). */
  public static final String FRAMES = "edgeagent.frames";
  /**
   * A camera changed state (running, retrying, failed, ended), as a {@link CameraStateEvent}
   * JSON object.
   */
  public static final String CAMERA_STATE = "edgeagent.camera.state";
  private static final String PREVIEW = "edgeagent.preview.";

  private EventAddresses() {}

  /**
   * Where a camera's preview goes: a {@link io.vertx.core.buffer.Buffer} holding one JPEG of its
   * anonymized output, at most {@link FrameEvents#previewFps()} per second and only while
   * someone watches ({@link FrameEvents#watchPreview()}). Headers: {@code camera}, {@code seq}.
   */
  public static String preview(String camera) {
    return PREVIEW + camera;
  }
}
