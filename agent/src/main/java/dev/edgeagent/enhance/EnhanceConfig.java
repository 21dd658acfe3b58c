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
 * @param uncertainty how to sample the SR uncertainty map; null when enhance.uncertainty is off
 */
public record EnhanceConfig(Mode mode, String model, int tilePx, int overlapPx, Region region,
    UncertaintyParams uncertainty) {
  /** The only SR model with a sampling graph (a flow); the CNN gives one answer, no spread. */
  public static final String FLOW_MODEL = "affine-stablesr-x2";
  /** Its sampling graph: the same weights with the latent z as an input. */
  public static final String FLOW_SAMPLER = "affine-stablesr-x2-sampler";

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
    String model = cfg.string("enhance.model");
    return new EnhanceConfig(mode, model, tile, overlap, region, uncertainty(cfg, model));
  }

  /** The sampling settings when enhance.uncertainty is on (ranges are the settings' own). */
  static UncertaintyParams uncertainty(AgentConfig cfg, String model) throws ConfigException {
    if (!cfg.bool("enhance.uncertainty")) {
      return null;
    }
    if (!FLOW_MODEL.equals(model)) {
      throw new ConfigException("enhance.uncertainty needs enhance.model " + FLOW_MODEL + " (a flow, which can"
          + " be sampled); " + model + " gives a single answer");
    }
    return new UncertaintyParams(cfg.integer("enhance.uncertainty_samples"),
        cfg.decimal("enhance.uncertainty_temperature"), cfg.longValue("enhance.uncertainty_seed"));
  }

  /** The sampler model to load, or null when no uncertainty map is made. */
  public String samplerModel() {
    return mode != Mode.OFF && uncertainty != null ? FLOW_SAMPLER : null;
  }
}
