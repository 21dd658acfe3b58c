package dev.edgeagent.encode;

import dev.edgeagent.redact.AnonymizedFrame;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;
import java.util.List;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Writes anonymized frames to a video file (container from the extension: .mp4, .avi, .mkv,
 * .mov; MPEG-4 Part 2 video at high quality, which every FFmpeg build has). The file is written
 * under a temporary name and renamed on close, so an interrupted run leaves no truncated video
 * under the requested name.
 */
public final class VideoFileWriter implements FrameSink {
  private final Path target;
  private final Path tmp;
  private final double fps;
  private FFmpegFrameRecorder recorder;
  private Frame frame;
  private byte[] row = new byte[0];

  public VideoFileWriter(Path target, double fps) throws IOException {
    this.target = target;
    String name = target.getFileName().toString();
    this.tmp = target.resolveSibling("." + name + ".part" + extension(name));
    this.fps = fps;
    Path parent = target.toAbsolutePath().getParent();
    Files.createDirectories(parent);
  }

  private static String extension(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? ".mp4" : name.substring(dot).toLowerCase(Locale.ROOT);
  }

  @Override
  public void accept(AnonymizedFrame f) throws IOException {
    write(f.pixels());
  }

  /**
   * A video of images already published as anonymized records (the fleet side's `consume
   * --video`), in the given order. Frames of another size are scaled to the first one's.
   *
   * @return frames written
   */
  public static int fromPublishedJpegs(List<Path> jpegs, Path target, double fps) throws IOException {
    VideoFileWriter w = new VideoFileWriter(target, fps);
    int n = 0;
    for (Path p : jpegs) {
      Mat m = Imgcodecs.imread(p.toString(), Imgcodecs.IMREAD_COLOR);
      try {
        if (m.empty()) {
          continue;
        }
        if (w.frame != null && (m.cols() != w.frame.imageWidth || m.rows() != w.frame.imageHeight)) {
          Imgproc.resize(m, m, new Size(w.frame.imageWidth, w.frame.imageHeight));
        }
        w.write(m);
        n++;
      } finally {
        m.release();
      }
    }
    w.close();
    return n;
  }

  private void write(Mat m) throws IOException {
    if (recorder == null) {
      start(m.cols(), m.rows());
    }
    ByteBuffer buf = (ByteBuffer) frame.image[0];
    int rowBytes = m.cols() * 3;
    if (row.length < rowBytes * m.rows()) {
      row = new byte[rowBytes * m.rows()];
    }
    m.get(0, 0, row);
    for (int y = 0; y < m.rows(); y++) {
      buf.position(y * frame.imageStride);
      buf.put(row, y * rowBytes, rowBytes);
    }
    buf.rewind();
    try {
      recorder.record(frame, avutil.AV_PIX_FMT_BGR24);
    } catch (FrameRecorder.Exception e) {
      throw new IOException("video encoding failed: " + e.getMessage(), e);
    }
  }

  private void start(int w, int h) throws IOException {
    recorder = new FFmpegFrameRecorder(tmp.toString(), w, h, 0);
    String ext = extension(target.getFileName().toString());
    recorder.setFormat(switch (ext) {
      case ".avi" -> "avi";
      case ".mkv" -> "matroska";
      case ".mov" -> "mov";
      default -> "mp4";
    });
    recorder.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
    recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
    recorder.setFrameRate(fps);
    recorder.setVideoQuality(2); // qscale 2: near-transparent for MPEG-4 Part 2
    recorder.setGopSize((int) Math.max(1, Math.round(fps)));
    try {
      recorder.start();
    } catch (FrameRecorder.Exception e) {
      throw new IOException("cannot create video " + target + ": " + e.getMessage(), e);
    }
    frame = new Frame(w, h, Frame.DEPTH_UBYTE, 3);
  }

  @Override
  public void close() throws IOException {
    if (recorder == null) {
      return;
    }
    try {
      recorder.stop();
      recorder.release();
    } catch (FrameRecorder.Exception e) {
      throw new IOException("cannot finish video " + target + ": " + e.getMessage(), e);
    }
    recorder = null;
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
