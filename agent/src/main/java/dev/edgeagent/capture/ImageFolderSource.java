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
  private int index;
  private long sequence;
  private long unreadable;

  ImageFolderSource(String cameraId, List<Path> files, boolean continuous) {
    OpenCv.ensureLoaded();
    this.cameraId = cameraId;
    this.files = files;
    this.continuous = continuous;
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
      Mat m = Imgcodecs.imread(p.toString(), Imgcodecs.IMREAD_COLOR);
      if (m.empty()) {
        unreadable++;
        LOG.warn("event=image_unreadable file=\"{}\"", p);
        continue;
      }
      FrameMeta meta = FrameMeta.capturedNow(cameraId, sequence++, m.cols(), m.rows(), p.getFileName().toString());
      return new RawFrame(meta, m);
    }
    return null;
  }

  /** Files that could not be decoded. */
  public long unreadable() {
    return unreadable;
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
