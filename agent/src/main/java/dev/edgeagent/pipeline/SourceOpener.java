package dev.edgeagent.pipeline;

import dev.edgeagent.capture.CaptureException;
import dev.edgeagent.capture.FrameSource;
import dev.edgeagent.capture.ImageLimits;
import dev.edgeagent.capture.Sources;
import dev.edgeagent.config.AgentConfig;
import dev.edgeagent.config.CameraConfig;

/**
 * Opens a camera's input for one attempt. The agent uses {@link #CONFIGURED}: the device,
 * stream, file or folder the config names. {@code bench --cameras} gives its own, which replays
 * frames already in memory, so several cameras are measured on the same frames without a
 * decoded frame ever being written anywhere.
 */
@FunctionalInterface
public interface SourceOpener {
  SourceOpener CONFIGURED = (cam, cfg) -> Sources.open(cam.id(), cam.input(), cfg.integer("pipeline.live_buffer_frames"),
      cam.sequence(), ImageLimits.from(cfg));

  FrameSource open(CameraConfig camera, AgentConfig cfg) throws CaptureException;
}
