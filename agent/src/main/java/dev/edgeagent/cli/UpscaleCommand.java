package dev.edgeagent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeagent.capture.FrameMeta;
import dev.edgeagent.capture.OpenCv;
import dev.edgeagent.capture.RawFrame;
import dev.edgeagent.config.AgentConfig;
import dev.edgeagent.detect.OnnxModel;
import dev.edgeagent.encode.ImageFileWriter;
import dev.edgeagent.enhance.EnhanceConfig;
import dev.edgeagent.enhance.EnhanceException;
import dev.edgeagent.enhance.EnhanceStage;
import dev.edgeagent.enhance.SuperResolver;
import dev.edgeagent.redact.AnonymizedFrame;
import dev.edgeagent.redact.RedactionMode;
import dev.edgeagent.redact.Redactor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** x2 super-resolution of one image the user vouches for. */
@Command(name = "upscale", mixinStandardHelpOptions = true,
    description = {"Enlarges one image x2 with the project's SR model (tiled, blended seams).",
        "It does NO redaction: the input must already be clean (an anonymize output).",
        "The output format follows the --output extension. The last stdout line is",
        "a JSON summary."})
public final class UpscaleCommand implements Callable<Integer> {
  @Option(names = "--input", required = true, paramLabel = "<image>", description = "Image to enlarge (already anonymized).")
  Path input;

  @Option(names = "--output", required = true, paramLabel = "<image>", description = "Where to write the result.")
  Path output;

  @Option(names = "--scale", defaultValue = "2", paramLabel = "<n>", description = "Enlargement; only 2 is available.")
  int scale;

  @Option(names = "--model", paramLabel = "<name>",
      description = "affine-stablesr-x2 or fsrcnn-x2 (default: enhance.model).")
  String model;

  @Mixin
  CommonOptions common;

  @Override
  public Integer call() throws Exception {
    SrModels.checkScale(scale);
    AgentConfig cfg = common.config().with(common.overrides(), null);
    EnhanceConfig ec = EnhanceConfig.from(cfg);
    String name = SrModels.name(model, cfg);
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
         AnonymizedFrame clean = vouchedFor(img, input);
         AnonymizedFrame up = new EnhanceStage(EnhanceConfig.Mode.FRAME, null,
             new SuperResolver(m, SrModels.SCALE, ec.tilePx(), ec.overlapPx())).apply(clean)) {
      new ImageFileWriter(output, true).accept(up);
      ObjectNode s = new ObjectMapper().createObjectNode();
      s.put("input", input.toString()).put("output", output.toString()).put("model", name)
          .put("sha256", m.info().sha256()).put("width", up.meta().width())
          .put("height", up.meta().height()).put("input_width", w).put("input_height", h)
          .put("ms", Math.round((System.nanoTime() - t0) / 1e6));
      System.out.println(new ObjectMapper().writeValueAsString(s));
      return ExitCodes.OK;
    } catch (EnhanceException e) {
      throw new CliFailure(ExitCodes.SOFTWARE, e.getMessage());
    }
  }

  /**
   * The user states the input is clean, so it passes the redactor with no detections: the
   * resulting frame honestly records zero redactions and no detector models.
   */
  private static AnonymizedFrame vouchedFor(Mat img, Path input) {
    FrameMeta meta = new FrameMeta("upscale", 0, System.currentTimeMillis(), System.nanoTime(),
        img.cols(), img.rows(), input.getFileName().toString());
    return new Redactor(RedactionMode.SOLID, 0).redact(new RawFrame(meta, img), List.of(), List.of(), 0);
  }
}
