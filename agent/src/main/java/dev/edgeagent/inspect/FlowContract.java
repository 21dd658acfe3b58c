package dev.edgeagent.inspect;

import java.util.Map;

/**
 * How the patch flow is applied and its scores read, as stored in the ONNX file's metadata by
 * models/anomaly/export.py. Keeping these numbers inside the model file means the sha256 pin
 * covers them: a threshold cannot drift away from the weights it was calibrated for.
 *
 * @param patch patch side in pixels (the graph's fixed input size)
 * @param stride step between patch corners on the inspection grid
 * @param analysisLongSide larger images are shrunk to this long side first (the training scale)
 * @param stats each quantity's median and robust spread over the training patches, bits/dim
 * @param threshold a patch whose score is over this is flagged
 * @param scoreRule how the model's outputs become a patch's score (see {@link ScoreRule})
 */
public record FlowContract(int patch, int stride, int analysisLongSide, Map<String, ScoreRule.Stats> stats,
    double threshold, ScoreRule scoreRule) {

  public FlowContract {
    stats = Map.copyOf(stats);
  }

  /** @throws IllegalArgumentException naming the missing or malformed key */
  public static FlowContract fromMetadata(Map<String, String> meta) {
    ScoreRule rule = ScoreRule.parse(text(meta, "score_rule"));
    Map<String, ScoreRule.Stats> stats = new java.util.HashMap<>();
    for (String q : ScoreRule.QUANTITIES) {
      String centre = ScoreRule.metadataKey(q, "median");
      String scale = ScoreRule.metadataKey(q, "scale");
      if (!ScoreRule.FLOW_QUANTITIES.contains(q) && !rule.uses(q) && !meta.containsKey(centre)) {
        continue;   // a quantity the rule does not read, from a model older than it
      }
      ScoreRule.Stats st = new ScoreRule.Stats(number(meta, centre), number(meta, scale));
      if (!(st.scale() > 0)) {
        throw new IllegalArgumentException("anomaly model metadata '" + scale + "' is not positive");
      }
      stats.put(q, st);
    }
    FlowContract c = new FlowContract(integer(meta, "patch"), integer(meta, "stride"),
        integer(meta, "analysis_long_side"), stats, number(meta, "threshold"), rule);
    if (c.patch < 2 || c.stride < 1 || c.analysisLongSide < c.patch || !(c.threshold > 0)) {
      throw new IllegalArgumentException("implausible anomaly-model metadata: " + c);
    }
    return c;
  }

  private static String text(Map<String, String> meta, String key) {
    String v = meta.get(key);
    if (v == null) {
      throw new IllegalArgumentException("anomaly model metadata lacks '" + key + "'");
    }
    return v;
  }

  private static int integer(Map<String, String> meta, String key) {
    try {
      return Integer.parseInt(text(meta, key).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("anomaly model metadata '" + key + "' is not an integer", e);
    }
  }

  private static double number(Map<String, String> meta, String key) {
    try {
      return Double.parseDouble(text(meta, key).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("anomaly model metadata '" + key + "' is not a number", e);
    }
  }
}
