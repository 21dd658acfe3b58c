package dev.edgeagent.config;

/**
 * One camera: its id (used in record keys and metrics), its input (file, folder, device, URL)
 * and, for an image folder, whether its images are frames of one sequence (redactions held
 * across them) rather than unrelated photos. Videos and live inputs are always a sequence.
 */
public record CameraConfig(String id, String input, boolean sequence) {

  public CameraConfig(String id, String input) {
    this(id, input, false);
  }
}
