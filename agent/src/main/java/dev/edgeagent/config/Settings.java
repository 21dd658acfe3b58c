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
      Setting.choice("models.plate", "ppocr-v4-det", List.of("ppocr-v4-det"),
          "Plate (text line) model."),
      Setting.choice("inference.provider", "cpu", List.of("auto", "cpu", "cuda", "tensorrt"),
          "ONNX Runtime execution provider: cpu, cuda, tensorrt, or auto (the first that loads of tensorrt, cuda,"
              + " cpu). One that does not load falls back to cpu with one warning (event=provider_unavailable);"
              + " edgeagent_model_provider_info and /health/ready say what each model runs on."),
      Setting.bool("inference.require_gpu", false,
          "Refuse to start (exit 78) rather than run any model on the CPU when the GPU provider does not load."),
      Setting.integer("inference.device_id", 0, 0, 63, "GPU index",
          "CUDA device the cuda and tensorrt providers use (0: the first GPU; nvidia-smi lists them)."),
      Setting.bytes("inference.cuda_mem_limit", 0, 0, 1L << 40,
          "Cap on the memory the CUDA provider's arena may take on the GPU (0: no cap). On a Jetson the GPU shares the"
              + " board's RAM with the CPU, so a cap leaves room for the rest of the agent."),
      Setting.bool("inference.tensorrt_fp16", false,
          "TensorRT: build engines in FP16 (faster on Jetson and recent GPUs; scores may differ slightly from FP32)."),
      Setting.string("inference.tensorrt_engine_cache", "",
          "TensorRT: folder where built engines are kept, so a restart skips the minutes-long build (empty: no cache,"
              + " every start builds). Engines are specific to the GPU, TensorRT version and model; delete the folder"
              + " after changing any of them."),
      Setting.integer("inference.intra_op_threads", 1, 1, 64, "threads",
          "Threads ONNX Runtime may use inside one model run."),
      Setting.integer("inference.timeout_ms", 5000, 10, 600_000, "ms",
          "A detector slower than this on one frame drops the frame (fail closed); its model run is terminated."),
      Setting.integer("inference.max_concurrent", 4, 1, 256, "calls",
          "Detector calls (one detector on one frame) running at once, all cameras together; a timed-out call"
              + " holds its slot until its terminated run has returned. A frame waits for a slot within"
              + " inference.timeout_ms, else it is dropped (inference_busy). Default 4: one frame's detectors in parallel."),
      Setting.bool("inference.reuse_buffers", true,
          "Keep the large input, output and scratch arrays of model runs in pools and reuse them, with the"
              + " outputs pinned (written by ONNX Runtime straight into them); false allocates them afresh on every run,"
              + " as before issue 18 (bench --hot-path measures both)."),
      Setting.integer("inference.max_batch", 4, 1, 64, "images",
          "YuNet: most passes of one input size (the tiles of a tiled pass) searched in one model run; 1: one run per"
              + " pass. Batches stay under 3 x 1920 x 1920 input floats."),
      Setting.decimal("inference.batch_window_ms", 0, 0, 100, "ms",
          "YuNet: 0 off; t: a face search run waits up to t ms for other cameras' runs of the same input size and"
              + " they share one model run (up to inference.max_batch images; pays on a GPU, not on a CPU). Needs"
              + " inference.max_concurrent and inference.max_batch above 1, else nothing can be batched and it is off."),
      Setting.bool("detect.faces", true, "Detect and redact faces."),
      Setting.bool("detect.plates", true, "Detect and redact licence plates (text lines)."),
      Setting.choice("detect.face_model", "yunet-n",
          List.of("yunet-n", "yunet-s", "blazeface-back-256", "blazeface-front-128"),
          "Face detector: YuNet (committed, models/yunet; made for small faces, searched at the frame's"
              + " own resolution) or BlazeFace (fetched; a short-range phone model, tiled with face_tiles/face_tile_px)."),
      Setting.decimal("detect.face_threshold", 0.05, 0.05, 1.0, "probability",
          "Lowest score a face candidate may have; with the second look on, candidates under"
              + " face_verify_threshold need it (BlazeFace was measured at 0.5 without a second look)."),
      Setting.decimal("detect.face_upscale", 1, 1, 4, "times",
          "YuNet: 1 searches the frame at its own resolution; s > 1 also searches it enlarged s times (tiled), for faces under ~16 px."),
      Setting.bool("detect.face_mirror", false,
          "YuNet: also search the frame mirrored left to right (one more pass; a second look for small, degraded faces)."),
      Setting.decimal("detect.face_rotation", 0, 0, 60, "degrees",
          "YuNet: 0 off; d: also search the frame turned by +d and -d degrees, for tilted heads (two more passes)."),
      Setting.integer("detect.face_pass_max_px", 1920, 256, 8192, "px",
          "YuNet: longest input side of one model run; larger passes (4K, enlarged) are cut into overlapping tiles, bounding memory."),
      Setting.integer("detect.face_tiles", 1, 1, 6, "tiles per side",
          "BlazeFace: 1 searches the whole frame; n > 1 also searches an n x n grid of tiles for small faces."),
      Setting.integer("detect.face_tile_px", 0, 0, 4096, "px",
          "BlazeFace: 0 off; n: also search n x n px tiles covering the frame, enlarged to the model's input, for tiny faces."),
      Setting.decimal("detect.face_tile_overlap", 0.2, 0.0, 0.5, "fraction",
          "How much neighbouring tiles overlap, so faces on a seam are whole in one tile."),
      Setting.decimal("detect.face_verify_threshold", 0.35, 0, 1.0, "probability",
          "0: off; p: a face candidate scoring under p is searched again on an enlarged close-up and kept only if that scores >= p."),
      Setting.decimal("detect.face_verify_context", 3, 1.2, 8, "box sizes",
          "Side of the verification close-up, in multiples of the candidate's longer side."),
      Setting.integer("detect.plate_max_side", 960, 64, 4096, "px",
          "The text detector sees the frame scaled so its longer side is at most this."),
      Setting.decimal("detect.plate_pixel_threshold", 0.3, 0.05, 0.95, "probability",
          "Text probability above which a pixel belongs to a text region."),
      Setting.decimal("detect.plate_box_threshold", 0.4, 0.05, 1.0, "probability",
          "Minimum mean text probability of a region."),
      Setting.decimal("detect.plate_unclip_ratio", 1.6, 0.5, 4.0, "ratio",
          "How far a text region is grown to cover its whole line (DB unclip)."),
      Setting.decimal("detect.plate_min_height_px", 6, 0, 200, "px",
          "Regions whose short side is below this are ignored."),
      Setting.decimal("detect.plate_min_aspect", 1.25, 0.5, 20, "ratio",
          "Smallest long-side/short-side ratio of a plate region."),
      Setting.decimal("detect.plate_max_aspect", 15, 1, 50, "ratio",
          "Largest long-side/short-side ratio of a plate region."),
      Setting.decimal("detect.plate_grow_x", 0.15, 0, 1, "fraction",
          "A plate's text line is grown by this fraction of its width on each side (to the plate's edges)."),
      Setting.decimal("detect.plate_grow_y", 0.5, 0, 2, "fraction",
          "A plate's text line is grown by this fraction of its height above and below."),
      Setting.choice("detect.plate_text_policy", "plates", List.of("plates", "all_text"),
          "plates: each plate-shaped text line is read (models.plate_reader) and redacted only if it"
              + " reads like a registration, or is too small to read, or touches one that does (docs/adr/0008);"
              + " all_text: every plate-shaped text line is redacted, signs and lettering too (the"
              + " erase-all-text behaviour before this setting existed)."),
      Setting.choice("models.plate_reader", "ppocr-v4-rec", List.of("ppocr-v4-rec"),
          "Text recogniser for plate_text_policy plates (a row of models/manifest.tsv; its character"
              + " list is the row ppocr-keys-v1)."),
      Setting.decimal("detect.plate_read_min_px", 6, 0, 200, "px",
          "With plate_text_policy plates: text lines less tall than this are redacted unread (too small to read)."),
      Setting.decimal("detect.plate_read_confidence", 0.5, 0, 1, "probability",
          "With plate_text_policy plates: a reading whose characters average less is illegible."),
      Setting.bool("detect.plate_keep_illegible", true,
          "With plate_text_policy plates: redact a line tall enough to read that reads as nothing"
              + " (a motion-blurred plate, and also a tail light)."),
      Setting.bool("detect.plate_map", false,
          "Also run the project's own plate-map network (models/plates), for plates too small or blurred to read."),
      Setting.choice("models.plate_map", "plate-det-s4", List.of("plate-det-s4"),
          "Plate-map network (a row of models/own-models.tsv)."),
      Setting.integer("detect.plate_map_max_side", 1920, 64, 4096, "px",
          "The plate-map network sees the frame scaled so its longer side is at most this."),
      Setting.decimal("detect.plate_map_pixel_threshold", 0.4, 0.05, 0.95, "probability",
          "Plate probability above which a 4 x 4 px cell belongs to a plate."),
      Setting.decimal("detect.plate_map_box_threshold", 0.4, 0.05, 1.0, "probability",
          "Minimum mean plate probability of a group of cells."),
      Setting.decimal("detect.plate_map_grow", 0.2, 0, 2, "fraction",
          "A plate-map box is grown by this fraction of its height on every side (the training targets were shrunk)."),
      Setting.decimal("detect.plate_map_grow_px", 4, 0, 64, "px",
          "A plate-map box is also grown by this many network-input pixels on every side (its 4 px cells blur the edge)."),
      Setting.integer("detect.plate_map_min_cells", 1, 1, 1000, "cells",
          "Groups with fewer 4 x 4 px cells are ignored."),
      Setting.decimal("detect.plate_map_verify_threshold", 0.3, 0, 1.0, "probability",
          "0: off; p: each plate-map candidate is kept only if the plate crop classifier scores it >= p."),
      Setting.choice("models.plate_verify", "plate-cls", List.of("plate-cls"),
          "Plate-or-not crop classifier for the plate-map candidates (a row of models/own-models.tsv)."),
      Setting.integer("detect.plate_every_frames", 1, 1, 30, "frames",
          "On a video or camera, the plate detectors run on every N-th frame and the tracker carries plates"
              + " in between (faces are searched on every frame). Keep it <= track.live_lookahead_frames + 1"
              + " so a plate that appears between two searches is back-filled."),
      Setting.integer("track.hold_frames", 5, 0, 300, "frames",
          "A region stays redacted this many frames after its detector last saw it, at its predicted"
              + " position, grown with the prediction's uncertainty."),
      Setting.integer("track.lookahead_frames", 8, 0, 120, "frames",
          "Video files and image sequences: a frame's redaction is final only this many frames later, so"
              + " an object first detected on a later frame is also removed from the frames before it (raw frames wait in"
              + " memory only, never written)."),
      Setting.integer("track.live_lookahead_frames", 2, 0, 30, "frames",
          "Live cameras: the same look-ahead, kept short because it adds this many frame intervals of"
              + " latency."),
      Setting.choice("redact.mode", "inpaint", List.of("inpaint", "blur", "pixelate", "solid"),
          "How regions are removed."),
      Setting.decimal("redact.margin", 0.3, 0.0, 1.0, "fraction",
          "Each box grows by this fraction of its size on every side before redaction."),
      Setting.integer("encode.jpeg_quality", 85, 1, 100, "quality", "JPEG quality of published frames."),
      Setting.integer("encode.min_jpeg_quality", 40, 1, 100, "quality",
          "A frame over kafka.max_request_bytes is re-encoded in steps down to this, then refused (counted)."),
      Setting.integer("capture.max_image_pixels", 100_000_000, 1, 1L << 30, "pixels",
          "An image whose header declares more pixels (width x height) is not decoded: it counts as unreadable"
              + " and the rest goes on. The default takes 8K (33 MP) with room; OpenCV's own cap is 2^30."),
      Setting.integer("capture.max_image_side", 32_768, 16, 1L << 20, "px",
          "An image whose header declares a longer width or height is not decoded (counted as unreadable)."),
      Setting.bytes("capture.max_image_bytes", 256L << 20, 1L << 10, 1L << 32,
          "An image file larger than this is not read (counted as unreadable)."),
      Setting.integer("pipeline.live_buffer_frames", 2, 1, 64, "frames",
          "Frames a live camera may hold while the pipeline is busy; older ones are dropped."),
      Setting.integer("pipeline.sink_queue_frames", 8, 1, 1024, "frames",
          "Anonymized frames waiting for the sink; a full queue slows capture (backpressure)."),
      Setting.integer("pipeline.max_frames", 0, 0, Long.MAX_VALUE, "frames",
          "Stop each camera after this many frames (0: no limit)."),
      Setting.bool("pipeline.overlap", true,
          "Overlap a camera's CPU work with its model runs: a file's next frame is decoded, and the previous frame"
              + " redacted, on threads of their own while a frame is searched (one frame each, in order; live cameras"
              + " keep their own drop-oldest buffer). false: one thread does it all in turn (bench --overlap"
              + " measures both)."),
      Setting.choice("sink.type", "kafka", List.of("kafka", "directory"),
          "Where anonymized frames go: Kafka through the disk spool, or JPEG files in a folder."),
      Setting.path("sink.directory", "out/frames", "Folder for the directory sink."),
      Setting.string("kafka.bootstrap", "embedded",
          "host:port[,host:port]; 'embedded' starts a single-node broker in a child JVM (demo, tests)."),
      Setting.string("kafka.topic", "edgeagent.frames.v1", "Topic of the frame records (created if missing)."),
      Setting.integer("kafka.partitions", 1, 1, 1000, "partitions", "Partitions when the topic is created."),
      Setting.choice("kafka.compression", "none", List.of("none", "gzip", "snappy", "lz4", "zstd"),
          "Producer compression; JPEG barely compresses."),
      Setting.bytes("kafka.max_request_bytes", 1_048_576, 16_384, 104_857_600,
          "Largest record; must not exceed the broker's message.max.bytes."),
      Setting.integer("kafka.delivery_timeout_ms", 120_000, 1_000, 86_400_000, "ms",
          "How long the producer retries a record before the publisher rebuilds it; data stays spooled."),
      Setting.integer("kafka.request_timeout_ms", 30_000, 100, 600_000, "ms",
          "How long one produce request may wait; also how soon an unanswered broker shows as degraded."),
      Setting.integer("kafka.linger_ms", 5, 0, 10_000, "ms", "How long the producer waits to fill a batch."),
      Setting.choice("kafka.security", "plaintext", List.of("plaintext", "tls", "mtls", "scram"),
          "The fleet link: plaintext (closed networks only), tls (broker verified), mtls (tls plus a client "
              + "certificate) or scram (SASL SCRAM over tls)."),
      Setting.string("kafka.tls.ca_file", "",
          "PEM file of the CA certificates the broker's certificate must chain to (empty: the JVM's defaults)."),
      Setting.string("kafka.tls.cert_file", "", "PEM client certificate chain (kafka.security: mtls)."),
      Setting.string("kafka.tls.key_file", "", "PEM PKCS#8 private key of the client certificate (mtls)."),
      Setting.string("kafka.tls.key_password_file", "", "File holding the client key's password, when it is encrypted."),
      Setting.bool("kafka.tls.verify_hostname", true, "The broker's certificate must name the host connected to."),
      Setting.choice("kafka.sasl.mechanism", "scram-sha-512", List.of("scram-sha-512", "scram-sha-256"),
          "SCRAM variant (kafka.security: scram)."),
      Setting.string("kafka.sasl.username", "", "SCRAM user (kafka.security: scram)."),
      Setting.string("kafka.sasl.password_file", "", "File holding the SCRAM password (never the password itself)."),
      Setting.string("kafka.signing_key_file", "",
          "PEM PKCS#8 Ed25519 private key: every record is signed with it (header edgeagent-sig); empty: unsigned."),
      Setting.path("spool.dir", "spool", "Folder of the disk spool (segment files, checkpoint, sequences)."),
      Setting.bytes("spool.max_bytes", 1L << 30, 1L << 20, 1L << 40, "Cap on the spool's size."),
      Setting.bytes("spool.min_free_bytes", 256L << 20, 0, 1L << 40,
          "The spool stops growing when the disk has less free space than this."),
      Setting.bytes("spool.segment_bytes", 16L << 20, 64L << 10, 1L << 30,
          "Size at which a new segment file is started."),
      Setting.integer("spool.fsync_interval_ms", 0, 0, 60_000, "ms",
          "0: fsync every record before the frame counts as done; n: fsync at most every n ms."),
      Setting.choice("spool.full_policy", "drop_oldest", List.of("drop_oldest", "pause"),
          "At the cap or floor: delete the oldest unsent records, or hold capture back (both counted)."),
      Setting.integer("spool.pause_ms", 5_000, 0, 600_000, "ms",
          "With pause: how long a frame waits for spool space before it is refused."),
      Setting.integer("pipeline.drain_timeout_s", 120, 0, 86_400, "s",
          "With finite inputs, how long run waits for every spooled record to be acknowledged (else exit 75)."),
      Setting.integer("pipeline.stop_timeout_s", 30, 1, 600, "s",
          "On SIGTERM, how long frames in flight may take before the agent exits."),
      Setting.integer("pipeline.stall_timeout_s", 60, 1, 3_600, "s",
          "A camera that finishes no frame for this long is stuck: the systemd watchdog is no longer fed."),
      Setting.integer("pipeline.camera_retry_attempts", 0, 0, 1_000_000, "failures",
          "A live camera (device or stream) that cannot be opened or whose stream breaks is opened again after"
              + " a back-off; after this many failures in a row without a frame it is given up (0: never)."
              + " Files and folders are not retried."),
      Setting.integer("pipeline.camera_retry_initial_ms", 1_000, 10, 600_000, "ms",
          "Back-off before a failed live camera is opened again; doubles after each failure in a row."),
      Setting.integer("pipeline.camera_retry_max_ms", 30_000, 10, 3_600_000, "ms",
          "Longest back-off between two attempts to open a failed live camera."),
      Setting.bool("http.enabled", true, "Serve /health/live, /health/ready (also /health) and /metrics."),
      Setting.string("http.host", "127.0.0.1", "Address the health endpoints bind to."),
      Setting.integer("http.port", 8088, 0, 65535, "port", "Port of the health endpoints (0: any free port)."),
      Setting.string("http.token_file", "",
          "File holding the token the status page asks for (at least 16 characters). Required when http.host is not"
              + " a loopback address and status.enabled is true; on loopback, used when set."),
      Setting.bool("status.enabled", true,
          "Serve the live status page at / of the HTTP server (previews of the anonymized output, rates, drops,"
              + " spool, broker, models, recent errors)."),
      Setting.decimal("status.preview_fps", 2, 0, 30, "frames/s",
          "Preview JPEGs per second and camera sent to open status pages (0: none); encoded only while a page"
              + " is open."),
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
          "Region for enhance.mode=region: x,y,w,h as fractions of the frame width and height."),
      Setting.bool("enhance.uncertainty", false,
          "Attach an SR uncertainty map to each enhanced record (8-bit grey PNG at the published size, brighter ="
              + " less certain): the spread on Y of enhance.uncertainty_samples flow samples. Needs the flow model"
              + " (affine-stablesr-x2); costs about 5x the SR itself at 8 samples."),
      Setting.integer("enhance.uncertainty_samples", 8, 1, 64, "samples",
          "K flow samples per uncertainty map (1 gives an all-zero map: one sample has no spread)."),
      Setting.decimal("enhance.uncertainty_temperature", 0.5, 0, 2, "tau",
          "Temperature of the flow samples for the uncertainty map: z ~ N(0, tau^2) (0: no spread)."),
      Setting.integer("enhance.uncertainty_seed", 0, 0, Long.MAX_VALUE, "seed",
          "Seed of the latent draws: the same frame always gets the same uncertainty map."),
      Setting.bool("inspect.enabled", false,
          "Crop-anomaly watch (drone crop inspection): score a camera's anonymized frames with the crop-anomaly flow"
              + " (models/anomaly) on a background thread and publish the newest result with every record of the"
              + " camera (FrameRecord.anomaly, naming the frame it describes). About 10 s per frame on a 2-core CPU:"
              + " the frames never wait for it, a frame it is busy for is simply not scored."),
      Setting.integer("inspect.interval_ms", 10_000, 0, 86_400_000, "ms",
          "Least capture time between two scored frames of one camera (0: the next frame as soon as the watch is"
              + " free). One frame is scored at a time, all cameras together."),
      Setting.integer("inspect.max_age_ms", 30_000, 0, 86_400_000, "ms",
          "A result whose frame was captured longer ago than this is not attached (the drone has flown on)."),
      Setting.integer("inspect.max_regions", 5, 0, 100, "regions",
          "Most flagged regions a record's anomaly summary lists, most unusual first (it also counts all of them).")
  );

  public static final Map<String, Setting> BY_KEY;

  static {
    Map<String, Setting> m = new LinkedHashMap<>();
    ALL.forEach(s -> m.put(s.key(), s));
    BY_KEY = Map.copyOf(m);
  }
}
