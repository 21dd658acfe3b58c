package dev.edgeagent.capture;

import dev.edgeagent.config.AgentConfig;
import dev.edgeagent.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How large an image file may be before the agent decodes it (capture.max_image_*). Checked on
 * the file's size and its header's declared size before any pixel is decoded: a 1 KB file can
 * declare 50000 x 50000 pixels, and the decoder would try to allocate for all of them.
 */
public record ImageLimits(long maxPixels, long maxSide, long maxBytes) {

  public static ImageLimits from(AgentConfig cfg) {
    return new ImageLimits(cfg.longValue("capture.max_image_pixels"), cfg.longValue("capture.max_image_side"),
        cfg.longValue("capture.max_image_bytes"));
  }

  /** The defaults of the settings, for callers without a config. */
  public static ImageLimits defaults() {
    return from(ConfigLoader.defaults());
  }

  /**
   * @throws CaptureException (not missing: bad data) naming the file, what it declares and the
   *     setting it exceeds, or why its header cannot be read
   */
  public ImageHeader.Size check(Path file) throws CaptureException {
    long bytes;
    ImageHeader.Size size;
    try {
      bytes = Files.size(file);
      if (bytes > maxBytes) {
        throw new CaptureException(file.getFileName() + ": " + bytes + " bytes is over capture.max_image_bytes ("
            + maxBytes + ")", false);
      }
      size = ImageHeader.read(file);
    } catch (IOException e) {
      throw new CaptureException(file.getFileName() + ": unreadable image header: " + e.getMessage(), false, e);
    }
    if (Math.max(size.width(), size.height()) > maxSide) {
      throw new CaptureException(file.getFileName() + ": its header declares " + size.width() + " x " + size.height()
          + " pixels, a side over capture.max_image_side (" + maxSide + ")", false);
    }
    if (size.pixels() > maxPixels) {
      throw new CaptureException(file.getFileName() + ": its header declares " + size.width() + " x " + size.height()
          + " = " + size.pixels() + " pixels, over capture.max_image_pixels (" + maxPixels + ")", false);
    }
    return size;
  }
}
