package dev.edgeagent.pipeline;

import dev.edgeagent.config.AgentConfig;
import dev.edgeagent.config.ConfigException;
import dev.edgeagent.config.ConfigLoader;
import dev.edgeagent.detect.DetectionStage;
import dev.edgeagent.detect.Detector;
import dev.edgeagent.detect.FaceDetector;
import dev.edgeagent.detect.InferencePool;
import dev.edgeagent.detect.InferenceConfig;
import dev.edgeagent.detect.ModelLoadException;
import dev.edgeagent.detect.ModelManifest;
import dev.edgeagent.detect.ObjectClass;
import dev.edgeagent.detect.OnnxModel;
import dev.edgeagent.detect.OwnModelManifest;
import dev.edgeagent.detect.PlateCropVerifier;
import dev.edgeagent.detect.PlateDetector;
import dev.edgeagent.detect.PlateMapDetector;
import dev.edgeagent.detect.PlateReadingFilter;
import dev.edgeagent.detect.TensorBuffers;
import dev.edgeagent.detect.TextDetectionTranslator;
import dev.edgeagent.detect.TextRecognizer;
import dev.edgeagent.detect.YuNetDetector;
import dev.edgeagent.enhance.EnhanceConfig;
import dev.edgeagent.enhance.EnhanceStage;
import dev.edgeagent.enhance.SrUncertainty;
import dev.edgeagent.enhance.SuperResolver;
import dev.edgeagent.health.AgentMetrics;
import dev.edgeagent.inspect.AnomalyWatch;
import dev.edgeagent.inspect.CropInspector;
import dev.edgeagent.inspect.PatchFlowModel;
import dev.edgeagent.redact.RedactionMode;
import dev.edgeagent.redact.Redactor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared, heavy parts built once from a config: verified models (one ONNX session each),
 * the inference thread pool, the detection stage and the redactor. Cameras share them.
 */
public final class Components implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Components.class);

  private final List<OnnxModel> models = new ArrayList<>();
  /** How long {@link #close()} waits for inference still running (a run that timed out). */
  private final long closeWaitMillis;
  private final InferencePool inferencePool;
  private final DetectionStage detection;
  private final Redactor redactor;
  private final AgentMetrics metrics;
  private final double faceThreshold;
  private final EnhanceStage enhance;
  /** The crop-anomaly watch (inspect.enabled), or null. */
  private final AnomalyWatch anomalyWatch;
  /** Where model runs keep their large arrays (inference.reuse_buffers); shared by every model. */
  private final TensorBuffers buffers;

  private Components(AgentConfig cfg, AgentMetrics metrics, List<Detector> extra, boolean drawBoxes)
      throws ModelLoadException {
    this.metrics = metrics;
    this.buffers = TensorBuffers.of(cfg.bool("inference.reuse_buffers"));
    this.closeWaitMillis = Math.max(5_000, cfg.longValue("inference.timeout_ms"));
    this.inferencePool = new InferencePool(cfg.integer("inference.max_concurrent"));
    try {
      List<DetectionStage.Scheduled> detectors = new ArrayList<>();
      extra.forEach(d -> detectors.add(new DetectionStage.Scheduled(d, 1)));
      int plateCadence = cfg.integer("detect.plate_every_frames");
      for (Detector d : loadDetectors(cfg)) {
        // The plate detectors are the expensive ones on CPU; faces are searched on every frame.
        detectors.add(new DetectionStage.Scheduled(d, d.classes().contains(ObjectClass.FACE) ? 1 : plateCadence));
      }
      this.detection = new DetectionStage(detectors, inferencePool, cfg.longValue("inference.timeout_ms"));
    } catch (ModelLoadException | RuntimeException e) {
      close();
      throw e;
    }
    this.redactor = new Redactor(drawBoxes ? RedactionMode.BOXES : RedactionMode.parse(cfg.string("redact.mode")),
        cfg.decimal("redact.margin"));
    this.faceThreshold = cfg.decimal("detect.face_threshold");
    try {
      this.enhance = buildEnhance(cfg);
      this.anomalyWatch = buildAnomalyWatch(cfg);
    } catch (ModelLoadException | RuntimeException e) {
      close();
      throw e;
    }
    reportProviders(cfg.string("inference.provider"));
  }

  /** Super-resolution after redaction, when enhance.mode is not off: one shared session. */
  private EnhanceStage buildEnhance(AgentConfig cfg) throws ModelLoadException {
    EnhanceConfig ec;
    try {
      ec = EnhanceConfig.from(cfg);
    } catch (ConfigException e) {
      throw new ModelLoadException(e.getMessage());
    }
    if (ec.mode() == EnhanceConfig.Mode.OFF) {
      return new EnhanceStage(ec.mode(), ec.region(), null);
    }
    OnnxModel m = OnnxModel.loadOwn(OwnModelManifest.load(), ConfigLoader.home(), ec.model(), inferenceConfig(cfg));
    models.add(m);
    SrUncertainty uncertainty = null;
    if (ec.samplerModel() != null) {
      OnnxModel s = OnnxModel.loadOwn(OwnModelManifest.load(), ConfigLoader.home(), ec.samplerModel(),
          inferenceConfig(cfg));
      models.add(s);
      uncertainty = new SrUncertainty(s, ec.tilePx(), ec.overlapPx(), ec.uncertainty());
    }
    return new EnhanceStage(ec.mode(), ec.region(), new SuperResolver(m, 2, ec.tilePx(), ec.overlapPx(),
        buffers), uncertainty);
  }

  /** The crop-anomaly watch beside the cameras, when inspect.enabled: its own session of the crop flow. */
  private AnomalyWatch buildAnomalyWatch(AgentConfig cfg) throws ModelLoadException {
    if (!cfg.bool("inspect.enabled")) {
      return null;
    }
    PatchFlowModel flow = PatchFlowModel.loadPinned(OwnModelManifest.load(), ConfigLoader.home(), inferenceConfig(cfg));
    models.add(flow.onnxModel());
    String model = flow.info().id();
    return new AnomalyWatch(new CropInspector(flow), new AnomalyWatch.Options(cfg.longValue("inspect.interval_ms"),
        cfg.longValue("inspect.max_age_ms"), cfg.integer("inspect.max_regions")), new AnomalyWatch.Listener() {
          @Override
          public void scored(String camera, long nanos) {
            metrics.anomalyScored(camera, model, nanos);
          }

          @Override
          public void failed(String camera) {
            metrics.anomalyFailed(camera);
          }
        });
  }

  /** inference.* checked as a whole; a bad value stops the start like a bad model (exit 78). */
  private static InferenceConfig inferenceConfig(AgentConfig cfg) throws ModelLoadException {
    try {
      return InferenceConfig.from(cfg);
    } catch (ConfigException e) {
      throw new ModelLoadException(e.getMessage());
    }
  }

  /** Says, per model, which provider it runs on (edgeagent_model_provider_info). */
  private void reportProviders(String requested) {
    for (OnnxModel m : models) {
      metrics.modelProvider(m.info().id(), requested, m.provider().label());
    }
  }

  /** Model name to the provider it actually runs on (cpu, cuda, tensorrt), in load order. */
  public Map<String, String> providers() {
    Map<String, String> out = new LinkedHashMap<>();
    models.forEach(m -> out.put(m.info().id(), m.provider().label()));
    return out;
  }

  /** The buffers every model run of these components draws on (the bench reads what they allocated). */
  public TensorBuffers buffers() {
    return buffers;
  }

  public EnhanceStage enhance() {
    return enhance;
  }

  /** The crop-anomaly watch every camera's published frames pass (inspect.enabled), or null when off. */
  public AnomalyWatch anomalyWatch() {
    return anomalyWatch;
  }

  public static Components build(AgentConfig cfg, AgentMetrics metrics) throws ModelLoadException {
    return new Components(cfg, metrics, List.of(), false);
  }

  /**
   * For tuning only ({@code anonymize --boxes}): every found region is outlined with its class
   * and score instead of removed. Its frames are marked not anonymized and cannot be published
   * ({@link dev.edgeagent.redact.AnonymizedFrame#anonymized()}).
   */
  public static Components buildDrawingBoxes(AgentConfig cfg, AgentMetrics metrics) throws ModelLoadException {
    return new Components(cfg, metrics, List.of(), true);
  }

  /** With extra detectors in front of the configured ones (fault injection in tests). */
  public static Components build(AgentConfig cfg, AgentMetrics metrics, List<Detector> extra)
      throws ModelLoadException {
    return new Components(cfg, metrics, extra, false);
  }

  private List<Detector> loadDetectors(AgentConfig cfg) throws ModelLoadException {
    ModelManifest manifest = ModelManifest.load();
    Path dir = cfg.path("models.dir");
    InferenceConfig inference = inferenceConfig(cfg);
    List<Detector> out = new ArrayList<>();
    if (cfg.bool("detect.faces")) {
      out.add(faceDetector(cfg, manifest, dir, inference));
    }
    // One recogniser session reads the lines of the text detector and the boxes of the plate map.
    PlateReadingFilter reader = platesRead(cfg) ? plateReader(cfg, manifest, dir, inference) : null;
    if (cfg.bool("detect.plates")) {
      OnnxModel m = OnnxModel.load(manifest, dir, cfg.string("models.plate"), inference);
      models.add(m);
      out.add(new PlateDetector(m, plateParams(cfg), cfg.decimal("detect.plate_grow_x"),
          cfg.decimal("detect.plate_grow_y"), reader, metrics::inference, buffers));
    }
    if (cfg.bool("detect.plate_map")) {
      OnnxModel m = OnnxModel.loadOwn(OwnModelManifest.load(), ConfigLoader.home(),
          cfg.string("models.plate_map"), inference);
      models.add(m);
      PlateCropVerifier verifier = null;
      if (plateMapVerified(cfg)) {
        OnnxModel v = OnnxModel.loadOwn(OwnModelManifest.load(), ConfigLoader.home(),
            cfg.string("models.plate_verify"), inference);
        models.add(v);
        verifier = new PlateCropVerifier(v, cfg.decimal("detect.plate_map_verify_threshold"), metrics::inference,
            buffers);
      }
      out.add(new PlateMapDetector(m, new PlateMapDetector.Params(cfg.integer("detect.plate_map_max_side"),
          cfg.decimal("detect.plate_map_pixel_threshold"), cfg.decimal("detect.plate_map_box_threshold"),
          cfg.decimal("detect.plate_map_grow"), cfg.decimal("detect.plate_map_grow_px"),
          cfg.integer("detect.plate_map_min_cells")), verifier,
          reader, metrics::inference, buffers));
    }
    return out;
  }

  /** The second stage of the text detector's lines: the recogniser and the registration rules. */
  private PlateReadingFilter plateReader(AgentConfig cfg, ModelManifest manifest, Path dir,
      InferenceConfig inference) throws ModelLoadException {
    String name = cfg.string("models.plate_reader");
    List<String> characters = TextRecognizer.loadCharacters(manifest, dir, PLATE_READER_CHARACTERS);
    OnnxModel m = OnnxModel.load(manifest, dir, name, inference);
    models.add(m);
    return new PlateReadingFilter(new TextRecognizer(m, characters, metrics::inference, buffers),
        new PlateReadingFilter.Params(cfg.decimal("detect.plate_read_min_px"),
            cfg.decimal("detect.plate_read_confidence"), cfg.bool("detect.plate_keep_illegible")));
  }

  /** The manifest row of the plate reader's character list. */
  public static final String PLATE_READER_CHARACTERS = "ppocr-keys-v1";

  /**
   * Whether plate candidates (the text detector's lines, the plate map's boxes) are read and
   * kept only if they could be plates.
   */
  public static boolean platesRead(AgentConfig cfg) {
    return (cfg.bool("detect.plates") || cfg.bool("detect.plate_map"))
        && cfg.string("detect.plate_text_policy").equals("plates");
  }

  /** Whether the plate-map network's candidates go through the plate crop classifier. */
  public static boolean plateMapVerified(AgentConfig cfg) {
    return cfg.bool("detect.plate_map") && cfg.decimal("detect.plate_map_verify_threshold") > 0;
  }

  /**
   * The face detector {@code detect.face_model} names: YuNet from its committed, pinned file
   * (models/yunet), or BlazeFace from the fetched models folder.
   */
  private Detector faceDetector(AgentConfig cfg, ModelManifest manifest, Path dir,
      InferenceConfig inference) throws ModelLoadException {
    String name = cfg.string("detect.face_model");
    if (isYuNet(name)) {
      OnnxModel m = OnnxModel.loadOwn(OwnModelManifest.load(), ConfigLoader.home(), name, inference);
      models.add(m);
      return new YuNetDetector(m, yuNetParams(cfg), metrics::inference, buffers,
          cfg.integer("inference.max_batch"), batchWindowNanos(cfg));
    }
    OnnxModel m = OnnxModel.load(manifest, dir, name, inference);
    models.add(m);
    return new FaceDetector(m, cfg.decimal("detect.face_threshold"), cfg.integer("detect.face_tiles"),
        cfg.integer("detect.face_tile_px"), cfg.decimal("detect.face_tile_overlap"),
        cfg.decimal("detect.face_verify_threshold"), cfg.decimal("detect.face_verify_context"),
        metrics::inference, buffers);
  }

  /**
   * How long a YuNet search run waits for other cameras' runs to share one (ADR 0023); 0 when
   * nothing could be shared: with one inference slot no two calls are in flight at once, and
   * with batches of one image there is no room, so the window would only add latency.
   */
  static long batchWindowNanos(AgentConfig cfg) {
    double ms = cfg.decimal("inference.batch_window_ms");
    if (ms <= 0) {
      return 0;
    }
    if (cfg.integer("inference.max_concurrent") < 2 || cfg.integer("inference.max_batch") < 2) {
      LOG.warn("event=batch_window_unused inference.batch_window_ms={} reason=\"inference.max_concurrent {} and"
          + " inference.max_batch {} must both be above 1 for runs to be shared; batching across cameras is off\"",
          ms, cfg.integer("inference.max_concurrent"), cfg.integer("inference.max_batch"));
      return 0;
    }
    return Math.round(ms * 1e6);
  }

  /** YuNet models are committed to the repository (own-models.tsv); BlazeFace ones are fetched. */
  public static boolean isYuNet(String faceModel) {
    return faceModel.startsWith("yunet");
  }

  /** YuNet's search settings from the config. */
  public static YuNetDetector.Params yuNetParams(AgentConfig cfg) {
    return new YuNetDetector.Params(cfg.decimal("detect.face_threshold"), cfg.decimal("detect.face_upscale"),
        cfg.integer("detect.face_pass_max_px"), cfg.decimal("detect.face_verify_threshold"),
        cfg.decimal("detect.face_verify_context"), cfg.bool("detect.face_mirror"),
        cfg.decimal("detect.face_rotation"));
  }

  /** The text detector's pre- and post-processing settings from the config. */
  public static TextDetectionTranslator.Params plateParams(AgentConfig cfg) {
    return new TextDetectionTranslator.Params(cfg.integer("detect.plate_max_side"),
        cfg.decimal("detect.plate_pixel_threshold"), cfg.decimal("detect.plate_box_threshold"),
        cfg.decimal("detect.plate_unclip_ratio"), cfg.decimal("detect.plate_min_height_px"),
        cfg.decimal("detect.plate_min_aspect"), cfg.decimal("detect.plate_max_aspect"));
  }

  public DetectionStage detection() {
    return detection;
  }

  public Redactor redactor() {
    return redactor;
  }

  public AgentMetrics metrics() {
    return metrics;
  }

  public double faceThreshold() {
    return faceThreshold;
  }

  public List<OnnxModel> models() {
    return models;
  }

  /** The bounded pool detectors run on (inference.max_concurrent). */
  public InferencePool inferencePool() {
    return inferencePool;
  }

  /**
   * Stops the inference pool (terminating the runs still in it), then closes the models. A run
   * that timed out may still be inside a session (native code ignores the interrupt), and closing
   * a session under a running thread crashes the JVM. Each model therefore closes only after its
   * last run has returned ({@link OnnxModel#close(long)}, within the same overall wait), and is
   * left to the process's exit, logged, if one is still running then; runs on other threads than
   * the pool's (super-resolution on a camera thread) are covered the same way.
   */
  @Override
  public void close() {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(closeWaitMillis);
    if (anomalyWatch != null && !anomalyWatch.close(closeWaitMillis)) {
      LOG.warn("event=anomaly_scoring_still_running after_ms={}", closeWaitMillis);
    }
    inferencePool.shutdown();
    try {
      if (!inferencePool.awaitIdle(closeWaitMillis)) {
        LOG.warn("event=inference_still_running after_ms={} effect=models_in_use_left_open", closeWaitMillis);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    int leftOpen = 0;
    for (OnnxModel m : models) {
      long left = Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
      leftOpen += m.close(Thread.currentThread().isInterrupted() ? 0 : left) ? 0 : 1;
    }
    if (leftOpen > 0) {
      LOG.warn("event=models_left_open count={} reason=\"a run was still inside them\"", leftOpen);
    }
  }
}
