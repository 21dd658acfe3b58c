package dev.edgeagent.detect;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Arrays;

/** Reads a model's outputs, refusing any that is missing or shaped other than the contract says. */
final class OrtOutputs {
  /**
   * How far past [0, 1] a sigmoid or softmax output may land from float rounding (1.0000001 was
   * seen from the plate map) and still be a probability; NaN and real nonsense are not.
   */
  static final float PROBABILITY_SLACK = 1e-4f;

  private OrtOutputs() {}

  /** Whether {@code p} is a probability, give or take float rounding; false for NaN. */
  static boolean isProbability(float p) {
    return p >= -PROBABILITY_SLACK && p <= 1 + PROBABILITY_SLACK;
  }

  /**
   * The floats of output {@code name}, which must be shaped [1, n, {@code width}].
   *
   * @param modelLabel how error messages name the model
   * @throws DetectorException (bad output: the frame is dropped) when missing or misshaped
   */
  static float[] rows(OrtSession.Result result, String name, int width, String modelLabel)
      throws DetectorException, OrtException {
    return rows(result, name, 1, width, modelLabel);
  }

  /** The floats of output {@code name}, which must be shaped [batch, n, {@code width}]. */
  static float[] rows(OrtSession.Result result, String name, int batch, int width, String modelLabel)
      throws DetectorException, OrtException {
    OnnxTensor t = (OnnxTensor) result.get(name).orElseThrow(() -> new DetectorException(
        DropReason.DETECTOR_BAD_OUTPUT, modelLabel + " output " + name + " missing"));
    long[] shape = t.getInfo().getShape();
    if (shape.length != 3 || shape[0] != batch || shape[2] != width) {
      throw new DetectorException(DropReason.DETECTOR_BAD_OUTPUT, modelLabel + " output " + name
          + " has shape " + Arrays.toString(shape));
    }
    FloatBuffer fb = t.getFloatBuffer();
    float[] a = new float[fb.remaining()];
    fb.get(a);
    return a;
  }
}
