package dev.edgeagent.doctor;

import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeagent.detect.InferenceConfig;
import dev.edgeagent.detect.InferenceProvider;
import dev.edgeagent.detect.ModelLoadException;
import dev.edgeagent.detect.OnnxModel;
import dev.edgeagent.detect.OpenedSession;
import dev.edgeagent.detect.OrtRuntime;
import dev.edgeagent.detect.SessionOpener;
import dev.edgeagent.pipeline.ConfiguredModels;
import java.nio.file.Files;
import java.util.List;

/**
 * ONNX Runtime as loaded here (version, native library, compiled-in providers) and, for each
 * configured model, its input shape and a one-frame timing on every provider that loads it. A
 * missing or unpinned model file, a native library that does not load or match, and
 * inference.require_gpu with no GPU provider loading are problems.
 */
final class ProviderProbe {
  private ProviderProbe() {}

  static void probe(DoctorReport report, InferenceConfig inference, List<ConfiguredModels.Model> models) {
    ObjectNode ort = report.section("onnxruntime");
    ort.put("java_api_version", OrtRuntime.javaApiVersion());
    ort.put("library_dir", OrtRuntime.libraryDir().map(Object::toString).orElse(null));
    SessionOpener opener;
    try {
      opener = SessionOpener.ofRuntime();
      ort.put("native_version", OrtRuntime.environment().getVersion());
      ort.put("native_library", OrtRuntime.loadedFrom().map(Object::toString).orElse(null));
      var avail = ort.putArray("compiled_in_providers");
      opener.available().forEach(p -> avail.add(p.getName()));
    } catch (ModelLoadException e) {
      ort.put("error", e.getMessage());
      report.problem(e.getMessage());
      return;
    }
    ort.put("requested_provider", inference.request().label());
    ort.put("require_gpu", inference.requireGpu());
    var out = report.section("models").putArray("configured");
    boolean anyGpuLoads = false;
    for (ConfiguredModels.Model m : models) {
      ObjectNode node = out.addObject().put("model", m.name()).put("setting", m.setting()).put("file", m.file().toString());
      if (!pinned(report, m, node)) {
        continue;
      }
      ObjectNode inputs = node.putObject("inputs");
      ObjectNode providers = node.putObject("providers");
      for (InferenceProvider p : InferenceProvider.values()) {
        anyGpuLoads |= tryProvider(opener, inference, m, p, inputs, providers.putObject(p.label())) && p.gpu();
      }
    }
    if (inference.requireGpu() && !anyGpuLoads && !models.isEmpty()) {
      report.problem("inference.require_gpu: true, but no GPU provider (cuda, tensorrt) loads a model on this box;"
          + " see gpu and gpu_libraries above, or set inference.require_gpu: false to allow the CPU");
    }
  }

  private static boolean pinned(DoctorReport report, ConfiguredModels.Model m, ObjectNode node) {
    try {
      if (!Files.isRegularFile(m.file())) {
        node.put("error", "missing");
        report.problem(m.setting() + ": model file " + m.file() + " is missing (models/fetch-models.sh, or --models-dir)");
        return false;
      }
      if (!OnnxModel.sha256(m.file()).equalsIgnoreCase(m.sha256())) {
        node.put("error", "sha256 mismatch");
        report.problem(m.setting() + ": " + m.file() + " does not match its sha256 pin " + m.sha256());
        return false;
      }
      return true;
    } catch (ModelLoadException e) {
      report.problem(e.getMessage());
      return false;
    }
  }

  private static boolean tryProvider(SessionOpener opener, InferenceConfig inference, ConfiguredModels.Model m,
      InferenceProvider p, ObjectNode inputs, ObjectNode out) {
    try {
      OpenedSession s = opener.openOnly(m.file(), inference, p);
      try (var session = s.session()) {
        if (inputs.isEmpty()) {
          ModelTiming.inputShapes(session).forEach((k, v) -> inputs.put(k, ModelTiming.shapeText(v)));
        }
        ModelTiming.Result r = ModelTiming.oneFrame(OrtRuntime.environment(), session);
        out.put("loads", true).put("first_run_ms", r.firstRunMs()).put("run_ms", r.runMs());
        return true;
      }
    } catch (ModelLoadException | OrtException | RuntimeException e) {
      out.put("loads", false).put("reason", String.valueOf(e.getMessage()));
      return false;
    }
  }
}
