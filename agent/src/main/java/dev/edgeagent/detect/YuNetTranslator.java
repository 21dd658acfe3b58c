package dev.edgeagent.detect;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * YuNet (libfacedetection) pre- and post-processing, as verified in models/yunet/README.md.
 * Input: {@code input}, float [1, 3, H, W], H and W multiples of 32, BGR planes with raw 0-255
 * values; the image is scaled and then zero-padded at the bottom and right, never stretched.
 * Output, for each stride s in 8, 16, 32: {@code cls_s}, {@code obj_s} [1, cells, 1],
 * {@code bbox_s} [1, cells, 4], {@code kps_s} [1, cells, 10], one prior per cell in row-major
 * order, decoded anchor-free: score = sqrt(cls * obj), centre = (cell + offset) * s, size =
 * exp(log-size) * s, key points = (cell + offset) * s.
 */
public final class YuNetTranslator {
  static final int[] STRIDES = {8, 16, 32};
  static final int MULTIPLE = 32;
  static final int LANDMARKS = 5;
  /** exp() of a log-size above this would be a box thousands of strides wide: not a face. */
  private static final double MAX_LOG_SIZE = 10;

  private YuNetTranslator() {}

  /**
   * Where a region of the frame went in the model input: input pixel (u, v) is frame pixel
   * ({@code offsetX + u / scale}, {@code offsetY + v / scale}).
   *
   * @param scaledWidth the region's width after scaling (the rest of {@code inputWidth} is padding)
   */
  public record Placement(double scale, double offsetX, double offsetY, int scaledWidth,
      int scaledHeight, int inputWidth, int inputHeight) {

    /** A region of {@code width x height} frame pixels at ({@code x}, {@code y}), scaled by {@code scale}. */
    public static Placement of(int x, int y, int width, int height, double scale) {
      int sw = Math.max(1, (int) Math.round(width * scale));
      int sh = Math.max(1, (int) Math.round(height * scale));
      return new Placement(sw / (double) width, x, y, sw, sh, roundUp(sw), roundUp(sh));
    }

    /** Number of input floats: three planes. */
    public int floats() {
      return 3 * inputWidth * inputHeight;
    }

    public long[] shape() {
      return new long[] {1, 3, inputHeight, inputWidth};
    }

    /** Prior cells of one stride's output. */
    public int cells(int stride) {
      return (inputWidth / stride) * (inputHeight / stride);
    }
  }

  static int roundUp(int v) {
    return (v + MULTIPLE - 1) / MULTIPLE * MULTIPLE;
  }

  /**
   * Writes {@code region} (a frame or a window of it, 8-bit BGR) scaled as {@code p} says into
   * {@code dst} from its position (a buffer with room for {@link Placement#floats()} floats),
   * then flips it for reading. OpenCV resizes, pads with zeros and splits the planes in native
   * code; Java only copies each converted plane. (A Java pixel loop cost as much as the model on
   * a 720p frame, and OpenCV's blobFromImage took 300 ms on a 1920 px tile.)
   */
  public static void preprocess(Mat region, Placement p, FloatBuffer dst) {
    preprocess(region, p, dst, new float[p.inputWidth() * p.inputHeight()]);
  }

  /**
   * As {@link #preprocess(Mat, Placement, FloatBuffer)}, each plane passing through
   * {@code scratch} (at least one plane's floats; a pooled array, since a fresh 15 MB array per
   * run showed up as GC time).
   */
  public static void preprocess(Mat region, Placement p, FloatBuffer dst, float[] scratch) {
    Mat resized = null;
    Mat padded = new Mat();
    Mat plane = new Mat();
    List<Mat> channels = new ArrayList<>(3);
    try {
      Mat src = region;
      if (p.scaledWidth() != region.cols() || p.scaledHeight() != region.rows()) {
        resized = new Mat();
        // Area averaging when shrinking keeps small faces' detail; linear when enlarging.
        int interp = p.scale() < 1 ? Imgproc.INTER_AREA : Imgproc.INTER_LINEAR;
        Imgproc.resize(region, resized, new Size(p.scaledWidth(), p.scaledHeight()), 0, 0, interp);
        src = resized;
      }
      Core.copyMakeBorder(src, padded, 0, p.inputHeight() - src.rows(), 0, p.inputWidth() - src.cols(),
          Core.BORDER_CONSTANT, new Scalar(0, 0, 0));
      // BGR kept, no mean, no scaling: raw 0-255 floats, one plane per channel (NCHW).
      Core.split(padded, channels);
      for (Mat c : channels) {
        c.convertTo(plane, CvType.CV_32F);
        plane.get(0, 0, scratch);
        dst.put(scratch, 0, p.inputWidth() * p.inputHeight());
      }
      dst.flip();
    } finally {
      if (resized != null) {
        resized.release();
      }
      padded.release();
      plane.release();
      channels.forEach(Mat::release);
    }
  }

  /**
   * The four outputs of one stride for one image, flattened: views of the model's output (one
   * image's slice of a batch, read in place) or arrays copied from it.
   */
  public record StrideOutput(int stride, FloatBuffer cls, FloatBuffer obj, FloatBuffer bbox, FloatBuffer kps) {
    public StrideOutput(int stride, float[] cls, float[] obj, float[] bbox, float[] kps) {
      this(stride, FloatBuffer.wrap(cls), FloatBuffer.wrap(obj), FloatBuffer.wrap(bbox), FloatBuffer.wrap(kps));
    }
  }

  /**
   * Decodes every prior whose score reaches {@code threshold} into frame-pixel detections with
   * their five landmarks.
   *
   * @throws DetectorException when an output has the wrong length or a NaN score
   */
  public static List<Detection> decode(List<StrideOutput> outputs, Placement p, double threshold)
      throws DetectorException {
    List<Detection> out = new ArrayList<>();
    double inv = 1.0 / p.scale();
    for (StrideOutput o : outputs) {
      int s = o.stride();
      int cols = p.inputWidth() / s;
      int cells = p.cells(s);
      FloatBuffer cl = o.cls();
      FloatBuffer ob = o.obj();
      FloatBuffer bb = o.bbox();
      FloatBuffer kp = o.kps();
      if (cl.remaining() != cells || ob.remaining() != cells || bb.remaining() != cells * 4
          || kp.remaining() != cells * 2 * LANDMARKS) {
        throw new DetectorException(DropReason.DETECTOR_BAD_OUTPUT, "YuNet stride " + s
            + " gave " + cl.remaining() + "/" + ob.remaining() + "/" + bb.remaining() + "/"
            + kp.remaining() + " values for " + cells + " cells");
      }
      // Absolute reads relative to each view's position: a batch's views start mid-buffer.
      int c0 = cl.position();
      int o0 = ob.position();
      int b0 = bb.position();
      int k0 = kp.position();
      for (int i = 0; i < cells; i++) {
        float c = cl.get(c0 + i);
        float b = ob.get(o0 + i);
        if (Float.isNaN(c) || Float.isNaN(b)) {
          throw new DetectorException(DropReason.DETECTOR_BAD_OUTPUT, "YuNet score is NaN");
        }
        double score = Math.sqrt(clamp01(c) * clamp01(b));
        if (score < threshold) {
          continue;
        }
        int row = i / cols;
        int col = i % cols;
        int r = b0 + i * 4;
        double lw = bb.get(r + 2);
        double lh = bb.get(r + 3);
        if (!(Math.abs(lw) <= MAX_LOG_SIZE && Math.abs(lh) <= MAX_LOG_SIZE)) {
          throw new DetectorException(DropReason.DETECTOR_BAD_OUTPUT,
              "YuNet box size is not finite or absurd: log-size " + lw + ", " + lh);
        }
        double cx = (col + bb.get(r)) * s;
        double cy = (row + bb.get(r + 1)) * s;
        double w = Math.exp(lw) * s;
        double h = Math.exp(lh) * s;
        Box box = new Box(cx - w / 2, cy - h / 2, w, h).scale(inv, inv, p.offsetX(), p.offsetY());
        if (!box.isFinite()) {
          throw new DetectorException(DropReason.DETECTOR_BAD_OUTPUT, "YuNet box is not finite");
        }
        List<Detection.Landmark> marks = new ArrayList<>(LANDMARKS);
        int k = k0 + i * 2 * LANDMARKS;
        for (int m = 0; m < LANDMARKS; m++) {
          double lx = (col + kp.get(k + 2 * m)) * s * inv + p.offsetX();
          double ly = (row + kp.get(k + 2 * m + 1)) * s * inv + p.offsetY();
          marks.add(new Detection.Landmark(lx, ly));
        }
        out.add(new Detection(ObjectClass.FACE, box, score, marks));
      }
    }
    return out;
  }

  private static double clamp01(float v) {
    return Math.max(0, Math.min(1, v));
  }
}
