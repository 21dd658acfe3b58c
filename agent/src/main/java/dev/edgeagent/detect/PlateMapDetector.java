package dev.edgeagent.detect;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
  private static final TensorBuffers.Slot INPUT = TensorBuffers.slot("plate map input");
  private static final TensorBuffers.Slot OUTPUT = TensorBuffers.slot("plate map output");
  private static final TensorBuffers.Slot PIXELS = TensorBuffers.slot("plate map pixels");
  private static final TensorBuffers.Slot MAP = TensorBuffers.slot("plate map");

  /** Pre- and post-processing settings. */
  public record Params(int maxSide, double pixelThreshold, double boxThreshold, double grow,
      double growPx, int minCells) {}

  private final OnnxModel model;
  private final Params params;
  private final String inputName;
  private final String outputName;
  private final ObjLongConsumer<String> timer;
  private final TensorBuffers buffers;
  private final PlateCropVerifier verifier;
  private final PlateReadingFilter reader;

  /**
   * @param verifier second stage for every candidate, or null to keep all candidates
   * @param reader third stage, or null: each confirmed box is read as a whole and dropped when
   *     what it says is clearly not a registration (plate_text_policy plates)
   */
  public PlateMapDetector(OnnxModel model, Params params, PlateCropVerifier verifier,
      PlateReadingFilter reader, ObjLongConsumer<String> timer) {
    this(model, params, verifier, reader, timer, TensorBuffers.reused());
  }

  /** @param buffers where the input, output and scratch arrays of each run come from */
  public PlateMapDetector(OnnxModel model, Params params, PlateCropVerifier verifier,
      PlateReadingFilter reader, ObjLongConsumer<String> timer, TensorBuffers buffers) {
    this.buffers = buffers;
    this.verifier = verifier;
    this.reader = reader;
    this.model = model;
    this.params = params;
    this.inputName = model.session().getInputNames().iterator().next();
    this.outputName = model.session().getOutputNames().iterator().next();
    this.timer = timer;
  }

  @Override
  public ModelInfo model() {
    return model.info();
  }

  @Override
  public Set<ObjectClass> classes() {
    return EnumSet.of(ObjectClass.PLATE);
  }

  @Override
  public List<ModelInfo> models() {
    List<ModelInfo> all = new ArrayList<>(List.of(model.info()));
    if (verifier != null) {
      all.add(verifier.model());
    }
    if (reader != null) {
      all.add(reader.model());
    }
    return List.copyOf(all);
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
    long[] outShape = {1, 1, hw[0] / STRIDE, hw[1] / STRIDE};
    try (TensorBuffers.Scope scope = buffers.open();
         OnnxTensor tensor = tensor(bgr, hw, scope);
         PinnedOutputs pinned = buffers.reuses() ? PinnedOutputs.none().pin(outputName,
             scope.direct(OUTPUT, (int) (outShape[2] * outShape[3])), outShape) : PinnedOutputs.none()) {
      long t0 = System.nanoTime();
      try (OrtSession.Result result = model.run(Map.of(inputName, tensor), pinned)) {
        timer.accept(model.info().id(), System.nanoTime() - t0);
        return candidates(bgr, hw, result, pinned, scope);
      }
    } catch (OrtException e) {
      throw new DetectorException(DropReason.DETECTOR_ERROR, "plate map network failed: " + e.getMessage(), e);
    }
  }

  /** Checks the network's answer and turns it into plate boxes, confirmed by the verifier if there is one. */
  private List<Detection> candidates(Mat bgr, int[] hw, OrtSession.Result result, PinnedOutputs pinned,
      TensorBuffers.Scope scope) throws DetectorException {
    int mh = hw[0] / STRIDE;
    int mw = hw[1] / STRIDE;
    OnnxTensor out = (OnnxTensor) result.get(0);
    long[] shape = out.getInfo().getShape();
    if (shape.length != 4 || shape[0] != 1 || shape[1] != 1 || shape[2] != mh || shape[3] != mw) {
      throw new DetectorException(DropReason.DETECTOR_BAD_OUTPUT, "plate map output shape "
          + Arrays.toString(shape) + ", expected [1,1," + mh + "," + mw + "]");
    }
    FloatBuffer fb = pinned.isEmpty() ? out.getFloatBuffer() : pinned.buffer(outputName);
    int cells = mh * mw;
    float[] prob = scope.floats(MAP, cells);
    fb.get(prob, 0, cells);
    for (int i = 0; i < cells; i++) {
      if (!OrtOutputs.isProbability(prob[i])) {
        throw new DetectorException(DropReason.DETECTOR_BAD_OUTPUT, "plate map holds " + prob[i]
            + ", not a probability");
      }
    }
    List<Detection> candidates = decode(prob, mh, mw, bgr.cols() / (double) hw[3],
        bgr.rows() / (double) hw[2], bgr.cols(), bgr.rows(), params);
    List<Detection> confirmed = verifier == null ? candidates : verifier.confirm(bgr, candidates);
    return reader == null ? confirmed
        : reader.keep(bgr, confirmed.stream().map(d -> new PlateReadingFilter.Line(d.box(), d)).toList());
  }

  /** The network input for a frame, as {@link #detect} builds it (bench times the bare model on it). */
  public static OnnxTensor inputTensor(Mat bgr, int maxSide) throws OrtException {
    return tensor(bgr, inputSize(bgr.cols(), bgr.rows(), maxSide), TensorBuffers.perCall().open());
  }

  /** @param hw {@link #inputSize}'s answer for this frame (package-private: tests compare inputs) */
  static OnnxTensor tensor(Mat bgr, int[] hw, TensorBuffers.Scope scope) throws OrtException {
    int h = hw[0];
    int w = hw[1];
    int sh = hw[2];
    int sw = hw[3];
    Mat resized = new Mat();
    try {
      Mat src = bgr;
      if (sw != bgr.cols() || sh != bgr.rows()) {
        Imgproc.resize(bgr, resized, new Size(sw, sh), 0, 0, Imgproc.INTER_AREA);
        src = resized;
      }
      byte[] px = scope.bytes(PIXELS, sw * sh * 3);
      src.get(0, 0, px);
      FloatBuffer fb = scope.direct(INPUT, 3 * h * w);
      RgbPlanes.write(px, sw, 0, 0, sw, sh, fb, 0, w, h * w);
      // The padding right of and below the frame must be 0; a reused buffer holds the last frame there.
      RgbPlanes.clearPadding(fb, 0, w, h * w, sw, sh);
      return OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), fb, new long[] {1, 3, h, w});
    } finally {
      resized.release();
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
