package dev.edgeagent.pipeline;

import dev.edgeagent.config.AgentConfig;
import dev.edgeagent.config.ConfigException;
import dev.edgeagent.config.ConfigLoader;
import dev.edgeagent.detect.ModelManifest;
import dev.edgeagent.detect.OwnModelManifest;
import dev.edgeagent.enhance.EnhanceConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The model files a config makes {@link Components} load, with the setting that names each. */
public final class ConfiguredModels {
  private ConfiguredModels() {}

  /**
   * One model a config uses.
   *
   * @param setting the key that names it (what an operator changes)
   * @param name manifest name
   * @param file where it must be
   * @param sha256 its pin
   */
  public record Model(String setting, String name, Path file, String sha256) {}

  public static List<Model> of(AgentConfig cfg) throws ConfigException {
    List<Model> out = new ArrayList<>();
    String face = cfg.string("detect.face_model");
    if (cfg.bool("detect.faces")) {
      out.add(Components.isYuNet(face) ? own("detect.face_model", face) : fetched(cfg, "detect.face_model", face));
    }
    if (Components.platesRead(cfg)) {
      out.add(fetched(cfg, "models.plate_reader", cfg.string("models.plate_reader")));
    }
    if (cfg.bool("detect.plates")) {
      out.add(fetched(cfg, "models.plate", cfg.string("models.plate")));
    }
    if (cfg.bool("detect.plate_map")) {
      out.add(own("models.plate_map", cfg.string("models.plate_map")));
    }
    if (Components.plateMapVerified(cfg)) {
      out.add(own("models.plate_verify", cfg.string("models.plate_verify")));
    }
    EnhanceConfig enhance = EnhanceConfig.from(cfg);
    if (enhance.mode() != EnhanceConfig.Mode.OFF) {
      out.add(own("enhance.model", enhance.model()));
    }
    if (enhance.samplerModel() != null) {
      out.add(own("enhance.uncertainty", enhance.samplerModel()));
    }
    if (cfg.bool("inspect.enabled")) {
      out.add(own("inspect.enabled", dev.edgeagent.inspect.PatchFlowModel.NAME));
    }
    return out;
  }

  private static Model fetched(AgentConfig cfg, String key, String name) throws ConfigException {
    ModelManifest.Entry e = ModelManifest.load().get(name)
        .orElseThrow(() -> new ConfigException(key + ": " + name + " is not in models/manifest.tsv"));
    return new Model(key, name, cfg.path("models.dir").resolve(name + ".onnx"), e.sha256());
  }

  private static Model own(String key, String name) throws ConfigException {
    OwnModelManifest.Entry e = OwnModelManifest.load().get(name)
        .orElseThrow(() -> new ConfigException(key + ": " + name + " is not in models/own-models.tsv"));
    return new Model(key, name, ConfigLoader.home().resolve(e.path()).normalize(), e.sha256());
  }
}
