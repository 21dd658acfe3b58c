package dev.edgeagent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeagent.capture.FrameMeta;
import dev.edgeagent.capture.OpenCv;
import dev.edgeagent.capture.RawFrame;
import dev.edgeagent.config.AgentConfig;
import dev.edgeagent.detect.OnnxModel;
import dev.edgeagent.encode.ImageFileWriter;
import dev.edgeagent.encode.UncertaintyPng;
import dev.edgeagent.enhance.EnhanceConfig;
import dev.edgeagent.enhance.EnhanceException;
import dev.edgeagent.enhance.EnhanceStage;
import dev.edgeagent.enhance.SrUncertainty;
import dev.edgeagent.enhance.SuperResolver;
import dev.edgeagent.enhance.UncertaintyParams;
import dev.edgeagent.health.AgentMetrics;
import dev.edgeagent.pipeline.Components;
import dev.edgeagent.pipeline.FrameProcessor;
import dev.edgeagent.redact.AnonymizedFrame;
import dev.edgeagent.track.BoxTracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * x2 super-resolution of one image. Fail closed like every other output of the agent: the image
 * first goes through the same detection and redaction as anonymize, so only an anonymized frame
 * is enlarged and written.
 */
@Command(name = "upscale", mixinStandardHelpOptions = true,
    header = "Redact, then enlarge one image x2 with the project's SR model.",
    description = {"Redacts faces and plates (as anonymize does, per --config/--set), then enlarges the image x2 "
        + "with the project's SR model (tiled, blended seams). If a detector fails, nothing is written "
        + "(exit 65). --uncertainty also writes where the flow model was unsure (the spread of its "
        + "samples). The output format follows the --output extension. The last stdout line is a JSON "
        + "summary."})
public final class UpscaleCommand implements Callable<Integer> {
  @Option(names = "--input", required = true, paramLabel = "<image>", description = "Image to redact and enlarge.")
  Path input;

  @Option(names = "--output", required = true, paramLabel = "<image>", description = "Where to write the result.")
  Path output;

  @Option(names = "--scale", defaultValue = "2", paramLabel = "<n>", description = "Enlargement; only 2 is available.")
  int scale;

  @Option(names = "--model", paramLabel = "<name>",
      description = "affine-stablesr-x2 or fsrcnn-x2 (default: enhance.model).")
  String model;

  @Option(names = "--uncertainty", paramLabel = "<png>",
      description = "Also write the SR uncertainty map here: 8-bit grey PNG at the output's size, brighter = less "
          + "certain (grey g = a standard deviation of g/255 * 8 on Y, 16..235 units, across the flow's samples). "
          + "Flow model only; costs about 5x the SR itself at 8 samples.")
  Path uncertainty;

  @Mixin
  SamplingOptions sampling;

  @Mixin
  CommonOptions common;

  @Override
  public Integer call() throws Exception {
    SrModels.checkScale(scale);
    AgentConfig cfg = common.config().with(common.overrides(), null);
    EnhanceConfig ec = EnhanceConfig.from(cfg);
    String name = SrModels.name(model, cfg);
    UncertaintyParams up = uncertaintyParams(cfg, name);
    if (!Files.isRegularFile(input)) {
      throw new CliFailure(ExitCodes.NO_INPUT, "input " + input + " does not exist");
    }
    OpenCv.ensureLoaded();
    Mat img = Imgcodecs.imread(input.toString(), Imgcodecs.IMREAD_COLOR);
    if (img.empty()) {
      throw new CliFailure(ExitCodes.DATA_ERR, "cannot decode " + input + " as an image");
    }
    int w = img.cols();
    int h = img.rows();
    long t0 = System.nanoTime();
    try (OnnxModel m = SrModels.load(cfg, name);
         OnnxModel sampler = up == null ? null : SrModels.load(cfg, EnhanceConfig.FLOW_SAMPLER);
         AnonymizedFrame clean = redacted(cfg, img, input);
         AnonymizedFrame out = new EnhanceStage(EnhanceConfig.Mode.FRAME, null,
             new SuperResolver(m, SrModels.SCALE, ec.tilePx(), ec.overlapPx()),
             up == null ? null : new SrUncertainty(sampler, ec.tilePx(), ec.overlapPx(), up)).apply(clean)) {
      new ImageFileWriter(output, true).accept(out);
      ObjectNode s = new ObjectMapper().createObjectNode();
      if (up != null) {
        // Written only after the image itself: both come from the same anonymized pixels.
        Files.write(uncertainty, UncertaintyPng.encode(out.enhancement().uncertainty()));
        s.put("uncertainty", uncertainty.toString()).put("samples", up.samples())
            .put("temperature", up.temperature()).put("seed", up.seed())
            .put("std_full_scale_y", SrUncertainty.STD_FULL_SCALE_Y);
      }
      s.put("input", input.toString()).put("output", output.toString()).put("model", name)
          .put("regions_redacted", clean.redactions().size())
          .put("sha256", m.info().sha256()).put("width", out.meta().width())
          .put("height", out.meta().height()).put("input_width", w).put("input_height", h)
          .put("ms", Math.round((System.nanoTime() - t0) / 1e6));
      System.out.println(new ObjectMapper().writeValueAsString(s));
      return ExitCodes.OK;
    } catch (EnhanceException e) {
      throw new CliFailure(ExitCodes.SOFTWARE, e.getMessage());
    }
  }

  /** The sampling settings when --uncertainty is given (options over enhance.uncertainty_*), else null. */
  private UncertaintyParams uncertaintyParams(AgentConfig cfg, String name) throws CliFailure {
    if (uncertainty == null) {
      return null;
    }
    if (!EnhanceConfig.FLOW_MODEL.equals(name)) {
      throw new CliFailure(ExitCodes.USAGE, "--uncertainty needs the flow model " + EnhanceConfig.FLOW_MODEL
          + " (it is sampled); " + name + " gives a single answer");
    }
    return sampling.params(cfg);
  }

  /** The image through the agent's own detect and redact; a detector fault writes nothing. */
  private static AnonymizedFrame redacted(AgentConfig cfg, Mat img, Path input) throws Exception {
    FrameMeta meta = FrameMeta.capturedNow("upscale", 0, img.cols(), img.rows(), input.getFileName().toString());
    try (Components c = Components.build(cfg.with(java.util.Map.of("enhance.mode", "off"), null),
        new AgentMetrics())) {
      FrameProcessor.Outcome o = new FrameProcessor(c).process(new RawFrame(meta, img), new BoxTracker(0));
      if (o.frame() == null) {
        throw new CliFailure(ExitCodes.DATA_ERR, "redaction failed (" + o.dropped().label()
            + "); nothing was written");
      }
      return o.frame();
    }
  }
}
