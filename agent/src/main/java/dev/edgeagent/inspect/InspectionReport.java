package dev.edgeagent.inspect;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeagent.detect.ModelInfo;
import java.util.List;

/**
 * The JSON forms of an inspection: the per-image regions file and the image's entry in the
 * command's summary line. Scores are rounded to 3 decimals; boxes are input-image pixels.
 */
public final class InspectionReport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private InspectionReport() {}

  /** {@code {"file", "score", "regions": [...]}}, at most {@code maxRegions} regions. */
  public static ObjectNode summaryEntry(String file, Inspection in, int maxRegions) {
    ObjectNode o = JSON.createObjectNode();
    o.put("file", file).put("score", round(in.score()));
    regions(o.putArray("regions"), in.regions(), maxRegions);
    return o;
  }

  /** The full per-image file: summary fields plus the grid, the threshold and the model. */
  public static ObjectNode regionsFile(String file, Inspection in, ModelInfo model, FlowContract c) {
    ObjectNode o = JSON.createObjectNode();
    AnomalyMap m = in.map();
    o.put("file", file).put("width", m.inputWidth()).put("height", m.inputHeight())
        .put("score", round(in.score())).put("threshold", round(m.threshold()))
        .put("flagged_patches", m.flaggedPatches()).put("patches", m.grid().size())
        .put("model", model.id()).put("sha256", model.sha256()).put("score_rule", c.scoreRule().key());
    o.putObject("grid").put("patch", c.patch()).put("stride", c.stride()).put("rows", m.grid().rows())
        .put("cols", m.grid().cols()).put("analysed_width", m.grid().width())
        .put("analysed_height", m.grid().height());
    regions(o.putArray("regions"), in.regions(), Integer.MAX_VALUE);
    return o;
  }

  private static void regions(ArrayNode arr, List<FlaggedRegion> regions, int max) {
    for (FlaggedRegion r : regions.subList(0, Math.min(max, regions.size()))) {
      ObjectNode o = arr.addObject();
      o.putArray("box").add(r.x()).add(r.y()).add(r.w()).add(r.h());
      o.put("score", round(r.score())).put("mean_score", round(r.meanScore())).put("patches", r.patches());
    }
  }

  static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
