package dev.edgeagent.capture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Opens the right {@link FrameSource} for an input string: device, stream, folder, image or video file. */
public final class Sources {
  private Sources() {}

  /** Whether the input names a live source (camera device or network stream). */
  public static boolean isLive(String input) {
    return input.startsWith("/dev/video") || input.matches("^(rtsp|rtsps|rtmp|http|https|udp|srt)://.*");
  }

  /** Opens {@code input}; an image folder's images count as unrelated stills. */
  public static FrameSource open(String cameraId, String input, int liveBuffer) throws CaptureException {
    return open(cameraId, input, liveBuffer, false);
  }

  /**
   * @param liveBuffer frames a live source may hold while the pipeline is busy (drop-oldest)
   * @param stillsAreSequence an image folder holds frames of one sequence (extracted video
   *     frames), so redactions are held across them; videos and live sources always are one
   */
  public static FrameSource open(String cameraId, String input, int liveBuffer, boolean stillsAreSequence)
      throws CaptureException {
    return open(cameraId, input, liveBuffer, stillsAreSequence, ImageLimits.defaults());
  }

  /** As {@link #open(String, String, int, boolean)}, images checked against {@code limits} before decoding. */
  public static FrameSource open(String cameraId, String input, int liveBuffer, boolean stillsAreSequence,
      ImageLimits limits) throws CaptureException {
    if (input.startsWith("/dev/video")) {
      if (!Files.exists(Path.of(input))) {
        throw new CaptureException("camera device " + input + " does not exist", true);
      }
      return new LiveSource(new FfmpegSource(cameraId, input, "video4linux2"), liveBuffer);
    }
    if (isLive(input)) {
      return new LiveSource(new FfmpegSource(cameraId, input, null), liveBuffer);
    }
    Path path = Path.of(input);
    if (!Files.exists(path)) {
      throw new CaptureException("input " + input + " does not exist", true);
    }
    if (!Files.isReadable(path)) {
      throw new CaptureException("input " + input + " is not readable (permissions)", true);
    }
    if (Files.isDirectory(path)) {
      try {
        List<Path> images = ImageFolderSource.listImages(path);
        if (images.isEmpty()) {
          throw new CaptureException("folder " + input + " holds no images (extensions: "
              + String.join(", ", ImageFolderSource.EXTENSIONS) + ")", true);
        }
        return new ImageFolderSource(cameraId, images, stillsAreSequence, limits);
      } catch (IOException e) {
        throw new CaptureException("cannot list " + input + ": " + e.getMessage(), true, e);
      }
    }
    if (ImageFolderSource.isImage(path)) {
      return new ImageFolderSource(cameraId, List.of(path), stillsAreSequence, limits);
    }
    return new FfmpegSource(cameraId, input, null);
  }

  /**
   * Video frames the file's header declares (not estimated), or -1 for anything that is not a
   * video file or declares none: a decoded count below it means the file was cut short.
   */
  public static long declaredFrames(FrameSource source) {
    return source instanceof FfmpegSource f ? f.declaredFrames() : -1;
  }

  /**
   * Errors FFmpeg reported while decoding a video file (damaged data, concealed or skipped), 0
   * for any other source. See {@link FfmpegLog} for why this is counted.
   */
  public static long decodeErrors(FrameSource source) {
    return source instanceof FfmpegSource f ? f.decodeErrors() : 0;
  }

  /** Whether the source decodes a video file (not a camera, a stream or images). */
  public static boolean isVideoFile(FrameSource source) {
    return source instanceof FfmpegSource;
  }

  /** The frame rate a video file declares, or 25 for anything else. */
  public static double frameRate(FrameSource source) {
    return source instanceof FfmpegSource f ? f.frameRate() : 25.0;
  }
}
