package dev.edgeagent.detect;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ObjLongConsumer;
import org.opencv.core.Mat;
import org.opencv.core.Rect;

/**
 * Faces with BlazeFace. The whole frame is always searched; with {@code tiles > 1} the frame is
 * also cut into a tiles x tiles grid of overlapping tiles (and with {@code tilePx > 0} into
 * fixed-size tiles), each searched at the model's full
 * input resolution, so faces far smaller than 1/{@code inputSize} of the frame are found; the
 * boxes of all passes are merged by weighted NMS.
 */
public final class FaceDetector implements Detector {
  private static final String[] OUTPUTS = {"Identity:0", "Identity_1:0", "Identity_2:0", "Identity_3:0"};
  private static final TensorBuffers.Slot INPUT = TensorBuffers.slot("BlazeFace input");
  private static final TensorBuffers.Slot IMAGE = TensorBuffers.slot("BlazeFace letterboxed image");

  private final TensorBuffers buffers;
  private final OnnxModel model;
  private final BlazeFaceTranslator translator;
  private final double threshold;
  private final int tiles;
  private final int tilePx;
  private final double overlap;
  private final double verifyThreshold;
  private final double verifyContext;
  private final ObjLongConsumer<String> timer;

  public FaceDetector(OnnxModel model, double threshold, int tiles, double overlap,
      ObjLongConsumer<String> timer) {
    this(model, threshold, tiles, 0, overlap, 0, 0, timer);
  }

  /**
   * @param tilePx when above 0, also searches square tiles of this many pixels (overlapping by
   *     {@code overlap}) covering the frame: tiles smaller than the model input are enlarged, so
   *     faces a few pixels tall reach a size the model sees
   * @param verifyThreshold when above 0, every candidate is searched again on a crop of
   *     {@code verifyContext} times its size around it, enlarged to the model input, and kept only
   *     when that second look scores at least this (a cascade: a low search threshold finds
   *     small faces, the close-up second look rejects what only resembled a face)
   */
  public FaceDetector(OnnxModel model, double threshold, int tiles, int tilePx, double overlap,
      double verifyThreshold, double verifyContext, ObjLongConsumer<String> timer) {
    this(model, threshold, tiles, tilePx, overlap, verifyThreshold, verifyContext, timer, TensorBuffers.reused());
  }

  /** @param buffers where each run's input and scratch arrays come from */
  public FaceDetector(OnnxModel model, double threshold, int tiles, int tilePx, double overlap,
      double verifyThreshold, double verifyContext, ObjLongConsumer<String> timer, TensorBuffers buffers) {
    this.buffers = buffers;
    this.verifyThreshold = verifyThreshold;
    this.verifyContext = verifyContext;
    this.tilePx = tilePx;
    this.model = model;
    long[] shape;
    try {
      shape = ((ai.onnxruntime.TensorInfo) model.session().getInputInfo().values().iterator().next()
          .getInfo()).getShape();
    } catch (OrtException e) {
      throw new IllegalStateException("cannot read BlazeFace input shape", e);
    }
    this.translator = new BlazeFaceTranslator((int) shape[1]);
    this.threshold = threshold;
    this.tiles = tiles;
    this.overlap = overlap;
    this.timer = timer;
  }

  @Override
  public ModelInfo model() {
    return model.info();
  }

  @Override
  public Set<ObjectClass> classes() {
    return EnumSet.of(ObjectClass.FACE);
  }

  @Override
  public List<Detection> detect(Mat bgr) throws DetectorException {
    List<Detection> all = new ArrayList<>(runOn(bgr, 0, 0, threshold));
    List<Rect> rects = new ArrayList<>();
    if (tiles > 1) {
      rects.addAll(tileRects(bgr.cols(), bgr.rows(), tiles, overlap));
    }
    if (tilePx > 0) {
      rects.addAll(fixedTiles(bgr.cols(), bgr.rows(), tilePx, overlap));
    }
    for (Rect r : rects) {
      Mat tile = bgr.submat(r);
      try {
        all.addAll(runOn(tile, r.x, r.y, threshold));
      } finally {
        tile.release();
      }
    }
    List<Detection> merged = Nms.weighted(all, 0.3);
    return verifyThreshold > 0 ? verify(bgr, merged) : merged;
  }

  /** The second look: each candidate is kept, with the close-up's box and score, only if the close-up confirms it. */
  private List<Detection> verify(Mat bgr, List<Detection> candidates) throws DetectorException {
    List<Detection> kept = new ArrayList<>();
    for (Detection d : candidates) {
      Rect r = contextRect(d.box(), verifyContext, bgr.cols(), bgr.rows());
      if (r == null) {
        continue;
      }
      Mat crop = bgr.submat(r);
      try {
        Detection best = null;
        for (Detection v : runOn(crop, r.x, r.y, verifyThreshold)) {
          if (v.box().iou(d.box()) > 0.3 && (best == null || v.score() > best.score())) {
            best = v;
          }
        }
        if (best != null) {
          kept.add(best);
        }
      } finally {
        crop.release();
      }
    }
    return Nms.weighted(kept, 0.3);
  }

  /** A square of {@code context} times the box's longer side around its centre, clipped to the frame; null if empty. */
  static Rect contextRect(Box b, double context, int width, int height) {
    double side = Math.max(b.w(), b.h()) * context;
    double cx = b.x() + b.w() / 2;
    double cy = b.y() + b.h() / 2;
    int x0 = (int) Math.max(0, Math.floor(cx - side / 2));
    int y0 = (int) Math.max(0, Math.floor(cy - side / 2));
    int x1 = (int) Math.min(width, Math.ceil(cx + side / 2));
    int y1 = (int) Math.min(height, Math.ceil(cy + side / 2));
    return x1 - x0 < 2 || y1 - y0 < 2 ? null : new Rect(x0, y0, x1 - x0, y1 - y0);
  }

  /** An n x n grid of tiles, each grown by {@code overlap} of its size so faces on a seam are whole in one tile. */
  static List<Rect> tileRects(int width, int height, int n, double overlap) {
    int tw = (int) Math.ceil(width / (double) n * (1 + overlap));
    int th = (int) Math.ceil(height / (double) n * (1 + overlap));
    tw = Math.min(tw, width);
    th = Math.min(th, height);
    List<Rect> rects = new ArrayList<>();
    for (int row = 0; row < n; row++) {
      for (int col = 0; col < n; col++) {
        int x = n == 1 ? 0 : (int) Math.round((width - tw) * col / (double) (n - 1));
        int y = n == 1 ? 0 : (int) Math.round((height - th) * row / (double) (n - 1));
        rects.add(new Rect(x, y, tw, th));
      }
    }
    return rects;
  }

  /** Square tiles of {@code size} px, overlapping by at least {@code overlap}, covering the frame. */
  static List<Rect> fixedTiles(int width, int height, int size, double overlap) {
    int tw = Math.min(size, width);
    int th = Math.min(size, height);
    double step = size * (1 - overlap);
    int cols = Math.max(1, (int) Math.ceil((width - tw) / step) + 1);
    int rows = Math.max(1, (int) Math.ceil((height - th) / step) + 1);
    List<Rect> rects = new ArrayList<>();
    for (int row = 0; row < rows; row++) {
      for (int col = 0; col < cols; col++) {
        int x = cols == 1 ? 0 : (int) Math.round((width - tw) * col / (double) (cols - 1));
        int y = rows == 1 ? 0 : (int) Math.round((height - th) * row / (double) (rows - 1));
        rects.add(new Rect(x, y, tw, th));
      }
    }
    return rects;
  }

  private List<Detection> runOn(Mat image, double offsetX, double offsetY, double minScore)
      throws DetectorException {
    try (TensorBuffers.Scope scope = buffers.open()) {
      int s = translator.inputSize();
      FloatBuffer input = scope.direct(INPUT, s * s * 3);
      // OpenCV fills exactly s * s * 3 floats; a pooled array left by a model of the other size is not used.
      float[] scratch = scope.floats(IMAGE, s * s * 3);
      BlazeFaceTranslator.Letterbox lb = translator.preprocess(image, offsetX, offsetY, input,
          scratch.length == s * s * 3 ? scratch : new float[s * s * 3]);
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      long t0 = System.nanoTime();
      try (OnnxTensor tensor = OnnxTensor.createTensor(env, input, new long[] {1, s, s, 3});
           OrtSession.Result result = model.run(Map.of("input:0", tensor))) {
        timer.accept(model.info().id(), System.nanoTime() - t0);
        float[] scores = concat(output(result, OUTPUTS[0], 1), output(result, OUTPUTS[1], 1));
        float[] regs = concat(output(result, OUTPUTS[2], 16), output(result, OUTPUTS[3], 16));
        return translator.decode(scores, regs, lb, minScore);
      } catch (OrtException e) {
        throw new DetectorException(DropReason.DETECTOR_ERROR, "BlazeFace failed: " + e.getMessage(), e);
      }
    }
  }

  private static float[] output(OrtSession.Result result, String name, int width)
      throws DetectorException, OrtException {
    return OrtOutputs.rows(result, name, width, "BlazeFace");
  }

  private static float[] concat(float[] a, float[] b) {
    float[] c = new float[a.length + b.length];
    System.arraycopy(a, 0, c, 0, a.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
