package dev.edgeagent.capture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads still images (one file, or every image in a folder in name order). An unreadable image
 * is skipped, logged and counted in {@link #unreadable()}, so one bad file does not stop a batch.
 * So is one over the {@link ImageLimits}, checked on its header before it is decoded: the
 * decoder would otherwise allocate whatever a crafted header claims, or throw.
 * The images are unrelated photos ({@link #continuous()} false) unless the folder was declared a
 * sequence, e.g. frames extracted from a video.
 */
public final class ImageFolderSource implements FrameSource {
  private static final Logger LOG = LoggerFactory.getLogger(ImageFolderSource.class);
  /** File extensions read as images (lower case), everywhere the agent decides by name. */
  public static final Set<String> EXTENSIONS =
      Set.of("jpg", "jpeg", "png", "bmp", "tif", "tiff", "webp", "ppm", "pgm");

  private final String cameraId;
  private final List<Path> files;
  private final boolean continuous;
  private final ImageLimits limits;
  private final List<String> unreadableReasons = new java.util.ArrayList<>();
  private int index;
  private long sequence;
  private long unreadable;

  /** Reasons kept for the summary; the count stays exact beyond them. */
  private static final int REASONS_KEPT = 20;

  ImageFolderSource(String cameraId, List<Path> files, boolean continuous, ImageLimits limits) {
    OpenCv.ensureLoaded();
    this.cameraId = cameraId;
    this.files = files;
    this.continuous = continuous;
    this.limits = limits;
  }

  public static boolean isImage(Path p) {
    String name = p.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  static List<Path> listImages(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile).filter(ImageFolderSource::isImage).sorted().toList();
    }
  }

  @Override
  public RawFrame next() {
    while (index < files.size()) {
      Path p = files.get(index++);
      Mat m;
      try {
        limits.check(p);
        m = Imgcodecs.imread(p.toString(), Imgcodecs.IMREAD_COLOR);
      } catch (CaptureException e) {
        skip(p, e.getMessage());
        continue;
      } catch (RuntimeException e) {
        // OpenCV's own refusals (CvException) are bad input too, not a reason to stop the batch.
        skip(p, p.getFileName() + ": the decoder refused it: " + e.getMessage());
        continue;
      }
      if (m.empty()) {
        m.release();
        skip(p, p.getFileName() + ": cannot be decoded");
        continue;
      }
      FrameMeta meta = FrameMeta.capturedNow(cameraId, sequence++, m.cols(), m.rows(), p.getFileName().toString());
      return new RawFrame(meta, m);
    }
    return null;
  }

  private void skip(Path p, String reason) {
    unreadable++;
    if (unreadableReasons.size() < REASONS_KEPT) {
      unreadableReasons.add(reason);
    }
    LOG.warn("event=image_unreadable file=\"{}\" reason=\"{}\"", p, reason);
  }

  /** Files that could not be decoded, or were not because they are over the limits. */
  @Override
  public long unreadable() {
    return unreadable;
  }

  /** Why, for the first {@value #REASONS_KEPT} of them: file name and cause. */
  public List<String> unreadableReasons() {
    return List.copyOf(unreadableReasons);
  }

  @Override
  public long expectedFrames() {
    return files.size();
  }

  @Override
  public String cameraId() {
    return cameraId;
  }

  @Override
  public boolean live() {
    return false;
  }

  @Override
  public boolean continuous() {
    return continuous;
  }

  @Override
  public void close() {
    index = files.size();
  }
}
