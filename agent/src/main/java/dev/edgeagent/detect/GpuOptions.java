package dev.edgeagent.detect;

import java.nio.file.Path;

/**
 * The options of the GPU providers that matter on an edge box.
 *
 * @param deviceId CUDA device index (inference.device_id)
 * @param cudaMemLimitBytes cap on the CUDA arena, 0 for none (inference.cuda_mem_limit)
 * @param tensorrtFp16 TensorRT builds FP16 engines (inference.tensorrt_fp16)
 * @param tensorrtEngineCache folder for built TensorRT engines, or null for no cache
 *     (inference.tensorrt_engine_cache)
 */
public record GpuOptions(int deviceId, long cudaMemLimitBytes, boolean tensorrtFp16, Path tensorrtEngineCache) {

  /** ONNX Runtime's own defaults: device 0, no cap, FP32, no engine cache. */
  public static final GpuOptions DEFAULTS = new GpuOptions(0, 0, false, null);
}
