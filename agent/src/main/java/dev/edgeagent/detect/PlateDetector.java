package dev.edgeagent.detect;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
  private final OnnxModel model;
  private final TextDetectionTranslator translator;
  private final String inputName;
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
    this.filter = filter;
    this.growX = growX;
    this.growY = growY;
    this.model = model;
    this.translator = new TextDetectionTranslator(params);
    this.inputName = model.session().getInputNames().iterator().next();
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
    FloatBuffer input = ByteBuffer.allocateDirect(3 * h * w * 4).order(ByteOrder.nativeOrder())
        .asFloatBuffer();
    translator.preprocess(bgr, h, w, input);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    long t0 = System.nanoTime();
    try (OnnxTensor tensor = OnnxTensor.createTensor(env, input, new long[] {1, 3, h, w});
         OrtSession.Result result = model.run(Map.of(inputName, tensor))) {
      timer.accept(model.info().id(), System.nanoTime() - t0);
      OnnxTensor out = (OnnxTensor) result.get(0);
      long[] shape = out.getInfo().getShape();
      if (shape.length != 4 || shape[0] != 1 || shape[1] != 1 || shape[2] != h || shape[3] != w) {
        throw new DetectorException(DropReason.DETECTOR_BAD_OUTPUT,
            "text detector output shape " + Arrays.toString(shape) + ", expected [1,1," + h + "," + w + "]");
      }
      FloatBuffer fb = out.getFloatBuffer();
      float[] prob = new float[fb.remaining()];
      fb.get(prob);
      return translator.decode(prob, h, w, bgr.cols(), bgr.rows()).stream().map(d -> {
        Box b = d.box();
        Box grown = new Box(b.x() - b.w() * growX, b.y() - b.h() * growY, b.w() * (1 + 2 * growX),
            b.h() * (1 + 2 * growY)).clamp(bgr.cols(), bgr.rows());
        return new PlateReadingFilter.Line(b, new Detection(d.cls(), grown, d.score()));
      }).toList();
    } catch (OrtException e) {
      throw new DetectorException(DropReason.DETECTOR_ERROR, "text detector failed: " + e.getMessage(), e);
    }
  }
}
