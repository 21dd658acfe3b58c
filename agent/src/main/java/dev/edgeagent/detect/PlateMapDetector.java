package dev.edgeagent.detect;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.ObjLongConsumer;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Licence plates with the project's own plate-map network (models/plates): the frame goes in as
 * RGB in [0, 1], zero-padded to multiples of 32, the network answers a plate probability per
 * 4 x 4 pixel cell, and each connected group of cells above the pixel threshold becomes one
 * plate box, grown back by the margin the training targets were shrunk by (a fraction of the
 * box height plus a few pixels for the 4 px quantisation). It finds plates too
 * small or blurred for the text detector to read; both run side by side.
 */
public final class PlateMapDetector implements Detector {
  static final int STRIDE = 4;
  static final int MULTIPLE = 32;

  /** Pre- and post-processing settings. */
  public record Params(int maxSide, double pixelThreshold, double boxThreshold, double grow,
      double growPx, int minCells) {}

  private final OnnxModel model;
  private final Params params;
  private final String inputName;
  private final ObjLongConsumer<String> timer;
  private final PlateCropVerifier verifier;

  /** @param verifier second stage for every candidate, or null to keep all candidates */
  public PlateMapDetector(OnnxModel model, Params params, PlateCropVerifier verifier,
      ObjLongConsumer<String> timer) {
    this.verifier = verifier;
    this.model = model;
    this.params = params;
    this.inputName = model.session().getInputNames().iterator().next();
    this.timer = timer;
  }

  @Override
  public ModelInfo model() {
    return model.info();
  }

  @Override
  public List<ModelInfo> models() {
    return verifier == null ? List.of(model.info()) : List.of(model.info(), verifier.model());
  }

  /**
   * Network input [height, width, scaled height, scaled width]: the frame scaled down to at
   * most maxSide (never up), then zero-padded at the bottom and right to multiples of 32, as
   * the network was trained and evaluated.
   */
  static int[] inputSize(int width, int height, int maxSide) {
    double scale = Math.min(1.0, maxSide / (double) Math.max(width, height));
    int sw = Math.max(1, (int) Math.round(width * scale));
    int sh = Math.max(1, (int) Math.round(height * scale));
    int w = (sw + MULTIPLE - 1) / MULTIPLE * MULTIPLE;
    int h = (sh + MULTIPLE - 1) / MULTIPLE * MULTIPLE;
    return new int[] {h, w, sh, sw};
  }

  @Override
  public List<Detection> detect(Mat bgr) throws DetectorException {
    int[] hw = inputSize(bgr.cols(), bgr.rows(), params.maxSide());
    int h = hw[0];
    int w = hw[1];
    int sh = hw[2];
    int sw = hw[3];
    FloatBuffer input = preprocess(bgr, h, w, sh, sw);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    long t0 = System.nanoTime();
    try (OnnxTensor tensor = OnnxTensor.createTensor(env, input, new long[] {1, 3, h, w});
         OrtSession.Result result = model.session().run(Map.of(inputName, tensor))) {
      timer.accept(model.info().id(), System.nanoTime() - t0);
      OnnxTensor out = (OnnxTensor) result.get(0);
      long[] shape = out.getInfo().getShape();
      int mh = h / STRIDE;
      int mw = w / STRIDE;
      if (shape.length != 4 || shape[0] != 1 || shape[1] != 1 || shape[2] != mh || shape[3] != mw) {
        throw new DetectorException(DropReason.DETECTOR_BAD_OUTPUT, "plate map output shape "
            + Arrays.toString(shape) + ", expected [1,1," + mh + "," + mw + "]");
      }
      FloatBuffer fb = out.getFloatBuffer();
      float[] prob = new float[fb.remaining()];
      fb.get(prob);
      for (float p : prob) {
        if (!(p >= 0 && p <= 1)) {
          throw new DetectorException(DropReason.DETECTOR_BAD_OUTPUT, "plate map holds " + p
              + ", not a probability");
        }
      }
      List<Detection> candidates = decode(prob, mh, mw, bgr.cols() / (double) sw,
          bgr.rows() / (double) sh, bgr.cols(), bgr.rows(), params);
      return verifier == null ? candidates : verifier.confirm(bgr, candidates);
    } catch (OrtException e) {
      throw new DetectorException(DropReason.DETECTOR_ERROR, "plate map network failed: " + e.getMessage(), e);
    }
  }

  /** The network input for a frame, as {@link #detect} builds it (bench times the bare model on it). */
  public static OnnxTensor inputTensor(Mat bgr, int maxSide) throws OrtException {
    int[] hw = inputSize(bgr.cols(), bgr.rows(), maxSide);
    return OnnxTensor.createTensor(OrtEnvironment.getEnvironment(),
        preprocess(bgr, hw[0], hw[1], hw[2], hw[3]), new long[] {1, 3, hw[0], hw[1]});
  }

  private static FloatBuffer preprocess(Mat bgr, int h, int w, int sh, int sw) {
    Mat resized = new Mat();
    Mat rgb = new Mat();
    try {
      if (sw == bgr.cols() && sh == bgr.rows()) {
        Imgproc.cvtColor(bgr, rgb, Imgproc.COLOR_BGR2RGB);
      } else {
        Imgproc.resize(bgr, resized, new Size(sw, sh), 0, 0, Imgproc.INTER_AREA);
        Imgproc.cvtColor(resized, rgb, Imgproc.COLOR_BGR2RGB);
      }
      byte[] row = new byte[sw * 3];
      // Zero-filled: the padding right and below the frame stays 0.
      FloatBuffer fb = ByteBuffer.allocateDirect(3 * h * w * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
      int plane = h * w;
      for (int y = 0; y < sh; y++) {
        rgb.get(y, 0, row);
        for (int x = 0; x < sw; x++) {
          for (int c = 0; c < 3; c++) {
            fb.put(c * plane + y * w + x, (row[x * 3 + c] & 0xff) / 255f);
          }
        }
      }
      return fb;
    } finally {
      resized.release();
      rgb.release();
    }
  }

  /**
   * Connected groups of cells above the pixel threshold, each a box in frame pixels, kept when
   * its mean probability reaches the box threshold.
   *
   * @param sx, sy frame pixels per network input pixel
   */
  static List<Detection> decode(float[] prob, int mh, int mw, double sx, double sy, int frameW,
      int frameH, Params p) {
    Mat mask = new Mat(mh, mw, CvType.CV_8UC1);
    Mat labels = new Mat();
    Mat stats = new Mat();
    Mat centroids = new Mat();
    try {
      byte[] m = new byte[mh * mw];
      for (int i = 0; i < m.length; i++) {
        m[i] = prob[i] >= p.pixelThreshold() ? (byte) 1 : 0;
      }
      mask.put(0, 0, m);
      int n = Imgproc.connectedComponentsWithStats(mask, labels, stats, centroids, 8, CvType.CV_32S);
      if (n <= 1) {
        return List.of();
      }
      int[] lab = new int[mh * mw];
      labels.get(0, 0, lab);
      double[] sum = new double[n];
      for (int i = 0; i < lab.length; i++) {
        sum[lab[i]] += prob[i];
      }
      List<Detection> out = new ArrayList<>();
      for (int k = 1; k < n; k++) {
        int cells = (int) stats.get(k, Imgproc.CC_STAT_AREA)[0];
        double score = sum[k] / cells;
        if (cells < p.minCells() || score < p.boxThreshold()) {
          continue;
        }
        double x = stats.get(k, Imgproc.CC_STAT_LEFT)[0] * STRIDE;
        double y = stats.get(k, Imgproc.CC_STAT_TOP)[0] * STRIDE;
        double bw = stats.get(k, Imgproc.CC_STAT_WIDTH)[0] * STRIDE;
        double bh = stats.get(k, Imgproc.CC_STAT_HEIGHT)[0] * STRIDE;
        double g = bh * p.grow() + p.growPx();
        Box box = new Box((x - g) * sx, (y - g) * sy, (bw + 2 * g) * sx, (bh + 2 * g) * sy)
            .clamp(frameW, frameH);
        if (box.area() > 0) { // a group wholly in the zero padding is no plate of this frame
          out.add(new Detection(ObjectClass.PLATE, box, score));
        }
      }
      return out;
    } finally {
      mask.release();
      labels.release();
      stats.release();
      centroids.release();
    }
  }
}
