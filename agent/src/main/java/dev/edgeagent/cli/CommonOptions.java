package dev.edgeagent.cli;

import dev.edgeagent.config.AgentConfig;
import dev.edgeagent.config.ConfigLoader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every processing command shares: a config file and single-setting overrides. */
public final class CommonOptions {
  @Option(names = "--config", paramLabel = "<yaml>", description = "Profile to start from (default: built-in defaults).")
  Path config;

  @Option(names = "--set", paramLabel = "key=value",
      description = "Override one setting, e.g. --set detect.face_tiles=2 (repeatable).")
  Map<String, String> set = new HashMap<>();

  @Option(names = "--models-dir", paramLabel = "<dir>", description = "Folder with the pinned models.")
  Path modelsDir;

  Map<String, Object> overrides() {
    Map<String, Object> o = new HashMap<>(set);
    if (modelsDir != null) {
      o.put("models.dir", modelsDir.toAbsolutePath().toString());
    }
    return o;
  }

  /**
   * The config file if given, else defaults; overrides are applied by the caller. The keys of
   * {@link #overrides()} are not read from the file, so {@code --set agent.vehicle_id=x} stands in
   * for an unset variable the profile uses there.
   */
  AgentConfig config() throws Exception {
    return config == null ? ConfigLoader.defaults() : new ConfigLoader().load(config, overrides().keySet());
  }
}
