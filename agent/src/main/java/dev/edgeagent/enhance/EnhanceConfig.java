package dev.edgeagent.enhance;

import dev.edgeagent.config.AgentConfig;
import dev.edgeagent.config.ConfigException;
import java.util.Locale;

/**
 * The enhance.* settings, checked together (the tile/overlap relation and the region text are
 * more than one setting's range can say).
 *
 * @param mode off, frame (whole frame x2) or region (only the configured region, x2)
 * @param model own-model name (models/own-models.tsv)
 * @param tilePx tile side in input pixels
 * @param overlapPx minimum tile overlap in input pixels
 */
public record EnhanceConfig(Mode mode, String model, int tilePx, int overlapPx, Region region) {

  /** What the enhance stage publishes. */
  public enum Mode {
    /** The frame as redacted. */
    OFF,
    /** The whole frame at twice the size. */
    FRAME,
    /**
     * Only the configured region, at twice its size: the published frame is that crop. One region
     * keeps the record one image; the rest of the frame is not published in this mode.
     */
    REGION
  }

  public static EnhanceConfig from(AgentConfig cfg) throws ConfigException {
    Mode mode = Mode.valueOf(cfg.string("enhance.mode").toUpperCase(Locale.ROOT));
    int tile = cfg.integer("enhance.tile_px");
    int overlap = cfg.integer("enhance.tile_overlap_px");
    if (2 * overlap >= tile) {
      throw new ConfigException("enhance.tile_overlap_px: " + overlap + " must be under half of"
          + " enhance.tile_px (" + tile + ")");
    }
    Region region = Region.parse("enhance.region", cfg.string("enhance.region"));
    return new EnhanceConfig(mode, cfg.string("enhance.model"), tile, overlap, region);
  }
}
