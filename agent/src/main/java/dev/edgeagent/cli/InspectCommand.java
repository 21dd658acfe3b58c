package dev.edgeagent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeagent.capture.FrameSource;
import dev.edgeagent.capture.ImageFolderSource;
import dev.edgeagent.capture.ImageLimits;
import dev.edgeagent.capture.RawFrame;
import dev.edgeagent.capture.Sources;
import dev.edgeagent.config.AgentConfig;
import dev.edgeagent.config.ConfigLoader;
import dev.edgeagent.detect.InferenceConfig;
import dev.edgeagent.detect.OwnModelManifest;
import dev.edgeagent.encode.ImageFileWriter;
import dev.edgeagent.health.AgentMetrics;
import dev.edgeagent.inspect.CropInspector;
import dev.edgeagent.inspect.HeatmapOverlay;
import dev.edgeagent.inspect.InspectException;
import dev.edgeagent.inspect.Inspection;
import dev.edgeagent.inspect.InspectionReport;
import dev.edgeagent.inspect.PatchFlowModel;
import dev.edgeagent.pipeline.Components;
import dev.edgeagent.pipeline.FrameProcessor;
import dev.edgeagent.redact.AnonymizedFrame;
import dev.edgeagent.track.BoxTracker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Crop-anomaly map of an image, an image folder or a video's sampled frames. Every frame is
 * redacted first (as anonymize does), so the overlay written is of anonymized pixels only.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    header = "Crop-anomaly map: flag unusual patches of field or vegetation imagery.",
    description = {"Scores every 16x16 patch of each image with the project's patch flows (models/anomaly: a "
        + "normalizing flow trained on healthy vegetation and field texture, compared with one trained on "
        + "everyday photos) and flags the patches that are unusual for field texture relative to the rest of "
        + "the image: holes, dry or discoloured patches, foreign objects, missing rows. It knows only the kinds "
        + "of vegetation it was trained on. Images larger than the model's analysis scale (768 px long side) are shrunk first. "
        + "Each frame is redacted first (faces and plates, as anonymize does, per --config/--set), so what is "
        + "written is anonymized. For each image or sampled video frame, --output gets <name>.heatmap.png "
        + "(the map over the image, flagged regions boxed) and <name>.regions.json. The last stdout line is a "
        + "JSON summary: for each image its file, score (higher is more unusual) and regions. Read "
        + "models/anomaly/MODEL_CARD.md for what the score can and cannot tell you."})
public final class InspectCommand implements Callable<Integer> {
  @Option(names = "--input", required = true, paramLabel = "<image|dir|video>", description = "What to inspect.")
  String input;

  @Option(names = "--output", required = true, paramLabel = "<dir>", description = "Folder for heatmaps and region files.")
  Path output;

  @Option(names = "--every", defaultValue = "30", paramLabel = "<n>",
      description = "Video: inspect one frame in n (default: ${DEFAULT-VALUE}). Ignored for images.")
  int every;

  @Option(names = "--max-regions", defaultValue = "10", paramLabel = "<n>",
      description = "Regions per image in the summary line (the regions file lists all; default: ${DEFAULT-VALUE}).")
  int maxRegions;

  @Option(names = "--timeout-ms", defaultValue = "600000", paramLabel = "<ms>",
      description = "Time limit of the face/plate detectors on one frame (batch work has no live deadline; "
          + "default: ${DEFAULT-VALUE}). A frame they fail on stops the run with nothing written for it.")
  long timeoutMs;

  @Mixin
  CommonOptions common;

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public Integer call() throws Exception {
    if (every < 1 || maxRegions < 0) {
      throw new CliFailure(ExitCodes.USAGE, "--every must be at least 1 and --max-regions at least 0");
    }
    if (Sources.isLive(input)) {
      throw new CliFailure(ExitCodes.USAGE, "inspect reads files and folders, not live sources (" + input + ")");
    }
    AgentConfig cfg = common.config().with(common.overrides(), null)
        .with(Map.of("enhance.mode", "off", "inference.timeout_ms", timeoutMs), null);
    long t0 = System.nanoTime();
    try (PatchFlowModel model = PatchFlowModel.loadPinned(OwnModelManifest.load(), ConfigLoader.home(),
             InferenceConfig.from(cfg));
         FrameSource source = Sources.open("inspect", input, cfg.integer("pipeline.live_buffer_frames"), false,
             ImageLimits.from(cfg))) {
      try {
        Files.createDirectories(output);
      } catch (IOException e) {
        throw new CliFailure(ExitCodes.CANT_CREATE, "cannot create --output " + output + ": " + e.getMessage());
      }
      CropInspector inspector = new CropInspector(model);
      boolean video = Sources.isVideoFile(source);
      ObjectNode summary = JSON.createObjectNode();
      ArrayNode images = summary.putArray("images");
      long flagged = 0;
      try (Components c = Components.build(cfg, new AgentMetrics())) {
        FrameProcessor processor = new FrameProcessor(c);
        for (RawFrame raw = source.next(); raw != null; raw = source.next()) {
          try (RawFrame frame = raw) {
            long seq = frame.meta().sequence();
            if (video && seq % every != 0) {
              continue;
            }
            String name = video ? stem(Path.of(input).getFileName().toString()) + String.format(Locale.ROOT, "_f%06d", seq)
                : stem(frame.meta().sourceName());
            String label = video ? input + "#" + seq : frame.meta().sourceName();
            Inspection in = inspectOne(processor, frame, inspector, name, label, model);
            images.add(InspectionReport.summaryEntry(label, in, maxRegions));
            flagged += in.regions().isEmpty() ? 0 : 1;
          }
        }
      }
      long unreadable = source.unreadable();
      summary.put("inspected", images.size()).put("flagged_images", flagged).put("unreadable", unreadable);
      if (unreadable > 0 && source instanceof ImageFolderSource f) {
        f.unreadableReasons().forEach(summary.putArray("unreadable_files")::add);
      }
      summary.put("model", model.info().id()).put("sha256", model.info().sha256())
          .put("threshold", model.contract().threshold()).put("score_rule", model.contract().scoreRule().key())
          .put("output", output.toString()).put("ms", Math.round((System.nanoTime() - t0) / 1e6));
      System.out.println(JSON.writeValueAsString(summary));
      if (unreadable > 0) {
        System.err.println("edge-agent: " + unreadable + " input image(s) could not be decoded (unreadable_files in"
            + " the summary)");
        return ExitCodes.DATA_ERR;
      }
      return ExitCodes.OK;
    } catch (InspectException e) {
      throw new CliFailure(ExitCodes.CONFIG, e.getMessage());
    }
  }

  /** Redact, score, write the overlay and the regions file of one frame. */
  private Inspection inspectOne(FrameProcessor processor, RawFrame frame, CropInspector inspector, String name,
      String label, PatchFlowModel model) throws Exception {
    FrameProcessor.Outcome o = processor.process(frame, new BoxTracker(0));
    if (o.frame() == null) {
      throw new CliFailure(ExitCodes.DATA_ERR, label + ": redaction failed (" + o.dropped().label()
          + "); nothing was written for it");
    }
    try (AnonymizedFrame clean = o.frame()) {
      Inspection in;
      try {
        in = inspector.inspect(clean);
      } catch (InspectException e) {
        throw new CliFailure(ExitCodes.SOFTWARE, label + ": " + e.getMessage());
      }
      try (AnonymizedFrame overlay = clean.derive(HeatmapOverlay.draw(clean.pixels(), in), null, 1)) {
        new ImageFileWriter(output.resolve(name + ".heatmap.png"), true).accept(overlay);
      }
      Files.writeString(output.resolve(name + ".regions.json"), JSON.writerWithDefaultPrettyPrinter()
          .writeValueAsString(InspectionReport.regionsFile(label, in, model.info(), model.contract()))
          + System.lineSeparator());
      return in;
    }
  }

  private static String stem(String file) {
    String base = Path.of(file == null ? "frame" : file).getFileName().toString();
    int dot = base.lastIndexOf('.');
    return dot > 0 ? base.substring(0, dot) : base;
  }
}
