package dev.edgeagent.inspect;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.edgeagent.detect.ModelInfo;
import dev.edgeagent.detect.OnnxModel;
import java.nio.FloatBuffer;
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
   * Reads the contract from the (already sha256-checked) model's metadata.
   *
   * @throws InspectException when the metadata is missing or malformed
   */
  public static PatchFlowModel of(OnnxModel model) throws InspectException {
    try {
      return new PatchFlowModel(model,
          FlowContract.fromMetadata(model.session().getMetadata().getCustomMetadata()));
    } catch (OrtException | IllegalArgumentException e) {
      throw new InspectException("model " + model.info().id() + " is not a usable anomaly model: "
          + e.getMessage(), e);
    }
  }

  public FlowContract contract() {
    return contract;
  }

  public ModelInfo info() {
    return model.info();
  }

  /**
   * The score rule's quantity ({@code nll_bpd} or {@code llr_bpd}) of every patch of the grid over
   * {@code bgr} (the grid's image), row-major.
   */
  public float[] values(PatchGrid grid, byte[] bgr) throws InspectException {
    String output = contract.scoreRule().quantity() + "_bpd";
    int n = grid.size();
    float[] out = new float[n];
    int per = 3 * grid.patch() * grid.patch();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    for (int first = 0; first < n; first += BATCH) {
      int count = Math.min(BATCH, n - first);
      float[] input = grid.patches(bgr, first, count);
      try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(input, 0, count * per),
              new long[] {count, 3, grid.patch(), grid.patch()});
           OrtSession.Result r = model.run(Map.of(INPUT, t))) {
        OnnxTensor o = (OnnxTensor) r.get(output).orElseThrow(() ->
            new InspectException("anomaly model gave no '" + output + "' output"));
        FloatBuffer fb = o.getFloatBuffer();
        if (fb.remaining() != count) {
          throw new InspectException("anomaly model gave " + fb.remaining() + " scores for " + count + " patches");
        }
        fb.get(out, first, count);
      } catch (OrtException e) {
        throw new InspectException("anomaly model " + model.info().id() + " failed: " + e.getMessage(), e);
      }
    }
    return out;
  }

  @Override
  public void close() {
    model.close();
  }
}
