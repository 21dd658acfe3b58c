package dev.edgeagent.cli;

import dev.edgeagent.config.AgentConfig;
import dev.edgeagent.enhance.UncertaintyParams;
import picocli.CommandLine.Option;

/**
 * {@code --samples} and {@code --temperature} of the SR uncertainty map, shared by
 * {@code upscale} and {@code eval-sr}; each falls back to its {@code enhance.uncertainty_*}
 * setting, and the seed always comes from {@code enhance.uncertainty_seed}.
 */
final class SamplingOptions {
  @Option(names = "--samples", paramLabel = "<k>",
      description = "Flow samples for --uncertainty, 1..64 (default: enhance.uncertainty_samples).")
  Integer samples;

  @Option(names = "--temperature", paramLabel = "<tau>",
      description = "Sampling temperature for --uncertainty, 0..2 (default: enhance.uncertainty_temperature).")
  Double temperature;

  /** The options over the config's settings, checked; a bad value is a usage error (exit 64). */
  UncertaintyParams params(AgentConfig cfg) throws CliFailure {
    try {
      return new UncertaintyParams(samples != null ? samples : cfg.integer("enhance.uncertainty_samples"),
          temperature != null ? temperature : cfg.decimal("enhance.uncertainty_temperature"),
          cfg.longValue("enhance.uncertainty_seed"));
    } catch (IllegalArgumentException e) {
      throw new CliFailure(ExitCodes.USAGE, "--samples/--temperature: " + e.getMessage());
    }
  }
}
