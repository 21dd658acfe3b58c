package dev.edgeagent.detect;

import java.util.List;
import java.util.Locale;

/**
 * What {@code inference.provider} asks for, and the providers tried for it, in order. An explicit
 * GPU provider falls back straight to the CPU: the operator named one GPU path, and a silent
 * switch to another (TensorRT to plain CUDA) would hide that it does not work. {@code auto} tries
 * the fastest first: TensorRT, then CUDA, then the CPU.
 */
public enum ProviderRequest {
  AUTO(List.of(InferenceProvider.TENSORRT, InferenceProvider.CUDA, InferenceProvider.CPU)),
  CPU(List.of(InferenceProvider.CPU)),
  CUDA(List.of(InferenceProvider.CUDA, InferenceProvider.CPU)),
  TENSORRT(List.of(InferenceProvider.TENSORRT, InferenceProvider.CPU));

  private final List<InferenceProvider> candidates;

  ProviderRequest(List<InferenceProvider> candidates) {
    this.candidates = candidates;
  }

  /** The providers to try, best first; the CPU is always last. */
  public List<InferenceProvider> candidates() {
    return candidates;
  }

  /** The request for exactly one provider (what the older {@code InferenceProvider} argument meant). */
  public static ProviderRequest of(InferenceProvider p) {
    return valueOf(p.name());
  }

  /** From the setting's value (cpu, cuda, tensorrt, auto). */
  public static ProviderRequest parse(String value) {
    return valueOf(value.trim().toUpperCase(Locale.ROOT));
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
