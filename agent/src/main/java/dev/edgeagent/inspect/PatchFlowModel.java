package dev.edgeagent.inspect;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.edgeagent.detect.InferenceConfig;
import dev.edgeagent.detect.ModelInfo;
import dev.edgeagent.detect.ModelLoadException;
import dev.edgeagent.detect.OnnxModel;
import dev.edgeagent.detect.OwnModelManifest;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * The pinned patch flows (models/anomaly/crop_flow.onnx, one graph holding the field flow and
 * the general-photo flow): batches of patches in; per patch the field NLL ({@code nll_bpd}) and
 * the log-likelihood ratio ({@code llr_bpd} = field NLL - general NLL), bits/dim.
 */
public final class PatchFlowModel implements AutoCloseable {
  /** The model's row in models/own-models.tsv. */
  public static final String NAME = "crop-flow";
  static final String INPUT = "patches";

  /** Patches per run: about 3 MB of input, small enough for any edge box. */
  static final int BATCH = 1024;

  private final OnnxModel model;
  private final FlowContract contract;

  private PatchFlowModel(OnnxModel model, FlowContract contract) {
    this.model = model;
    this.contract = contract;
  }

  /**
   * Reads the contract from the (already sha256-checked) model's metadata; takes ownership of
   * {@code model} (closed here if it is refused).
   *
   * @throws InspectException when the metadata is missing or malformed
   */
  public static PatchFlowModel of(OnnxModel model) throws InspectException {
    try {
      return new PatchFlowModel(model,
          FlowContract.fromMetadata(model.session().getMetadata().getCustomMetadata()));
    } catch (OrtException | IllegalArgumentException e) {
      model.close();   // refused: nobody else will close the session
      throw new InspectException("model " + model.info().id() + " is not a usable anomaly model: "
          + e.getMessage(), e);
    }
  }

  /**
   * Loads the pinned crop flow (its row in models/own-models.tsv; the sha256 is checked) and
   * reads its contract: how both {@code edge-agent inspect} and the agent's watch get it, so a
   * bad file is refused the same way by both.
   *
   * @throws ModelLoadException when the file is missing, does not match its pin, cannot run on the
   *     requested provider, or its metadata is not a usable contract
   */
  public static PatchFlowModel loadPinned(OwnModelManifest manifest, Path home, InferenceConfig inference)
      throws ModelLoadException {
    OnnxModel m = OnnxModel.loadOwn(manifest, home, NAME, inference);
    try {
      return of(m);
    } catch (InspectException e) {
      throw new ModelLoadException(e.getMessage());
    }
  }

  /** The session underneath, for an owner that lists its models' providers and closes them in order. */
  public OnnxModel onnxModel() {
    return model;
  }

  public FlowContract contract() {
    return contract;
  }

  public ModelInfo info() {
    return model.info();
  }

  /**
   * Every quantity ({@code nll}, {@code llr}, {@code gen} = nll - llr; bits/dim) of every patch of
   * the grid over {@code bgr} (the grid's image), row-major.
   */
  public Map<String, float[]> values(PatchGrid grid, byte[] bgr) throws InspectException {
    int n = grid.size();
    float[] nll = new float[n];
    float[] llr = new float[n];
    int per = 3 * grid.patch() * grid.patch();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    for (int first = 0; first < n; first += BATCH) {
      int count = Math.min(BATCH, n - first);
      float[] input = grid.patches(bgr, first, count);
      try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(input, 0, count * per),
              new long[] {count, 3, grid.patch(), grid.patch()});
           OrtSession.Result r = model.run(Map.of(INPUT, t))) {
        read(r, "nll_bpd", nll, first, count);
        read(r, "llr_bpd", llr, first, count);
      } catch (OrtException e) {
        throw new InspectException("anomaly model " + model.info().id() + " failed: " + e.getMessage(), e);
      }
    }
    float[] gen = new float[n];
    for (int i = 0; i < n; i++) {
      gen[i] = nll[i] - llr[i];
    }
    return Map.of("nll", nll, "llr", llr, "gen", gen);
  }

  private static void read(OrtSession.Result r, String name, float[] into, int first, int count)
      throws OrtException, InspectException {
    OnnxTensor o = (OnnxTensor) r.get(name).orElseThrow(() ->
        new InspectException("anomaly model gave no '" + name + "' output"));
    FloatBuffer fb = o.getFloatBuffer();
    if (fb.remaining() != count) {
      throw new InspectException("anomaly model gave " + fb.remaining() + " '" + name + "' values for " + count
          + " patches");
    }
    fb.get(into, first, count);
  }

  @Override
  public void close() {
    model.close();
  }
}
