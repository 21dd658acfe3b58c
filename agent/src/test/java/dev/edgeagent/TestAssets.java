package dev.edgeagent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeagent.capture.OpenCv;
import dev.edgeagent.config.AgentConfig;
import dev.edgeagent.config.ConfigException;
import dev.edgeagent.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * The real models and media the tests run on, fetched by models/fetch-models.sh and
 * tests/media/fetch-media.sh into .cache/ (the test command runs both first). A missing file
 * fails loudly instead of skipping, so a green run always means the real models ran.
 */
public final class TestAssets {
  private TestAssets() {}

  public static Path home() {
    return ConfigLoader.home();
  }

  public static Path modelsDir() {
    return require(home().resolve(".cache/models"));
  }

  public static Path media(String name) {
    return require(home().resolve(".cache/media").resolve(name));
  }

  public static Mat image(String name) {
    OpenCv.ensureLoaded();
    Mat m = Imgcodecs.imread(media(name).toString());
    assertThat(m.empty()).as("decode " + name).isFalse();
    return m;
  }

  /** Defaults with the fetched models, plus overrides. */
  public static AgentConfig config(Map<String, Object> overrides) throws ConfigException {
    Map<String, Object> o = new HashMap<>(overrides);
    o.putIfAbsent("models.dir", modelsDir().toString());
    return ConfigLoader.defaults().with(o, null);
  }

  private static Path require(Path p) {
    assertThat(Files.exists(p))
        .as(p + " is missing: run models/fetch-models.sh and tests/media/fetch-media.sh (bin/test does)")
        .isTrue();
    return p;
  }
}
