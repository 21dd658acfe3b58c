package dev.edgeagent.detect;

import dev.edgeagent.config.AgentConfig;
import dev.edgeagent.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The inference.* settings a model session is built from, checked together: a GPU demanded of
 * the CPU provider, or an engine cache that cannot be a folder, are refused when the config is
 * read, not when the first model loads.
 *
 * @param request which provider to ask for (inference.provider)
 * @param requireGpu refuse to run a model on the CPU (inference.require_gpu)
 * @param intraOpThreads threads inside one model run (inference.intra_op_threads)
 * @param gpu options of the cuda and tensorrt providers
 */
public record InferenceConfig(ProviderRequest request, boolean requireGpu, int intraOpThreads, GpuOptions gpu) {

  public static InferenceConfig from(AgentConfig cfg) throws ConfigException {
    ProviderRequest request = ProviderRequest.parse(cfg.string("inference.provider"));
    boolean requireGpu = cfg.bool("inference.require_gpu");
    if (requireGpu && request == ProviderRequest.CPU) {
      throw new ConfigException("inference.require_gpu: true cannot be met with inference.provider: cpu; set"
          + " inference.provider to cuda, tensorrt or auto, or inference.require_gpu to false");
    }
    String cache = cfg.string("inference.tensorrt_engine_cache");
    Path cacheDir = cache.isBlank() ? null : cfg.path("inference.tensorrt_engine_cache");
    if (cacheDir != null) {
      checkCacheFolder(cacheDir);
    }
    return new InferenceConfig(request, requireGpu, cfg.integer("inference.intra_op_threads"),
        new GpuOptions(cfg.integer("inference.device_id"), cfg.longValue("inference.cuda_mem_limit"),
            cfg.bool("inference.tensorrt_fp16"), cacheDir));
  }

  /** One provider (or fallback chain) with default GPU options; what tests and tools use. */
  public static InferenceConfig of(InferenceProvider provider, int intraOpThreads) {
    return new InferenceConfig(ProviderRequest.of(provider), false, intraOpThreads, GpuOptions.DEFAULTS);
  }

  /** This config with another request and no GPU requirement: doctor tries each provider on its own. */
  public InferenceConfig only(InferenceProvider provider) {
    return new InferenceConfig(ProviderRequest.of(provider), false, intraOpThreads, gpu);
  }

  /**
   * The folder may not exist yet (it is created when TensorRT first loads), but what exists of it
   * must be a folder the agent can write: TensorRT would otherwise rebuild every engine on every
   * start and say so only in its own log.
   */
  private static void checkCacheFolder(Path dir) throws ConfigException {
    Path existing = dir;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null || !Files.isDirectory(existing)) {
      throw new ConfigException("inference.tensorrt_engine_cache: " + (existing == null ? dir : existing)
          + " is not a folder; give a folder the agent may write (or leave the setting empty for no cache)");
    }
    if (!Files.isWritable(existing)) {
      throw new ConfigException("inference.tensorrt_engine_cache: " + existing + " is not writable by this user;"
          + " give a folder the agent may write (e.g. under /var/lib/edge-agent), or fix its permissions");
    }
  }
}
