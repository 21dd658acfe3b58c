package dev.edgeagent.detect;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Opens a model's session on the first provider of the request that loads. A provider missing
 * from this ONNX Runtime build is not tried; one that is built in but fails (no driver, no CUDA
 * or TensorRT libraries, no device) is caught and the next is tried. With {@code
 * inference.require_gpu} a session that would end on the CPU is refused instead.
 */
public final class SessionOpener {

  /** Creates a session with one provider; the real one asks ONNX Runtime. */
  @FunctionalInterface
  interface Attempt {
    OrtSession open(InferenceProvider provider) throws Exception;
  }

  private final EnumSet<OrtProvider> available;
  private final ProviderWarnings warnings;

  SessionOpener(EnumSet<OrtProvider> available, ProviderWarnings warnings) {
    this.available = available;
    this.warnings = warnings;
  }

  /** The agent's: the providers this ONNX Runtime build has, warnings on the log. */
  public static SessionOpener ofRuntime() throws ModelLoadException {
    OrtRuntime.environment();
    return new SessionOpener(OrtEnvironment.getAvailableProviders(), ProviderWarnings.LOGGED);
  }

  /** Opens {@code file} as configured, falling back along the request's candidates. */
  public OpenedSession open(String model, Path file, InferenceConfig cfg) throws ModelLoadException {
    return open(model, cfg, p -> createSession(file, cfg, p));
  }

  /**
   * Opens {@code file} on exactly {@code provider}, with no fallback and no warning: doctor's
   * question "does this provider load this model here?".
   *
   * @throws ModelLoadException whose message is ONNX Runtime's reason
   */
  public OpenedSession openOnly(Path file, InferenceConfig cfg, InferenceProvider provider) throws ModelLoadException {
    if (!available.contains(provider.ort())) {
      throw new ModelLoadException(notBuiltIn());
    }
    try {
      return new OpenedSession(createSession(file, cfg, provider), provider, Map.of());
    } catch (Exception | LinkageError e) {
      throw new ModelLoadException(firstLine(e), e);
    }
  }

  /** The providers this ONNX Runtime build has compiled in (not proof that they load). */
  public EnumSet<OrtProvider> available() {
    return EnumSet.copyOf(available);
  }

  OpenedSession open(String model, InferenceConfig cfg, Attempt attempt) throws ModelLoadException {
    Map<InferenceProvider, String> refused = new LinkedHashMap<>();
    for (InferenceProvider p : cfg.request().candidates()) {
      if (p == InferenceProvider.CPU && cfg.requireGpu()) {
        throw gpuRequired(model, refused);
      }
      String reason = null;
      if (!available.contains(p.ort())) {
        reason = notBuiltIn();
      } else {
        try {
          OrtSession s = attempt.open(p);
          return new OpenedSession(s, p, Map.copyOf(refused));
        } catch (Exception | LinkageError e) {
          if (p == InferenceProvider.CPU) {
            throw new ModelLoadException("cannot load model " + model + ": " + e.getMessage(), e);
          }
          reason = firstLine(e);
        }
      }
      refused.put(p, reason);
      InferenceProvider next = next(cfg, p);
      if (!(cfg.requireGpu() && next == InferenceProvider.CPU)) {
        // with require_gpu the refusal below says it, once, as the reason the agent stops
        warnings.unavailable(p, cfg.request(), next, model, reason);
      }
    }
    throw gpuRequired(model, refused);
  }

  /** Why a provider was not tried, and where a build that has it comes from. */
  private String notBuiltIn() {
    return "not in this ONNX Runtime build (it has " + available + "; the GPU providers come with mvn -Pcuda on"
        + " x86-64, or with a GPU build of the native libraries in " + OrtRuntime.LIB_DIR_ENV + ")";
  }

  private static InferenceProvider next(InferenceConfig cfg, InferenceProvider failed) {
    var list = cfg.request().candidates();
    int i = list.indexOf(failed);
    return i + 1 < list.size() ? list.get(i + 1) : InferenceProvider.CPU;
  }

  private static ModelLoadException gpuRequired(String model, Map<InferenceProvider, String> refused) {
    StringBuilder why = new StringBuilder();
    refused.forEach((p, r) -> why.append(why.length() == 0 ? "" : "; ").append(p.label()).append(": ").append(r));
    return new ModelLoadException("inference.require_gpu: model " + model + " would run on the CPU because no GPU"
        + " provider loaded (" + why + "). Fix the GPU setup (edge-agent doctor shows what this box has; on a"
        + " Jetson see README 'Running on a Jetson'), or set inference.require_gpu: false to allow the CPU");
  }

  private static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.lines().findFirst().orElse(m).strip();
  }

  private static OrtSession createSession(Path file, InferenceConfig cfg, InferenceProvider p) throws Exception {
    OrtEnvironment env = OrtRuntime.environment();
    try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
      opts.setIntraOpNumThreads(cfg.intraOpThreads());
      opts.setInterOpNumThreads(1);
      opts.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
      opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      ProviderRegistration.add(opts, p, cfg.gpu());
      return env.createSession(file.toString(), opts);
    }
  }
}
