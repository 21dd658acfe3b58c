package dev.edgeagent.enhance;

import dev.edgeagent.detect.InferenceProvider;
import dev.edgeagent.detect.OnnxModel;
import dev.edgeagent.detect.OwnModelManifest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The small ONNX graphs under test resources sr/ (made by make_test_models.py), loaded through
 * the same pinned-load path as the real models, with a manifest pinning their actual hashes.
 */
public final class TestSrModels {
  private TestSrModels() {}

  public static Path resources() throws Exception {
    return Path.of(TestSrModels.class.getResource("/sr/bicubic_x2.onnx").toURI()).getParent().getParent();
  }

  /** @param name file base name under sr/, e.g. "bicubic_x2" */
  public static OnnxModel load(String name) throws Exception {
    Path root = resources();
    String rel = "sr/" + name + ".onnx";
    String tsv = name + "\t" + rel + "\t" + OnnxModel.sha256(root.resolve(rel)) + "\ttest\t0\ttest graph\n";
    OwnModelManifest m = OwnModelManifest.parse(new ByteArrayInputStream(tsv.getBytes(StandardCharsets.UTF_8)));
    return OnnxModel.loadOwn(m, root, name, InferenceProvider.CPU, 1);
  }
}
