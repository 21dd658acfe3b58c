package dev.edgeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeagent.TestAssets;
import dev.edgeagent.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.imgcodecs.Imgcodecs;

/** upscale and eval-sr end to end, in-process, on the committed SR models. */
class SrCommandsTest {
  @TempDir
  Path tmp;

  /** A crop of a test photo, written as PNG so no JPEG loss is added on top. */
  Path crop(String media, Rect r, String name) {
    Mat img = TestAssets.image(media);
    Path p = tmp.resolve(name);
    assertThat(Imgcodecs.imwrite(p.toString(), img.submat(r))).isTrue();
    return p;
  }

  @Test
  void upscaleDoublesTheSize() throws Exception {
    Path in = crop("messi5.jpg", new Rect(200, 60, 90, 70), "in.png");
    Path out = tmp.resolve("out.png");
    CliRunner.Run r = CliRunner.run("upscale", "--input", in.toString(), "--output", out.toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.OK);
    Mat up = Imgcodecs.imread(out.toString());
    assertThat(up.cols()).isEqualTo(180);
    assertThat(up.rows()).isEqualTo(140);
    JsonNode j = new ObjectMapper().readTree(r.lastLine());
    assertThat(j.path("model").asText()).isEqualTo("affine-stablesr-x2");
    assertThat(j.path("width").asInt()).isEqualTo(180);
  }

  @Test
  void upscaleRedactsBeforeItEnlarges() throws Exception {
    Path out = tmp.resolve("messi-x2.png");
    CliRunner.Run r = CliRunner.run("upscale", "--input", TestAssets.media("messi5.jpg").toString(),
        "--output", out.toString(), "--set", "redact.mode=solid", "--set", "redact.margin=0");
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.OK);
    assertThat(new ObjectMapper().readTree(r.lastLine()).path("regions_redacted").asInt()).isPositive();
    // The face (about x 222..259, y 95..132 in the original) is black in the x2 output.
    Mat up = Imgcodecs.imread(out.toString());
    Mat face = up.submat(new Rect(2 * 230, 2 * 103, 2 * 20, 2 * 20));
    assertThat(org.opencv.core.Core.mean(face).val[0]).isLessThan(20);
  }

  @Test
  void upscaleRefusesOtherScalesAndMissingInput() {
    CliRunner.Run x4 = CliRunner.run("upscale", "--input", "a.png", "--output", tmp.resolve("o.png").toString(),
        "--scale", "4");
    assertThat(x4.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(x4.err()).contains("x4 is not available");
    CliRunner.Run missing = CliRunner.run("upscale", "--input", tmp.resolve("nope.png").toString(),
        "--output", tmp.resolve("o.png").toString());
    assertThat(missing.exit()).isEqualTo(ExitCodes.NO_INPUT);
  }

  @Test
  void aModelFileThatDoesNotMatchItsPinExits78() throws Exception {
    // A copy of the installation whose model file has one byte changed.
    Path home = tmp.resolve("home");
    Path model = home.resolve("models/sr/fsrcnn_x2.onnx");
    Files.createDirectories(model.getParent());
    byte[] bytes = Files.readAllBytes(ConfigLoader.home().resolve("models/sr/fsrcnn_x2.onnx"));
    bytes[bytes.length / 2] ^= 1;
    Files.write(model, bytes);
    Path in = crop("messi5.jpg", new Rect(0, 0, 40, 40), "in.png");
    String old = System.getProperty("edgeagent.home");
    CliRunner.Run r;
    try {
      System.setProperty("edgeagent.home", home.toString());
      r = CliRunner.run("upscale", "--input", in.toString(), "--output", tmp.resolve("o.png").toString(),
          "--model", "fsrcnn-x2");
    } finally {
      System.setProperty("edgeagent.home", old);
    }
    assertThat(r.exit()).isEqualTo(ExitCodes.CONFIG);
    assertThat(r.err()).contains("sha256").contains("refusing to run on unverified weights");
    assertThat(tmp.resolve("o.png")).doesNotExist();
  }

  @Test
  void evalSrScoresATinySetAndBeatsBicubic() throws Exception {
    Path set = Files.createDirectories(tmp.resolve("hr"));
    crop("messi5.jpg", new Rect(180, 40, 160, 120), "hr/a.png");
    crop("scenetext01.jpg", new Rect(100, 100, 150, 101), "hr/b.png");
    crop("licenseplate_motion.jpg", new Rect(50, 50, 128, 96), "hr/c.png");
    Files.writeString(set.resolve("broken.jpg"), "not an image");
    Path report = tmp.resolve("report.json");
    CliRunner.Run r = CliRunner.run("eval-sr", "--dataset", set.toString(), "--scale", "2",
        "--report", report.toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.OK);
    JsonNode j = new ObjectMapper().readTree(r.lastLine());
    for (String f : new String[] {"psnr_y", "ssim", "bicubic_psnr_y", "params", "ms_per_megapixel", "images"}) {
      assertThat(j.has(f)).as(f).isTrue();
    }
    assertThat(j.path("images").asInt()).isEqualTo(3);
    assertThat(j.path("skipped").asInt()).isEqualTo(1);
    assertThat(r.err()).contains("broken.jpg");
    assertThat(j.path("params").asLong()).isPositive();
    assertThat(j.path("ms_per_megapixel").asDouble()).isPositive();
    assertThat(j.path("ssim").asDouble()).isBetween(0.5, 1.0);
    assertThat(j.path("psnr_y").asDouble()).isGreaterThan(j.path("bicubic_psnr_y").asDouble());
    assertThat(j.path("lr_kernel").asText()).contains("Pillow");
    assertThat(new ObjectMapper().readTree(report.toFile()).path("per_image")).hasSize(3);

    // OpenCV's LR differs (no antialiasing), so the same HR set scores a different baseline.
    CliRunner.Run cv = CliRunner.run("eval-sr", "--dataset", set.toString(), "--lr-kernel", "opencv-cubic");
    assertThat(cv.exit()).as(cv.err()).isEqualTo(ExitCodes.OK);
    JsonNode jc = new ObjectMapper().readTree(cv.lastLine());
    assertThat(jc.path("lr_kernel").asText()).contains("INTER_CUBIC");
    assertThat(jc.path("bicubic_psnr_y").asDouble()).isNotEqualTo(j.path("bicubic_psnr_y").asDouble());
  }

  @Test
  void evalSrInputErrorsHaveTheirExitCodes() throws Exception {
    CliRunner.Run missing = CliRunner.run("eval-sr", "--dataset", tmp.resolve("none").toString());
    assertThat(missing.exit()).isEqualTo(ExitCodes.NO_INPUT);
    CliRunner.Run empty = CliRunner.run("eval-sr", "--dataset", Files.createDirectories(tmp.resolve("e")).toString());
    assertThat(empty.exit()).isEqualTo(ExitCodes.DATA_ERR);
    assertThat(empty.err()).contains("has no images");
    CliRunner.Run x4 = CliRunner.run("eval-sr", "--dataset", tmp.toString(), "--scale", "4");
    assertThat(x4.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(x4.err()).contains("x4 is not available");
  }

  @Test
  void validateConfigChecksTheEnhanceBlockAndTheSrPin() throws Exception {
    Path bad = tmp.resolve("bad.yaml");
    Files.writeString(bad, "models:\n  dir: " + TestAssets.modelsDir() + "\nenhance:\n  mode: region\n"
        + "  region: 0.5,0.5,0.8,0.2\n");
    CliRunner.Run r = CliRunner.run("validate-config", "--config", bad.toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.CONFIG);
    assertThat(r.err()).contains("enhance.region");
    Path good = tmp.resolve("good.yaml");
    Files.writeString(good, "models:\n  dir: " + TestAssets.modelsDir() + "\nenhance:\n  mode: frame\n"
        + "cameras:\n  - id: front\n    input: front.mp4\n");
    CliRunner.Run ok = CliRunner.run("validate-config", "--config", good.toString());
    assertThat(ok.exit()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("affine-stablesr-x2");
    assertThat(CliRunner.run("--version").out()).contains("models/sr/affine_stablesr_x2.onnx");
  }

  @Test
  void upscaleWritesTheUncertaintyMapAtTheOutputSize() throws Exception {
    Path in = crop("messi5.jpg", new Rect(200, 60, 45, 35), "in.png");
    Path out = tmp.resolve("out.png");
    Path map = tmp.resolve("map.png");
    CliRunner.Run r = CliRunner.run("upscale", "--input", in.toString(), "--output", out.toString(),
        "--uncertainty", map.toString(), "--samples", "2", "--temperature", "0.8");
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.OK);
    Mat m = Imgcodecs.imread(map.toString(), Imgcodecs.IMREAD_UNCHANGED);
    assertThat(m.channels()).isEqualTo(1);
    assertThat(m.cols()).isEqualTo(90);
    assertThat(m.rows()).isEqualTo(70);
    JsonNode j = new ObjectMapper().readTree(r.lastLine());
    assertThat(j.path("uncertainty").asText()).isEqualTo(map.toString());
    assertThat(j.path("samples").asInt()).isEqualTo(2);

    CliRunner.Run cnn = CliRunner.run("upscale", "--input", in.toString(), "--output", out.toString(),
        "--uncertainty", map.toString(), "--model", "fsrcnn-x2");
    assertThat(cnn.exit()).isEqualTo(ExitCodes.USAGE);
    CliRunner.Run badK = CliRunner.run("upscale", "--input", in.toString(), "--output", out.toString(),
        "--uncertainty", map.toString(), "--samples", "0");
    assertThat(badK.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(badK.err()).contains("samples");
  }

  @Test
  void evalSrTimesAndScoresTheUncertaintyMap() throws Exception {
    Path set = Files.createDirectories(tmp.resolve("hr-u"));
    crop("messi5.jpg", new Rect(180, 40, 80, 60), "hr-u/a.png");
    CliRunner.Run r = CliRunner.run("eval-sr", "--dataset", set.toString(), "--uncertainty", "--samples", "2");
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.OK);
    JsonNode j = new ObjectMapper().readTree(r.lastLine());
    assertThat(j.path("uncertainty_ms_per_megapixel").asDouble()).isPositive();
    assertThat(j.path("spearman_map").asDouble()).isBetween(-1.0, 1.0);
    assertThat(j.path("spearman_gradient").asDouble()).isBetween(-1.0, 1.0);
  }
}
