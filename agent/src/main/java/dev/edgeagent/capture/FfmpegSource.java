package dev.edgeagent.capture;

import java.nio.ByteBuffer;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/**
 * Decodes a video file, a V4L2 device or an RTSP stream with FFmpeg (JavaCV), into BGR frames.
 * Used directly for files (pull-based: backpressure) and wrapped in {@link LiveSource} for
 * devices and streams.
 */
final class FfmpegSource implements FrameSource {
  private final String cameraId;
  private final String input;
  private final FFmpegFrameGrabber grabber;
  private final long expected;
  private final long declared;
  private final long errorsAtOpen = FfmpegLog.errors();
  private final DisplayRotation rotation;
  private byte[] rowBuffer = new byte[0];
  private long sequence;

  FfmpegSource(String cameraId, String input, String format) throws CaptureException {
    OpenCv.ensureLoaded();
    this.cameraId = cameraId;
    this.input = input;
    this.grabber = new FFmpegFrameGrabber(input);
    if (format != null) {
      grabber.setFormat(format);
    }
    if (input.startsWith("rtsp")) {
      grabber.setOption("rtsp_transport", "tcp");
      grabber.setOption("timeout", "5000000"); // microseconds: a dead camera fails instead of hanging
    }
    grabber.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
    try {
      grabber.start();
    } catch (FrameGrabber.Exception | RuntimeException e) {
      closeQuietly();
      throw new CaptureException("cannot decode " + input + ": " + firstLine(e), false, e);
    }
    this.expected = grabber.getLengthInVideoFrames() > 0 ? grabber.getLengthInVideoFrames() : -1;
    AVStream video = videoStream(grabber.getFormatContext());
    this.declared = video != null && video.nb_frames() > 0 ? video.nb_frames() : -1;
    this.rotation = DisplayRotation.fromFfmpegDegrees(grabber.getDisplayRotation());
  }

  /** The stream JavaCV's grabber decodes: the first video stream. */
  private static AVStream videoStream(AVFormatContext fc) {
    if (fc == null || fc.isNull()) {
      return null;
    }
    for (int i = 0; i < fc.nb_streams(); i++) {
      AVStream st = fc.streams(i);
      if (st.codecpar().codec_type() == avutil.AVMEDIA_TYPE_VIDEO) {
        return st;
      }
    }
    return null;
  }

  /**
   * Frames the container's header declares for the video stream (an MP4 sample table, an AVI
   * stream header), or -1 when it declares none. Unlike {@link #expectedFrames()} this is not
   * estimated from the duration, so decoding fewer frames than this means the file was cut.
   */
  long declaredFrames() {
    return declared;
  }

  /**
   * Errors FFmpeg logged since this source was opened: damaged data it decoded by concealment or
   * skipped. Process-wide ({@link FfmpegLog}), so exact only when this is the one source running.
   */
  long decodeErrors() {
    return FfmpegLog.errors() - errorsAtOpen;
  }

  static {
    FfmpegLog.install();
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
  public long expectedFrames() {
    return expected;
  }

  @Override
  public RawFrame next() throws CaptureException {
    Frame f;
    try {
      f = grabber.grabImage();
    } catch (FrameGrabber.Exception | RuntimeException e) {
      throw new CaptureException("decoding " + input + " failed at frame " + sequence + ": "
          + firstLine(e), false, e);
    }
    if (f == null || f.image == null) {
      return null;
    }
    Mat bgr = toMat(f);
    rotation.toUpright(bgr);
    FrameMeta meta = FrameMeta.capturedNow(cameraId, sequence, bgr.cols(), bgr.rows(), input)
        .withMediaMicros(f.timestamp);
    sequence++;
    return new RawFrame(meta, bgr);
  }

  private Mat toMat(Frame f) {
    int w = f.imageWidth;
    int h = f.imageHeight;
    int rowBytes = w * 3;
    ByteBuffer buf = ((ByteBuffer) f.image[0]).duplicate();
    Mat mat = new Mat(h, w, CvType.CV_8UC3);
    if (rowBuffer.length < rowBytes * h) {
      rowBuffer = new byte[rowBytes * h];
    }
    for (int y = 0; y < h; y++) {
      buf.position(y * f.imageStride);
      buf.get(rowBuffer, y * rowBytes, rowBytes);
    }
    mat.put(0, 0, rowBuffer);
    return mat;
  }

  private static String firstLine(Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  private void closeQuietly() {
    try {
      grabber.close();
    } catch (Exception ignored) {
      // closing a grabber that failed to start can fail again; nothing to recover
    }
  }

  double frameRate() {
    double r = grabber.getFrameRate();
    return r > 0 && r < 1000 ? r : 25.0;
  }

  @Override
  public void close() {
    closeQuietly();
  }
}
