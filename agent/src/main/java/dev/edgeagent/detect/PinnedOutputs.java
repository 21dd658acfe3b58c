package dev.edgeagent.detect;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.FloatBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Outputs ONNX Runtime writes straight into buffers of ours: pinned outputs, the Java API's form
 * of IOBinding for outputs. Without them every run allocates its outputs natively and each read
 * ({@link OnnxTensor#getFloatBuffer()}) copies them once more onto the heap; pinned, the values
 * land in a reused direct buffer and are read in place. The shape is fixed in advance, and a run
 * whose output would have another shape fails (an {@link OrtException}: the frame is dropped).
 *
 * <p>Closing closes the tensors, not the buffers, which belong to their {@link TensorBuffers}.
 * Empty (nothing pinned), a run allocates its outputs as usual.
 */
public final class PinnedOutputs implements AutoCloseable {
  private final Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
  private final Map<String, FloatBuffer> buffers = new LinkedHashMap<>();

  /** Nothing pinned: the run allocates its outputs (the path without reused buffers). */
  public static PinnedOutputs none() {
    return new PinnedOutputs();
  }

  /** Pins output {@code name}, shaped {@code shape}, to {@code buffer} (direct, native order). */
  public PinnedOutputs pin(String name, FloatBuffer buffer, long[] shape) throws OrtException {
    tensors.put(name, OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), buffer, shape));
    buffers.put(name, buffer);
    return this;
  }

  public boolean isEmpty() {
    return tensors.isEmpty();
  }

  Map<String, OnnxTensor> tensors() {
    return Collections.unmodifiableMap(tensors);
  }

  /** The buffer output {@code name} was pinned to, from its start; null when it was not pinned. */
  public FloatBuffer buffer(String name) {
    FloatBuffer b = buffers.get(name);
    return b == null ? null : b.duplicate().rewind();
  }

  @Override
  public void close() {
    tensors.values().forEach(OnnxTensor::close);
  }
}
