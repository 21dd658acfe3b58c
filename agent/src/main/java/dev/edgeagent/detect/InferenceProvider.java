package dev.edgeagent.detect;

import ai.onnxruntime.OrtProvider;
import java.util.Locale;

/**
 * An ONNX Runtime execution provider a model can actually run on. What the operator asks for
 * (which may be {@code auto}) is a {@link ProviderRequest}; this is what one model got.
 */
public enum InferenceProvider {
  CPU(OrtProvider.CPU),
  CUDA(OrtProvider.CUDA),
  TENSORRT(OrtProvider.TENSOR_RT);

  private final OrtProvider ort;

  InferenceProvider(OrtProvider ort) {
    this.ort = ort;
  }

  /** The provider as ONNX Runtime names it in {@code OrtEnvironment.getAvailableProviders()}. */
  public OrtProvider ort() {
    return ort;
  }

  /** Whether this provider runs on a GPU (what {@code inference.require_gpu} asks for). */
  public boolean gpu() {
    return this != CPU;
  }

  /** The word used in settings, logs, metrics and health: cpu, cuda, tensorrt. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
