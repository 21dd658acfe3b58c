package dev.edgeagent.cli;

import dev.edgeagent.config.AgentConfig;
import dev.edgeagent.config.ConfigLoader;
import dev.edgeagent.config.Setting;
import dev.edgeagent.config.Settings;
import dev.edgeagent.detect.ModelLoadException;
import dev.edgeagent.detect.ModelManifest;
import dev.edgeagent.detect.OnnxModel;
import dev.edgeagent.detect.OwnModelManifest;
import dev.edgeagent.detect.TextRecognizer;
import dev.edgeagent.enhance.EnhanceConfig;
import dev.edgeagent.pipeline.Agent;
import dev.edgeagent.pipeline.Components;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Checks a profile (keys, types, ranges, cameras, model pins) without running anything. */
@Command(name = "validate-config", mixinStandardHelpOptions = true,
    header = "Check a config file (keys, ranges, cameras, model pins) without running.",
    description = {"Checks a config file without running: every key known, every value in range, cameras well "
        + "formed (at least one, as run needs), the Kafka settings as run checks them, model files present with their pinned sha256. Exit 0, or 78 naming the key (every unset "
        + "environment variable at once).",
        "",
        "--set and --models-dir apply as they do for run, so a profile can be checked on another machine: "
        + "edge-agent validate-config --config edge-config/drone.yaml --set agent.vehicle_id=drone-1 "
        + "--set kafka.bootstrap=broker:9092 --models-dir .cache/models"})
public final class ValidateConfigCommand implements Callable<Integer> {
  @Option(names = "--config", paramLabel = "<yaml>", description = "The profile to check.")
  Path config;

  @Option(names = "--set", paramLabel = "key=value",
      description = "Check with this setting overridden, as run --set would (repeatable); the file's value "
          + "for the key, and any environment variable it uses, is then not needed.")
  Map<String, String> set = new HashMap<>();

  @Option(names = "--models-dir", paramLabel = "<dir>",
      description = "Folder with the pinned models (replaces models.dir), as for run.")
  Path modelsDir;

  @Option(names = "--list", description = "List every setting with its type, range, default and meaning.")
  boolean list;

  @Override
  public Integer call() throws Exception {
    if (list) {
      Settings.ALL.stream().map(Setting::describe).forEach(System.out::println);
      System.out.println("cameras (list of {id, input, sequence}): input is a video file, image folder, /dev/videoN or"
          + " rtsp:// URL; sequence (bool, default false): an image folder's images are frames of one sequence,"
          + " so redactions are held across them (track.hold_frames); videos and live inputs always are");
      return ExitCodes.OK;
    }
    if (config == null) {
      throw new CliFailure(ExitCodes.USAGE, "give --config <yaml> (or --list)");
    }
    CommonOptions common = new CommonOptions();
    common.config = config;
    common.set = set;
    common.modelsDir = modelsDir;
    AgentConfig cfg = common.config().with(common.overrides(), null);
    List<String> models = new ArrayList<>();
    String face = cfg.string("detect.face_model");
    boolean faceIsOwn = Components.isYuNet(face);
    if (cfg.bool("detect.faces") && !faceIsOwn) {
      models.add(face);
    }
    if (cfg.bool("detect.plates")) {
      models.add(cfg.string("models.plate"));
    }
    Path modelsDir = cfg.path("models.dir");
    if (!models.isEmpty() && !Files.isDirectory(modelsDir)) {
      throw new ModelLoadException("models.dir: folder " + modelsDir + " does not exist; fetch the models into it"
          + " (models/fetch-models.sh " + modelsDir + "), or check against another folder with --models-dir <dir>");
    }
    ModelManifest manifest = ModelManifest.load();
    if (Components.platesRead(cfg)) {
      models.add(cfg.string("models.plate_reader"));
      TextRecognizer.loadCharacters(manifest, cfg.path("models.dir"), Components.PLATE_READER_CHARACTERS);
    }
    for (String m : models) {
      Path file = cfg.path("models.dir").resolve(m + ".onnx");
      String pin = manifest.get(m).orElseThrow().sha256();
      if (!Files.isRegularFile(file)) {
        throw new ModelLoadException("models.dir: " + file + " is missing; run models/fetch-models.sh"
            + " (or give --models-dir <dir>)");
      }
      if (!OnnxModel.sha256(file).equals(pin)) {
        throw new ModelLoadException("models.dir: " + file + " does not match its sha256 pin " + pin);
      }
    }
    // enhance.* is checked as a whole (region text, overlap under half a tile), and the SR
    // model's pin only when SR is on: a vehicle without SR needs no SR file.
    EnhanceConfig enhance = EnhanceConfig.from(cfg);
    if (enhance.mode() != EnhanceConfig.Mode.OFF) {
      models.add(checkOwn("enhance.model", enhance.model()));
    }
    if (enhance.samplerModel() != null) {
      models.add(checkOwn("enhance.uncertainty", enhance.samplerModel()));
    }
    if (cfg.bool("detect.faces") && faceIsOwn) {
      models.add(checkOwn("detect.face_model", face));
    }
    if (cfg.bool("detect.plate_map")) {
      models.add(checkOwn("models.plate_map", cfg.string("models.plate_map")));
    }
    if (Components.plateMapVerified(cfg)) {
      models.add(checkOwn("models.plate_verify", cfg.string("models.plate_verify")));
    }
    // what run refuses (no camera, Kafka settings the sink rejects), this refuses too
    String sink = Agent.checkConfig(cfg);
    System.out.println("config " + config + " is valid: " + cfg.cameras().size() + " camera(s), models "
        + String.join(", ", models) + " verified, " + sink);
    return ExitCodes.OK;
  }

  /** A committed model (trained here, or YuNet): its row in own-models.tsv, its committed file, its pin. */
  private static String checkOwn(String key, String name) throws ModelLoadException {
    OwnModelManifest.Entry e = OwnModelManifest.load().get(name).orElseThrow(() ->
        new ModelLoadException(key + ": " + name + " is not in models/own-models.tsv"));
    Path file = ConfigLoader.home().resolve(e.path());
    if (!Files.isRegularFile(file) || !OnnxModel.sha256(file).equals(e.sha256())) {
      throw new ModelLoadException(key + ": " + file + " is missing or does not match its sha256 pin "
          + e.sha256());
    }
    return name;
  }
}
