package dev.edgeagent.doctor;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * One frame through a session: inputs of zeros in the model's input shape, dynamic sizes set to a
 * 640 px frame (batch 1), run twice. The first run carries the provider's one-time work (CUDA
 * kernels, a TensorRT engine build, which can take minutes); the second is what a frame costs.
 * A provider being compiled in proves nothing (a GPU build may have no kernels for this GPU):
 * only a run does.
 */
final class ModelTiming {
  /** Side used for dynamic height and width: a typical detection pass. */
  static final int DYNAMIC_SIDE = 640;

  record Result(double firstRunMs, double runMs) {}

  private ModelTiming() {}

  /** The input shapes as the model declares them (-1: dynamic), by input name. */
  static Map<String, long[]> inputShapes(OrtSession session) throws OrtException {
    Map<String, long[]> out = new java.util.LinkedHashMap<>();
    for (NodeInfo n : session.getInputInfo().values()) {
      if (n.getInfo() instanceof TensorInfo t) {
        out.put(n.getName(), t.getShape());
      }
    }
    return out;
  }

  static Result oneFrame(OrtEnvironment env, OrtSession session) throws OrtException {
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try {
      for (NodeInfo n : session.getInputInfo().values()) {
        TensorInfo t = (TensorInfo) n.getInfo();
        if (t.type != OnnxJavaType.FLOAT) {
          throw new IllegalArgumentException("input " + n.getName() + " is " + t.type + ", not float");
        }
        long[] shape = concrete(t.getShape());
        inputs.put(n.getName(), OnnxTensor.createTensor(env,
            FloatBuffer.allocate(Math.toIntExact(Arrays.stream(shape).reduce(1, (a, b) -> a * b))), shape));
      }
      double first = timedRun(session, inputs);
      return new Result(first, timedRun(session, inputs));
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  static long[] concrete(long[] shape) {
    long[] s = shape.clone();
    for (int i = 0; i < s.length; i++) {
      if (s[i] < 0) {
        s[i] = i == 0 ? 1 : (s.length == 4 && i == 1 ? 3 : DYNAMIC_SIDE);
      }
    }
    return s;
  }

  private static double timedRun(OrtSession session, Map<String, OnnxTensor> inputs) throws OrtException {
    long t0 = System.nanoTime();
    try (OrtSession.Result r = session.run(inputs)) {
      return Math.round((System.nanoTime() - t0) / 1e4) / 100.0;
    }
  }

  static String shapeText(long[] shape) {
    return Arrays.toString(shape);
  }
}
