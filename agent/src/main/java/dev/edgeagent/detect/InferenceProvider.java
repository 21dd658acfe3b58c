package dev.edgeagent.detect;

/** Which ONNX Runtime execution provider to ask for. CUDA falls back to CPU when unavailable. */
public enum InferenceProvider {
  CPU,
  CUDA
}
