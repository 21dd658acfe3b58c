package dev.edgeagent.detect;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

  private final OnnxModel model;
  private final BlazeFaceTranslator translator;
  private final double threshold;
  private final int tiles;
  private final int tilePx;
  private final double overlap;
  private final ObjLongConsumer<String> timer;

  public FaceDetector(OnnxModel model, double threshold, int tiles, double overlap,
      ObjLongConsumer<String> timer) {
    this(model, threshold, tiles, 0, overlap, timer);
  }

  /**
   * @param tilePx when above 0, also searches square tiles of this many pixels (overlapping by
   *     {@code overlap}) covering the frame: tiles smaller than the model input are enlarged, so
   *     faces a few pixels tall reach a size the model sees
   */
  public FaceDetector(OnnxModel model, double threshold, int tiles, int tilePx, double overlap,
      ObjLongConsumer<String> timer) {
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
  public List<Detection> detect(Mat bgr) throws DetectorException {
    List<Detection> all = new ArrayList<>(runOn(bgr, 0, 0));
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
        all.addAll(runOn(tile, r.x, r.y));
      } finally {
        tile.release();
      }
    }
    return Nms.weighted(all, 0.3);
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

  private List<Detection> runOn(Mat image, double offsetX, double offsetY) throws DetectorException {
    int s = translator.inputSize();
    FloatBuffer input = ByteBuffer.allocateDirect(s * s * 3 * 4).order(ByteOrder.nativeOrder())
        .asFloatBuffer();
    BlazeFaceTranslator.Letterbox lb = translator.preprocess(image, offsetX, offsetY, input);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    long t0 = System.nanoTime();
    try (OnnxTensor tensor = OnnxTensor.createTensor(env, input, new long[] {1, s, s, 3});
         OrtSession.Result result = model.session().run(Map.of("input:0", tensor))) {
      timer.accept(model.info().id(), System.nanoTime() - t0);
      float[] scores = concat(output(result, OUTPUTS[0], 1), output(result, OUTPUTS[1], 1));
      float[] regs = concat(output(result, OUTPUTS[2], 16), output(result, OUTPUTS[3], 16));
      return translator.decode(scores, regs, lb, threshold);
    } catch (OrtException e) {
      throw new DetectorException(DropReason.DETECTOR_ERROR, "BlazeFace failed: " + e.getMessage(), e);
    }
  }

  private static float[] output(OrtSession.Result result, String name, int width)
      throws DetectorException, OrtException {
    OnnxTensor t = (OnnxTensor) result.get(name).orElseThrow(() -> new DetectorException(
        DropReason.DETECTOR_BAD_OUTPUT, "BlazeFace output " + name + " missing"));
    long[] shape = t.getInfo().getShape();
    if (shape.length != 3 || shape[0] != 1 || shape[2] != width) {
      throw new DetectorException(DropReason.DETECTOR_BAD_OUTPUT, "BlazeFace output " + name
          + " has shape " + java.util.Arrays.toString(shape));
    }
    FloatBuffer fb = t.getFloatBuffer();
    float[] a = new float[fb.remaining()];
    fb.get(a);
    return a;
  }

  private static float[] concat(float[] a, float[] b) {
    float[] c = new float[a.length + b.length];
    System.arraycopy(a, 0, c, 0, a.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
