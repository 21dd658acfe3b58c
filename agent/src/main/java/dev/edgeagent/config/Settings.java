package dev.edgeagent.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every setting the agent knows, in one place. Keys are the dotted YAML paths. */
public final class Settings {
  private Settings() {}

  public static final List<Setting> ALL = List.of(
      Setting.string("agent.vehicle_id", "vehicle-0",
          "Vehicle or drone id, part of every record id."),
      Setting.path("models.dir", ".cache/models",
          "Folder with the pinned ONNX models (models/fetch-models.sh fills it)."),
      Setting.choice("models.face", "blazeface-back-256",
          List.of("blazeface-back-256", "blazeface-front-128"),
          "Face model: the 256 px model finds smaller and farther faces."),
      Setting.choice("models.plate", "ppocr-v4-det", List.of("ppocr-v4-det"),
          "Plate (text line) model."),
      Setting.choice("inference.provider", "cpu", List.of("cpu", "cuda"),
          "ONNX Runtime provider; cuda falls back to cpu with one warning when unavailable."),
      Setting.integer("inference.intra_op_threads", 1, 1, 64, "threads",
          "Threads ONNX Runtime may use inside one model run."),
      Setting.integer("inference.timeout_ms", 5000, 10, 600_000, "ms",
          "A detector slower than this on one frame drops the frame (fail closed)."),
      Setting.bool("detect.faces", true, "Detect and redact faces."),
      Setting.bool("detect.plates", true, "Detect and redact licence plates (text lines)."),
      Setting.decimal("detect.face_threshold", 0.5, 0.05, 1.0, "probability",
          "Minimum face score."),
      Setting.integer("detect.face_tiles", 1, 1, 6, "tiles per side",
          "1 searches the whole frame; n > 1 also searches an n x n grid of tiles for small faces."),
      Setting.decimal("detect.face_tile_overlap", 0.2, 0.0, 0.5, "fraction",
          "How much neighbouring tiles overlap, so faces on a seam are whole in one tile."),
      Setting.integer("detect.plate_max_side", 960, 64, 4096, "px",
          "The text detector sees the frame scaled so its longer side is at most this."),
      Setting.decimal("detect.plate_pixel_threshold", 0.3, 0.05, 0.95, "probability",
          "Text probability above which a pixel belongs to a text region."),
      Setting.decimal("detect.plate_box_threshold", 0.5, 0.05, 1.0, "probability",
          "Minimum mean text probability of a region."),
      Setting.decimal("detect.plate_unclip_ratio", 1.6, 0.5, 4.0, "ratio",
          "How far a text region is grown to cover its whole line (DB unclip)."),
      Setting.decimal("detect.plate_min_height_px", 6, 0, 200, "px",
          "Regions whose short side is below this are ignored."),
      Setting.decimal("detect.plate_min_aspect", 1.0, 0.5, 20, "ratio",
          "Smallest long-side/short-side ratio of a plate region."),
      Setting.decimal("detect.plate_max_aspect", 15, 1, 50, "ratio",
          "Largest long-side/short-side ratio of a plate region."),
      Setting.integer("track.hold_frames", 5, 0, 300, "frames",
          "A region stays redacted this many frames after its detector last saw it."),
      Setting.choice("redact.mode", "inpaint", List.of("inpaint", "blur", "pixelate", "solid"),
          "How regions are removed."),
      Setting.decimal("redact.margin", 0.2, 0.0, 1.0, "fraction",
          "Each box grows by this fraction of its size on every side before redaction."),
      Setting.integer("encode.jpeg_quality", 85, 1, 100, "quality", "JPEG quality of published frames."),
      Setting.integer("pipeline.live_buffer_frames", 2, 1, 64, "frames",
          "Frames a live camera may hold while the pipeline is busy; older ones are dropped."),
      Setting.integer("pipeline.sink_queue_frames", 8, 1, 1024, "frames",
          "Anonymized frames waiting for the sink; a full queue slows capture (backpressure)."),
      Setting.integer("pipeline.max_frames", 0, 0, Long.MAX_VALUE, "frames",
          "Stop each camera after this many frames (0: no limit)."),
      Setting.choice("sink.type", "directory", List.of("directory"),
          "Where anonymized frames go."),
      Setting.path("sink.directory", "out/frames", "Folder for the directory sink."),
      Setting.bool("http.enabled", true, "Serve /health/live, /health/ready and /metrics."),
      Setting.string("http.host", "127.0.0.1", "Address the health endpoints bind to."),
      Setting.integer("http.port", 8088, 0, 65535, "port", "Port of the health endpoints (0: any free port)."),
      Setting.choice("enhance.mode", "off", List.of("off", "frame", "region"),
          "x2 super-resolution after redaction: off, the whole frame, or only enhance.region"
              + " (the published frame is then that region, enlarged)."),
      Setting.choice("enhance.model", "affine-stablesr-x2", List.of("affine-stablesr-x2", "fsrcnn-x2"),
          "SR model (models/own-models.tsv): the flow model, or the CNN baseline of similar size."),
      Setting.integer("enhance.tile_px", 128, 16, 2048, "px",
          "SR runs on tiles of this side (input pixels), so memory stays bounded on large frames."),
      Setting.integer("enhance.tile_overlap_px", 16, 0, 1023, "px",
          "Neighbouring SR tiles overlap by at least this (under half a tile) and are blended there."),
      Setting.string("enhance.region", "0.25,0.25,0.5,0.5",
          "Region for enhance.mode=region: x,y,w,h as fractions of the frame width and height.")
  );

  public static final Map<String, Setting> BY_KEY;

  static {
    Map<String, Setting> m = new LinkedHashMap<>();
    ALL.forEach(s -> m.put(s.key(), s));
    BY_KEY = Map.copyOf(m);
  }
}
