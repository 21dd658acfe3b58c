package dev.edgeagent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeagent.capture.OpenCv;
import dev.edgeagent.capture.ImageFolderSource;
import dev.edgeagent.config.AgentConfig;
import dev.edgeagent.detect.OnnxModel;
import dev.edgeagent.enhance.EnhanceConfig;
import dev.edgeagent.enhance.EnhanceException;
import dev.edgeagent.enhance.SrUncertainty;
import dev.edgeagent.enhance.SuperResolver;
import dev.edgeagent.enhance.UncertaintyParams;
import dev.edgeagent.eval.SrScorer;
import dev.edgeagent.eval.UncertaintyScorer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** PSNR/SSIM of the SR model against bicubic on a folder of high-resolution images. */
@Command(name = "eval-sr", mixinStandardHelpOptions = true,
    header = "Score x2 super-resolution (PSNR-Y, SSIM) against bicubic on HR images.",
    description = {"Scores x2 super-resolution on a folder of high-resolution images.",
        "",
        "HR = each image cropped to even size. LR = HR shrunk x2 with Pillow's antialiased bicubic "
        + "(a=-0.5, reimplemented bit-exact): the degradation the models were trained and scored on "
        + "(models/sr/eval.py). --lr-kernel opencv-cubic uses OpenCV INTER_CUBIC instead (a=-0.75, not "
        + "antialiased): aliased LR the models never saw, so they score far lower on it.",
        "",
        "SR = model(LR) with the agent's tiling. PSNR and SSIM (11x11 Gaussian, sigma 1.5) on BT.601 Y "
        + "(16-235) with a 2 px border cropped; bicubic_psnr_y scores the same kernel's x2 enlargement of "
        + "the same LR. ms_per_megapixel is SR time per output megapixel. --uncertainty adds the uncertainty "
        + "map's time per output megapixel and its mean Spearman correlation with the true |error| (and the "
        + "gradient baseline's). The last stdout line is a JSON summary."})
public final class EvalSrCommand implements Callable<Integer> {
  @Option(names = "--dataset", required = true, paramLabel = "<dir>", description = "Folder of HR images.")
  Path dataset;

  @Option(names = "--scale", defaultValue = "2", paramLabel = "<n>", description = "Enlargement; only 2 is available.")
  int scale;

  @Option(names = "--model", paramLabel = "<name>",
      description = "affine-stablesr-x2 or fsrcnn-x2 (default: enhance.model).")
  String model;

  @Option(names = "--lr-kernel", defaultValue = "pil-bicubic", paramLabel = "pil-bicubic|opencv-cubic",
      description = "How LR is made from HR (default: ${DEFAULT-VALUE}).")
  String lrKernel;

  @Option(names = "--uncertainty",
      description = "Also time the SR uncertainty map (flow model only) and rank-correlate it with the SR output's "
          + "true |error| on Y, against the Sobel gradient of the bicubic enlargement (Pillow-bicubic LR).")
  boolean uncertainty;

  @Mixin
  SamplingOptions sampling;

  @Option(names = "--report", paramLabel = "<file.json>", description = "Also write the summary, with per-image scores, here.")
  Path report;

  @Mixin
  CommonOptions common;

  @Override
  public Integer call() throws Exception {
    SrModels.checkScale(scale);
    SrScorer.LrKernel kernel = kernel(lrKernel);
    AgentConfig cfg = common.config().with(common.overrides(), null);
    EnhanceConfig ec = EnhanceConfig.from(cfg);
    String name = SrModels.name(model, cfg);
    List<Path> files = images(dataset);
    OpenCv.ensureLoaded();
    ObjectMapper json = new ObjectMapper();
    ArrayNode perImage = json.createArrayNode();
    double psnr = 0;
    double ssim = 0;
    double bicPsnr = 0;
    double bicSsim = 0;
    long nanos = 0;
    double outPixels = 0;
    int skipped = 0;
    UncertaintyParams up = uncertainty ? uncertaintyParams(cfg, name, kernel) : null;
    UncertaintyTally tally = new UncertaintyTally();
    try (OnnxModel m = SrModels.load(cfg, name);
         OnnxModel sampler = up == null ? null : SrModels.load(cfg, EnhanceConfig.FLOW_SAMPLER)) {
      SuperResolver sr = new SuperResolver(m, SrModels.SCALE, ec.tilePx(), ec.overlapPx());
      SrScorer scorer = new SrScorer(sr, kernel);
      UncertaintyScorer uscorer = up == null ? null
          : new UncertaintyScorer(sr, new SrUncertainty(sampler, ec.tilePx(), ec.overlapPx(), up));
      ProgressBar bar = ProgressBar.forStderr();
      int done = 0;
      for (Path f : files) {
        Mat hr = Imgcodecs.imread(f.toString(), Imgcodecs.IMREAD_COLOR);
        try {
          if (hr.empty() || hr.cols() < scorer.minSide() || hr.rows() < scorer.minSide()) {
            // One bad file should not void a benchmark run: count it, say which, go on.
            System.err.println("edge-agent: skipped " + f + (hr.empty() ? ": cannot decode" : ": too small"));
            skipped++;
            continue;
          }
          SrScorer.Score s = scorer.score(hr);
          psnr += s.psnrY();
          ssim += s.ssim();
          bicPsnr += s.bicubicPsnrY();
          bicSsim += s.bicubicSsim();
          nanos += s.srNanos();
          outPixels += (double) s.width() * s.height();
          ObjectNode row = perImage.addObject().put("image", f.getFileName().toString()).put("width", s.width())
              .put("height", s.height()).put("psnr_y", r4(s.psnrY())).put("ssim", r4(s.ssim()))
              .put("bicubic_psnr_y", r4(s.bicubicPsnrY())).put("bicubic_ssim", r4(s.bicubicSsim()))
              .put("sr_ms", Math.round(s.srNanos() / 1e6));
          if (uscorer != null) {
            tally.add(uscorer.score(hr), row);
          }
        } finally {
          hr.release();
          bar.update(++done, files.size());
        }
      }
      bar.finish();
    } catch (EnhanceException e) {
      throw new CliFailure(ExitCodes.SOFTWARE, e.getMessage());
    }
    int n = perImage.size();
    if (n == 0) {
      throw new CliFailure(ExitCodes.DATA_ERR, "none of the " + files.size() + " images in " + dataset
          + " could be scored (unreadable or smaller than 15x15)");
    }
    ObjectNode s = json.createObjectNode();
    s.put("model", name).put("scale", scale).put("images", n).put("skipped", skipped)
        .put("psnr_y", r4(psnr / n)).put("ssim", r4(ssim / n))
        .put("bicubic_psnr_y", r4(bicPsnr / n)).put("bicubic_ssim", r4(bicSsim / n))
        .put("gain_db", r4((psnr - bicPsnr) / n))
        .put("params", SrModels.params(name))
        .put("ms_per_megapixel", Math.round(nanos / 1e6 / (outPixels / 1e6) * 10) / 10.0)
        .put("lr_kernel", kernel.description()).put("border_px", scale)
        .put("tile_px", ec.tilePx()).put("tile_overlap_px", ec.overlapPx())
        .put("intra_op_threads", cfg.integer("inference.intra_op_threads"));
    if (up != null) {
      tally.summarise(s, up);
    }
    if (report != null) {
      ObjectNode full = s.deepCopy();
      full.set("per_image", perImage);
      Files.writeString(report, json.writerWithDefaultPrettyPrinter().writeValueAsString(full) + "\n");
    }
    System.out.println(json.writeValueAsString(s));
    return ExitCodes.OK;
  }

  /** --uncertainty's sampling settings (options over enhance.uncertainty_*); flow model, Pillow LR only. */
  private UncertaintyParams uncertaintyParams(AgentConfig cfg, String name, SrScorer.LrKernel kernel)
      throws CliFailure {
    if (!EnhanceConfig.FLOW_MODEL.equals(name) || kernel != SrScorer.LrKernel.PIL_BICUBIC) {
      throw new CliFailure(ExitCodes.USAGE, "--uncertainty needs --model " + EnhanceConfig.FLOW_MODEL
          + " and --lr-kernel pil-bicubic");
    }
    return sampling.params(cfg);
  }

  /** Sums of the per-image uncertainty scores, for the summary line. */
  private static final class UncertaintyTally {
    private double map;
    private double gradient;
    private long nanos;
    private double outPixels;
    private int n;

    void add(UncertaintyScorer.Score u, ObjectNode row) {
      map += u.spearmanMap();
      gradient += u.spearmanGradient();
      nanos += u.mapNanos();
      outPixels += (double) u.width() * u.height();
      n++;
      row.put("uncertainty_ms", Math.round(u.mapNanos() / 1e6)).put("spearman_map", r4(u.spearmanMap()))
          .put("spearman_gradient", r4(u.spearmanGradient())).put("mean_std_y", r4(u.meanStdY()));
    }

    void summarise(ObjectNode s, UncertaintyParams p) {
      s.put("uncertainty_samples", p.samples()).put("uncertainty_temperature", p.temperature())
          .put("uncertainty_ms_per_megapixel", Math.round(nanos / 1e6 / (outPixels / 1e6) * 10) / 10.0)
          .put("spearman_map", r4(map / n)).put("spearman_gradient", r4(gradient / n));
    }
  }

  private static SrScorer.LrKernel kernel(String text) throws CliFailure {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "opencv-cubic" -> SrScorer.LrKernel.OPENCV_CUBIC;
      case "pil-bicubic" -> SrScorer.LrKernel.PIL_BICUBIC;
      default -> throw new CliFailure(ExitCodes.USAGE, "--lr-kernel " + text
          + " is not one of opencv-cubic, pil-bicubic");
    };
  }

  /** The dataset's image files, sorted; 66 when the folder is missing, 65 when it has none. */
  static List<Path> images(Path dir) throws CliFailure, IOException {
    if (!Files.isDirectory(dir)) {
      throw new CliFailure(ExitCodes.NO_INPUT, "dataset folder " + dir + " does not exist");
    }
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> files = s.filter(Files::isRegularFile).filter(ImageFolderSource::isImage).sorted().toList();
      if (files.isEmpty()) {
        throw new CliFailure(ExitCodes.DATA_ERR, "dataset folder " + dir + " has no images ("
            + ImageFolderSource.EXTENSIONS + ")");
      }
      return files;
    }
  }

  private static double r4(double v) {
    return Math.round(v * 1e4) / 1e4;
  }
}
