package dev.edgeagent.detect;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ObjLongConsumer;
import org.opencv.core.Mat;

/**
 * Licence plates through the PP-OCRv4 text detector: plates are found as legible text lines of
 * plate-like shape, each grown to the plate's edges. Without a filter every such line is
 * returned, other text of that shape too ({@code detect.plate_text_policy: all_text}); with
 * one ({@code plates}) each line is read and kept only if it reads like a registration
 * ({@link PlateReadingFilter}).
 */
public final class PlateDetector implements Detector {
  private static final TensorBuffers.Slot INPUT = TensorBuffers.slot("text detector input");
  private static final TensorBuffers.Slot OUTPUT = TensorBuffers.slot("text detector output");
  private static final TensorBuffers.Slot IMAGE = TensorBuffers.slot("text detector resized image");
  private static final TensorBuffers.Slot PLANE = TensorBuffers.slot("text detector plane");
  private static final TensorBuffers.Slot MAP = TensorBuffers.slot("text detector map");

  private final TensorBuffers buffers;
  private final OnnxModel model;
  private final TextDetectionTranslator translator;
  private final String inputName;
  private final String outputName;
  private final ObjLongConsumer<String> timer;
  private final double growX;
  private final double growY;
  private final PlateReadingFilter filter;

  /**
   * @param growX, growY the text line found is grown by these fractions of its width and height
   *     on each side, to reach from the characters to the plate's edges
   * @param filter second stage for every line, or null to keep every plate-shaped text line
   */
  public PlateDetector(OnnxModel model, TextDetectionTranslator.Params params, double growX, double growY,
      PlateReadingFilter filter, ObjLongConsumer<String> timer) {
    this(model, params, growX, growY, filter, timer, TensorBuffers.reused());
  }

  /** @param buffers where the input, output and scratch arrays of each run come from */
  public PlateDetector(OnnxModel model, TextDetectionTranslator.Params params, double growX, double growY,
      PlateReadingFilter filter, ObjLongConsumer<String> timer, TensorBuffers buffers) {
    this.buffers = buffers;
    this.filter = filter;
    this.growX = growX;
    this.growY = growY;
    this.model = model;
    this.translator = new TextDetectionTranslator(params);
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
    return filter == null ? List.of(model.info()) : List.of(model.info(), filter.model());
  }

  /**
   * The grown text lines, those the filter keeps if there is one; a filter error or bad output
   * is a {@link DetectorException}, so the frame is dropped rather than published with fewer
   * redactions.
   */
  @Override
  public List<Detection> detect(Mat bgr) throws DetectorException {
    List<PlateReadingFilter.Line> lines = textLines(bgr);
    return filter == null ? lines.stream().map(PlateReadingFilter.Line::grown).toList() : filter.keep(bgr, lines);
  }

  /** Every plate-shaped text line, with its box grown by growX / growY and clipped to the frame. */
  private List<PlateReadingFilter.Line> textLines(Mat bgr) throws DetectorException {
    int[] hw = translator.inputSize(bgr.cols(), bgr.rows());
    int h = hw[0];
    int w = hw[1];
    // Closed last: the tensors over its buffers are closed first.
    try (TensorBuffers.Scope scope = buffers.open()) {
      int size = h * w;
      FloatBuffer input = scope.direct(INPUT, 3 * size);
      // IMAGE holds 3-channel floats: OpenCV wants a multiple of 3, which every size asked of it is.
      translator.preprocess(bgr, h, w, input, scope.floats(IMAGE, 3 * size), scope.floats(PLANE, size));
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      long[] outShape = {1, 1, h, w};
      try (OnnxTensor tensor = OnnxTensor.createTensor(env, input, new long[] {1, 3, h, w});
           PinnedOutputs pinned = buffers.reuses()
               ? PinnedOutputs.none().pin(outputName, scope.direct(OUTPUT, size), outShape) : PinnedOutputs.none()) {
        long t0 = System.nanoTime();
        try (OrtSession.Result result = model.run(Map.of(inputName, tensor), pinned)) {
          timer.accept(model.info().id(), System.nanoTime() - t0);
          OnnxTensor out = (OnnxTensor) result.get(0);
          long[] shape = out.getInfo().getShape();
          if (!Arrays.equals(shape, outShape)) {
            throw new DetectorException(DropReason.DETECTOR_BAD_OUTPUT,
                "text detector output shape " + Arrays.toString(shape) + ", expected [1,1," + h + "," + w + "]");
          }
          FloatBuffer fb = pinned.isEmpty() ? out.getFloatBuffer() : pinned.buffer(outputName);
          float[] prob = scope.floats(MAP, size);
          fb.get(prob, 0, size);
          return lines(translator.decode(prob, h, w, bgr.cols(), bgr.rows()), bgr);
        }
      } catch (OrtException e) {
        throw new DetectorException(DropReason.DETECTOR_ERROR, "text detector failed: " + e.getMessage(), e);
      }
    }
  }

  private List<PlateReadingFilter.Line> lines(List<Detection> found, Mat bgr) {
    return found.stream().map(d -> {
      Box b = d.box();
      Box grown = new Box(b.x() - b.w() * growX, b.y() - b.h() * growY, b.w() * (1 + 2 * growX),
          b.h() * (1 + 2 * growY)).clamp(bgr.cols(), bgr.rows());
      return new PlateReadingFilter.Line(b, new Detection(d.cls(), grown, d.score()));
    }).toList();
  }
}
