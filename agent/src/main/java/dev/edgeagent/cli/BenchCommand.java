package dev.edgeagent.cli;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeagent.capture.FrameMeta;
import dev.edgeagent.capture.FrameSource;
import dev.edgeagent.capture.RawFrame;
import dev.edgeagent.capture.Sources;
import dev.edgeagent.config.AgentConfig;
import dev.edgeagent.detect.BlazeFaceTranslator;
import dev.edgeagent.detect.OnnxModel;
import dev.edgeagent.detect.PlateMapDetector;
import dev.edgeagent.detect.TextDetectionTranslator;
import dev.edgeagent.detect.YuNetTranslator;
import dev.edgeagent.encode.JpegEncoder;
import dev.edgeagent.health.AgentMetrics;
import dev.edgeagent.pipeline.Components;
import dev.edgeagent.pipeline.FrameProcessor;
import dev.edgeagent.bench.CameraBench;
import dev.edgeagent.bench.CrossCameraBench;
import dev.edgeagent.bench.HotPathBench;
import dev.edgeagent.bench.OverlapBench;
import dev.edgeagent.publish.PublishBenchmark;
import dev.edgeagent.redact.AnonymizedFrame;
import dev.edgeagent.track.BoxTracker;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Measures, on the same decoded frames in one run: the bare ONNX Runtime time per model
 * (session.run only, inputs prepared beforehand) and the full pipeline (detect, track, redact,
 * JPEG encode), so the pipeline's overhead over inference is a ratio, not a guess.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    header = "Measure bare model time against the full pipeline and the publishing side.",
    description = {"Benchmarks bare model inference against the full pipeline on the same frames. Prints a table on "
        + "stderr and a JSON line on stdout."})
public final class BenchCommand implements Callable<Integer> {
  @Option(names = "--input", required = true, paramLabel = "<video|dir>", description = "Frames to measure on.")
  String input;

  @Option(names = "--frames", defaultValue = "60", description = "Frames to use (default: ${DEFAULT-VALUE}).")
  int frames;

  @Option(names = "--size", paramLabel = "<WxH>",
      description = "Resize every decoded frame to this size first, e.g. 1280x720 or 3840x2160 (default: as decoded).")
  String size;

  @Option(names = "--warmup", defaultValue = "3", description = "Untimed runs first (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--publish-records", defaultValue = "200",
      description = "Records for the publish phase (spool and broker; embedded unless kafka.bootstrap is set); 0 skips it"
          + " (default: ${DEFAULT-VALUE}).")
  int publishRecords;

  @Option(names = "--cameras", split = ",", paramLabel = "N[,N...]",
      description = "Also run the whole agent with N concurrent cameras replaying the frames (e.g. 1,2,4): per-camera"
          + " and total frames/s, CPU cores busy and peak memory.")
  List<Integer> cameras;

  @Option(names = "--hot-path",
      description = "Only compare the model hot path as it was (fresh buffers every run, one YuNet run per pass) with"
          + " as it is (reused buffers, pinned outputs, batched passes) on the same frames: ms/frame, per-detector and"
          + " per-model ms, heap and direct bytes allocated per frame, GC collections.")
  boolean hotPath;

  @Option(names = "--batch-window-ms", paramLabel = "<ms>",
      description = "Only compare N cameras' detection (--cameras, default 2,4) with batching across cameras off"
          + " (inference.batch_window_ms 0) and on with this window, on the same frames: frames/s, detection latency"
          + " p50/p95 and model runs per frame.")
  Double batchWindowMs;

  @Option(names = "--overlap",
      description = "Only compare pipeline.overlap off and on: one camera's whole path (decode from --input, search, track,"
          + " redact, JPEG encode) for --frames frames, --rounds runs a side in alternating order: frames/s,"
          + " capture-to-encoded latency, CPU cores busy.")
  boolean overlap;

  @Option(names = "--stand-in-model-ms", defaultValue = "0", paramLabel = "<ms>",
      description = "--overlap: instead of the configured models, one stand-in that waits this long without using the"
          + " CPU and finds one face, as a model run on a GPU would (0: the real models; default: ${DEFAULT-VALUE}).")
  long standInModelMs;

  @Option(names = "--rounds", defaultValue = "4",
      description = "--hot-path, --batch-window-ms: passes over the frames per side, before and after alternating frame"
          + " by frame; --overlap: runs per side (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Mixin
  CommonOptions common;

  @Override
  public Integer call() throws Exception {
    AgentConfig cfg = common.config().with(common.overrides(), null);
    if (cameras != null && cameras.stream().anyMatch(n -> n < 1 || n > 64)) {
      throw new CliFailure(ExitCodes.USAGE, "--cameras: each count must be 1..64, got " + cameras);
    }
    if (overlap) {
      return overlap(cfg);
    }
    List<Mat> mats = decode();
    if (hotPath) {
      return hotPath(cfg, mats);
    }
    if (batchWindowMs != null) {
      return crossCamera(cfg, mats);
    }
    AgentMetrics metrics = new AgentMetrics();
    ObjectNode out = new ObjectMapper().createObjectNode();
    out.put("input", input).put("frames", mats.size()).put("width", mats.get(0).cols())
        .put("height", mats.get(0).rows()).put("cpus", Runtime.getRuntime().availableProcessors())
        .put("intra_op_threads", cfg.integer("inference.intra_op_threads"));
    try (Components c = Components.build(cfg, metrics)) {
      double bareTotal = 0;
      ObjectNode bare = out.putObject("bare_ms_per_frame");
      for (OnnxModel m : c.models()) {
        if (m.info().id().equals(cfg.string("models.plate_verify"))
            || m.info().id().equals(cfg.string("models.plate_reader"))) {
          continue; // second stages: their cost depends on the candidates, so only the pipeline time has it
        }
        double ms = bareMillis(m, mats, cfg);
        bare.put(m.info().id(), round(ms));
        bareTotal += ms;
      }
      List<AnonymizedFrame> kept = new ArrayList<>();
      double pipeMs = pipelineMillis(c, mats, new JpegEncoder(cfg.integer("encode.jpeg_quality")), kept);
      out.put("bare_total_ms_per_frame", round(bareTotal));
      out.put("pipeline_ms_per_frame", round(pipeMs));
      out.put("pipeline_fps", round(1000 / pipeMs));
      out.put("pipeline_over_bare", round(pipeMs / bareTotal));
      out.put("provider", c.models().isEmpty() ? "none" : c.models().get(0).provider().name().toLowerCase());
      if (cameras != null && !cameras.isEmpty()) {
        out.set("cameras", CameraBench.run(cfg, mats, cameras, bareTotal));
      }
      try {
        if (publishRecords > 0 && !kept.isEmpty()) {
          out.set("publish", PublishBenchmark.run(kept, publishRecords, cfg));
        }
      } finally {
        kept.forEach(AnonymizedFrame::close);
      }
    } finally {
      mats.forEach(Mat::release);
    }
    System.err.printf("%-28s %s%n", "frames", out.get("frames"));
    out.get("bare_ms_per_frame").fields().forEachRemaining(e ->
        System.err.printf("%-28s %s ms/frame%n", "bare " + e.getKey(), e.getValue()));
    System.err.printf("%-28s %s ms/frame (%s fps)%n", "pipeline", out.get("pipeline_ms_per_frame"), out.get("pipeline_fps"));
    System.err.printf("%-28s %s%n", "pipeline / bare", out.get("pipeline_over_bare"));
    if (out.has("cameras")) {
      for (com.fasterxml.jackson.databind.JsonNode r : out.get("cameras").get("runs")) {
        System.err.printf("%-28s %s fps total, per camera %s, %s cores busy, peak RSS %s MB, %s x the bare loop%n",
            "agent, " + r.get("cameras") + " camera(s)", r.get("total_fps"), r.get("per_camera_fps"), r.get("cores_busy"),
            r.get("peak_rss_mb"), r.get("total_over_bare_loop"));
      }
    }
    if (out.has("publish")) {
      out.get("publish").fields().forEachRemaining(e ->
          System.err.printf("%-28s %s%n", "publish " + e.getKey(), e.getValue()));
    }
    System.out.println(new ObjectMapper().writeValueAsString(out));
    return ExitCodes.OK;
  }

  /** {@code --hot-path}: the before/after comparison alone (HotPathBench). */
  private int hotPath(AgentConfig cfg, List<Mat> mats) throws Exception {
    if (rounds < 1) {
      throw new CliFailure(ExitCodes.USAGE, "--rounds must be at least 1, got " + rounds);
    }
    try {
      ObjectNode out = new ObjectMapper().createObjectNode();
      out.put("input", input).put("width", mats.get(0).cols()).put("height", mats.get(0).rows())
          .put("cpus", Runtime.getRuntime().availableProcessors())
          .put("intra_op_threads", cfg.integer("inference.intra_op_threads"));
      ObjectNode r = HotPathBench.run(cfg, mats, warmup, rounds);
      out.set("hot_path", r);
      HotPathBench.print(r);
      System.out.println(new ObjectMapper().writeValueAsString(out));
      return ExitCodes.OK;
    } finally {
      mats.forEach(Mat::release);
    }
  }

  /** {@code --batch-window-ms}: cameras' detection with batching across cameras off and on (CrossCameraBench). */
  private int crossCamera(AgentConfig cfg, List<Mat> mats) throws Exception {
    if (rounds < 1 || batchWindowMs <= 0 || batchWindowMs > 100) {
      throw new CliFailure(ExitCodes.USAGE, "--batch-window-ms must be above 0 and at most 100, --rounds at least 1");
    }
    try {
      ObjectNode out = new ObjectMapper().createObjectNode();
      out.put("input", input).put("frames", mats.size()).put("width", mats.get(0).cols())
          .put("height", mats.get(0).rows()).put("cpus", Runtime.getRuntime().availableProcessors())
          .put("intra_op_threads", cfg.integer("inference.intra_op_threads"));
      ObjectNode r = CrossCameraBench.run(cfg, mats, cameras == null ? List.of(2, 4) : cameras, batchWindowMs,
          warmup, rounds);
      out.set("cross_camera", r);
      CrossCameraBench.print(r);
      System.out.println(new ObjectMapper().writeValueAsString(out));
      return ExitCodes.OK;
    } finally {
      mats.forEach(Mat::release);
    }
  }

  /** {@code --overlap}: the off/on comparison alone (OverlapBench), decoding from the input in every run. */
  private int overlap(AgentConfig cfg) throws Exception {
    if (rounds < 1 || frames < 1) {
      throw new CliFailure(ExitCodes.USAGE, "--overlap needs --rounds and --frames of at least 1");
    }
    if (Sources.isLive(input)) {
      throw new CliFailure(ExitCodes.USAGE, "--overlap reads a file or folder, not a live input: " + input);
    }
    ObjectNode out = new ObjectMapper().createObjectNode();
    out.put("input", input).put("cpus", Runtime.getRuntime().availableProcessors())
        .put("intra_op_threads", cfg.integer("inference.intra_op_threads"));
    if (standInModelMs < 0) {
      throw new CliFailure(ExitCodes.USAGE, "--stand-in-model-ms must be 0 or more, got " + standInModelMs);
    }
    ObjectNode r = OverlapBench.run(cfg, input, frames, parseSize(), rounds, warmup, standInModelMs);
    out.set("overlap", r);
    OverlapBench.print(r);
    System.out.println(new ObjectMapper().writeValueAsString(out));
    return ExitCodes.OK;
  }

  private List<Mat> decode() throws Exception {
    List<Mat> mats = new ArrayList<>();
    try (FrameSource s = Sources.open("bench", input, 2)) {
      int[] wh = parseSize();
      for (RawFrame f = s.next(); f != null && mats.size() < frames; f = s.next()) {
        Mat m = f.surrenderPixels();
        if (wh != null && (m.cols() != wh[0] || m.rows() != wh[1])) {
          Mat r = new Mat();
          Imgproc.resize(m, r, new Size(wh[0], wh[1]), 0, 0, Imgproc.INTER_LINEAR);
          m.release();
          m = r;
        }
        mats.add(m);
      }
    }
    if (mats.isEmpty()) {
      throw new CliFailure(ExitCodes.DATA_ERR, input + " holds no decodable frames");
    }
    return mats;
  }

  /** {@code --size} as {width, height}, or null when not given. */
  private int[] parseSize() throws CliFailure {
    if (size == null) {
      return null;
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{2,5})x(\\d{2,5})").matcher(size.trim());
    if (!m.matches()) {
      throw new CliFailure(ExitCodes.USAGE, "--size: expected WIDTHxHEIGHT such as 1280x720, got '" + size + "'");
    }
    return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
  }

  private double bareMillis(OnnxModel m, List<Mat> mats, AgentConfig cfg) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    List<OnnxTensor> inputs = new ArrayList<>();
    String name = m.session().getInputNames().iterator().next();
    try {
      for (Mat mat : mats) {
        inputs.add(prepare(m, mat, cfg, env));
      }
      for (int i = 0; i < warmup; i++) {
        m.run(Map.of(name, inputs.get(i % inputs.size()))).close();
      }
      long t0 = System.nanoTime();
      for (OnnxTensor t : inputs) {
        m.run(Map.of(name, t)).close();
      }
      return (System.nanoTime() - t0) / 1e6 / inputs.size();
    } finally {
      inputs.forEach(OnnxTensor::close);
    }
  }

  private OnnxTensor prepare(OnnxModel m, Mat mat, AgentConfig cfg, OrtEnvironment env) throws Exception {
    if (m.info().id().startsWith("blazeface")) {
      long[] shape = ((ai.onnxruntime.TensorInfo) m.session().getInputInfo().values().iterator().next()
          .getInfo()).getShape();
      int s = (int) shape[1];
      FloatBuffer fb = direct(s * s * 3);
      new BlazeFaceTranslator(s).preprocess(mat, 0, 0, fb);
      return OnnxTensor.createTensor(env, fb, new long[] {1, s, s, 3});
    }
    if (Components.isYuNet(m.info().id())) {
      YuNetTranslator.Placement p = YuNetTranslator.Placement.of(0, 0, mat.cols(), mat.rows(), 1.0);
      FloatBuffer fb = direct(p.floats());
      YuNetTranslator.preprocess(mat, p, fb);
      return OnnxTensor.createTensor(env, fb, p.shape());
    }
    if (m.info().id().equals(cfg.string("models.plate_map"))) {
      return PlateMapDetector.inputTensor(mat, cfg.integer("detect.plate_map_max_side"));
    }
    TextDetectionTranslator t = new TextDetectionTranslator(Components.plateParams(cfg));
    int[] hw = t.inputSize(mat.cols(), mat.rows());
    FloatBuffer fb = direct(3 * hw[0] * hw[1]);
    t.preprocess(mat, hw[0], hw[1], fb);
    return OnnxTensor.createTensor(env, fb, new long[] {1, 3, hw[0], hw[1]});
  }

  private static FloatBuffer direct(int floats) {
    return ByteBuffer.allocateDirect(floats * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  /** Full pipeline per frame; keeps up to 20 anonymized frames for the publish phase. */
  private double pipelineMillis(Components c, List<Mat> mats, JpegEncoder jpeg, List<AnonymizedFrame> kept)
      throws Exception {
    FrameProcessor p = new FrameProcessor(c);
    BoxTracker tracker = new BoxTracker(5);
    for (int i = 0; i < warmup; i++) {
      runOne(p, tracker, mats.get(i % mats.size()), i, jpeg, null);
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < mats.size(); i++) {
      runOne(p, tracker, mats.get(i), i, jpeg, kept.size() < 20 ? kept : null);
    }
    return (System.nanoTime() - t0) / 1e6 / mats.size();
  }

  private static void runOne(FrameProcessor p, BoxTracker tracker, Mat src, long seq, JpegEncoder jpeg,
      List<AnonymizedFrame> keep) throws InterruptedException {
    Mat copy = src.clone();
    FrameMeta meta = FrameMeta.capturedNow("bench", seq, copy.cols(), copy.rows(), "bench");
    FrameProcessor.Outcome o = p.process(new RawFrame(meta, copy), tracker);
    if (o.frame() != null) {
      jpeg.encode(o.frame());
      if (keep != null) {
        keep.add(o.frame());
      } else {
        o.frame().close();
      }
    }
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
