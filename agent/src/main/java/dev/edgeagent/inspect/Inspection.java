package dev.edgeagent.inspect;

import java.util.List;

/** What inspecting one image found: the per-patch map and the flagged regions, most unusual first. */
public record Inspection(AnomalyMap map, List<FlaggedRegion> regions) {

  /** The image's anomaly score (its most unusual patch); higher is more unusual. */
  public double score() {
    return map.imageScore();
  }
}
