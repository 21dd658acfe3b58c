package dev.edgeagent.detect;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import ai.onnxruntime.providers.OrtTensorRTProviderOptions;
import java.io.IOException;
import java.nio.file.Files;

/**
 * Adds one execution provider, with the agent's GPU options, to a session's options. The option
 * keys are ONNX Runtime's documented ones for the CUDA and TensorRT providers.
 */
final class ProviderRegistration {
  private ProviderRegistration() {}

  static void add(OrtSession.SessionOptions opts, InferenceProvider provider, GpuOptions gpu)
      throws OrtException, IOException {
    switch (provider) {
      case CPU -> { } // always there: ONNX Runtime places on the CPU what no other provider took
      case CUDA -> opts.addCUDA(cuda(gpu));
      case TENSORRT -> {
        opts.addTensorrt(tensorrt(gpu));
        // Nodes TensorRT cannot take then run on CUDA rather than drop to the CPU (ONNX Runtime's
        // advice for the TensorRT provider); the model still counts as running on TensorRT.
        opts.addCUDA(cuda(gpu));
      }
    }
  }

  private static OrtCUDAProviderOptions cuda(GpuOptions gpu) throws OrtException {
    OrtCUDAProviderOptions o = new OrtCUDAProviderOptions(gpu.deviceId());
    if (gpu.cudaMemLimitBytes() > 0) {
      o.add("gpu_mem_limit", Long.toString(gpu.cudaMemLimitBytes()));
    }
    return o;
  }

  private static OrtTensorRTProviderOptions tensorrt(GpuOptions gpu) throws OrtException, IOException {
    OrtTensorRTProviderOptions o = new OrtTensorRTProviderOptions(gpu.deviceId());
    o.add("trt_fp16_enable", gpu.tensorrtFp16() ? "1" : "0");
    if (gpu.tensorrtEngineCache() != null) {
      Files.createDirectories(gpu.tensorrtEngineCache());
      o.add("trt_engine_cache_enable", "1");
      o.add("trt_engine_cache_path", gpu.tensorrtEngineCache().toString());
    }
    return o;
  }
}
