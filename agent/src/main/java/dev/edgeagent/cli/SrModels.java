package dev.edgeagent.cli;

import dev.edgeagent.config.AgentConfig;
import dev.edgeagent.config.ConfigLoader;
import dev.edgeagent.detect.InferenceProvider;
import dev.edgeagent.detect.ModelLoadException;
import dev.edgeagent.detect.OnnxModel;
import dev.edgeagent.detect.OwnModelManifest;
import java.util.List;
import java.util.Locale;

/** What the SR commands share: the model names, the scale check and loading a pinned model. */
final class SrModels {
  static final List<String> NAMES = List.of("affine-stablesr-x2", "fsrcnn-x2");
  static final int SCALE = 2;

  private SrModels() {}

  static void checkScale(int scale) throws CliFailure {
    if (scale != SCALE) {
      throw new CliFailure(ExitCodes.USAGE, "--scale " + scale + " is not available: only x2 models"
          + " are trained (x4 is not available)");
    }
  }

  /** The --model option if given, else enhance.model; usage error for an unknown name. */
  static String name(String option, AgentConfig cfg) throws CliFailure {
    String n = option == null ? cfg.string("enhance.model") : option.toLowerCase(Locale.ROOT);
    if (!NAMES.contains(n)) {
      throw new CliFailure(ExitCodes.USAGE, "--model " + option + " is not one of " + NAMES);
    }
    return n;
  }

  /** Loads and sha256-checks the pinned file (mismatch: ModelLoadException, exit 78). */
  static OnnxModel load(AgentConfig cfg, String name) throws ModelLoadException {
    InferenceProvider provider = InferenceProvider.valueOf(
        cfg.string("inference.provider").toUpperCase(Locale.ROOT));
    return OnnxModel.loadOwn(OwnModelManifest.load(), ConfigLoader.home(), name, provider,
        cfg.integer("inference.intra_op_threads"));
  }

  static long params(String name) {
    return OwnModelManifest.load().get(name).map(OwnModelManifest.Entry::params).orElse(0L);
  }
}
