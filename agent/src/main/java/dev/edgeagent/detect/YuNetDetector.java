package dev.edgeagent.detect;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ObjLongConsumer;
import org.opencv.core.Mat;
import org.opencv.core.Rect;

/**
 * Faces with YuNet, a detector made for small faces (strides 8 to 32, one prior per cell).
 *
 * <p>Passes: the frame at its own resolution, and optionally enlarged by {@code upscale} for
 * faces under about 16 px. A pass whose input would be larger than {@code maxPassPx} on a side
 * is cut into overlapping tiles of that size, so memory stays bounded on 4K frames or enlarged
 * passes; a frame that needs tiles at its own resolution also gets one whole-frame pass shrunk
 * to {@code maxPassPx}, so a face larger than the tile overlap is still seen whole. The boxes of
 * all passes are merged by weighted NMS.
 *
 * <p>With {@code mirror} the frame is also searched mirrored, and with {@code rotation} above 0
 * turned both ways by that angle, each at its own resolution: second looks that find small and
 * degraded faces the first scored just under the threshold, and heads tilted past what YuNet
 * tolerates upright.
 *
 * <p>With {@code verifyThreshold} above {@code threshold}, the search keeps candidates down to
 * {@code threshold}; a candidate scoring under {@code verifyThreshold} gets a second look on a
 * close-up {@code verifyContext} times its size, enlarged so the face is about
 * {@value #CLOSE_UP_FACE_PX} px tall, and is kept only if that look scores at least
 * {@code verifyThreshold}. The close-ups of one frame are searched together in one mosaic
 * ({@link CloseUpMosaic}). Small, blurred or dark faces score low at their own size but well
 * when enlarged; what only resembled a face does not.
 */
public final class YuNetDetector implements Detector {
  /** A close-up enlarges the candidate so its longer side is about this many pixels. */
  static final int CLOSE_UP_FACE_PX = 80;
  /** A close-up never enlarges more than this (a 4 px speck is not worth an 80 px look). */
  static final double CLOSE_UP_MAX_SCALE = 6;
  /** Tiles of a pass overlap by this fraction of their side, so a face on a seam is whole in one. */
  static final double TILE_OVERLAP = 0.25;
  static final double NMS_IOU = 0.3;
  /** Faces at least this tall or wide (frame px) are left to the frame's own resolution. */
  static final double ENLARGED_MAX_FACE_PX = 48;
  /** A box this close (input px) to a tile's inner edge counts as cut by it. */
  static final double SEAM_PX = 2;

  /**
   * Search settings.
   *
   * @param threshold lowest score a candidate may have
   * @param upscale 1: the frame's own resolution only; s > 1: also a pass enlarged s times
   * @param maxPassPx longest input side of one model run; larger passes are tiled
   * @param verifyThreshold 0 or at most {@code threshold}: no second look; otherwise the
   *     close-up score a low candidate needs
   * @param verifyContext side of the close-up in multiples of the candidate's longer side
   * @param mirror the frame is also searched mirrored left to right ({@link AffineView})
   * @param rotation 0, or degrees: the frame is also searched turned by plus and minus this
   *     ({@link AffineView}), for tilted heads
   */
  public record Params(double threshold, double upscale, int maxPassPx, double verifyThreshold,
      double verifyContext, boolean mirror, double rotation) {
    public Params {
      if (threshold <= 0 || threshold > 1 || upscale < 1 || maxPassPx < YuNetTranslator.MULTIPLE
          || verifyContext < 1) {
        throw new IllegalArgumentException("YuNet params out of range: threshold " + threshold
            + ", upscale " + upscale + ", maxPassPx " + maxPassPx + ", context " + verifyContext);
      }
    }

    boolean verifies() {
      return verifyThreshold > threshold;
    }
  }

  /**
   * A batch never holds more input floats than this (three planes of 1920 x 1920, one full-size
   * tile): batching saves per-run overhead, not memory, so large passes still run one by one.
   */
  static final int MAX_BATCH_FLOATS = 3 * 1920 * 1920;
  private static final TensorBuffers.Slot INPUT = TensorBuffers.slot("YuNet input");
  private static final TensorBuffers.Slot PLANE = TensorBuffers.slot("YuNet plane");
  /**
   * The path without reused buffers keeps YuNet's reused input and plane scratch: they were
   * reused (per thread) before issue 18 item 4.
   */
  private static final TensorBuffers OLD_PATH_INPUT = TensorBuffers.reused();
  /**
   * Values per cell of each kind of output, in the model's order; an output is named kind and
   * stride (cls_8 ... kps_32). The pinned buffers, the batcher's layout, the checks and the
   * decoding all read their shapes from here.
   */
  private static final Map<String, Integer> VALUES_PER_CELL = valuesPerCell();
  private static final Map<String, TensorBuffers.Slot> OUTPUTS = outputSlots();

  private final OnnxModel model;
  private final Params params;
  private final ObjLongConsumer<String> timer;
  private final TensorBuffers buffers;
  private final int maxBatch;
  /** Merges the search runs of calls (cameras) made at about the same time; null: each runs alone. */
  private final RunBatcher shared;

  public YuNetDetector(OnnxModel model, Params params, ObjLongConsumer<String> timer) {
    this(model, params, timer, TensorBuffers.reused(), 1);
  }

  /** As the full constructor, no batching across calls. */
  public YuNetDetector(OnnxModel model, Params params, ObjLongConsumer<String> timer, TensorBuffers buffers,
      int maxBatch) {
    this(model, params, timer, buffers, maxBatch, 0);
  }

  /**
   * @param buffers where each run's input and (pinned) outputs live
   * @param maxBatch most passes of one input size (the tiles of a pass) searched in one model run
   *     (inference.max_batch); 1: one run per pass
   * @param batchWindowNanos 0: every call makes its own runs; above 0: a search run waits up to
   *     this long for other calls' runs of the same input size to share one model run
   *     (inference.batch_window_ms, {@link RunBatcher}); ignored with {@code maxBatch} 1
   */
  public YuNetDetector(OnnxModel model, Params params, ObjLongConsumer<String> timer, TensorBuffers buffers,
      int maxBatch, long batchWindowNanos) {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("a batch holds at least one image, not " + maxBatch);
    }
    this.model = model;
    this.params = params;
    this.timer = timer;
    this.buffers = buffers;
    this.maxBatch = maxBatch;
    this.shared = batchWindowNanos > 0 && maxBatch > 1
        ? new RunBatcher(model, batchWindowNanos, maxBatch, MAX_BATCH_FLOATS, buffers, timer) : null;
  }

  private static Map<String, Integer> valuesPerCell() {
    Map<String, Integer> kinds = new java.util.LinkedHashMap<>();
    kinds.put("cls_", 1);
    kinds.put("obj_", 1);
    kinds.put("bbox_", 4);
    kinds.put("kps_", 2 * YuNetTranslator.LANDMARKS);
    return java.util.Collections.unmodifiableMap(kinds);
  }

  private static Map<String, TensorBuffers.Slot> outputSlots() {
    Map<String, TensorBuffers.Slot> slots = new java.util.HashMap<>();
    for (int s : YuNetTranslator.STRIDES) {
      for (String kind : VALUES_PER_CELL.keySet()) {
        slots.put(kind + s, TensorBuffers.slot("YuNet output " + kind + s));
      }
    }
    return Map.copyOf(slots);
  }

  Params params() {
    return params;
  }

  /** The batcher across calls, or null when each call runs alone. */
  RunBatcher sharedRuns() {
    return shared;
  }

  @Override
  public ModelInfo model() {
    return model.info();
  }

  @Override
  public Set<ObjectClass> classes() {
    return EnumSet.of(ObjectClass.FACE);
  }

  @Override
  public List<Detection> detect(Mat bgr) throws DetectorException {
    List<Detection> all = runPasses(bgr, passes(bgr.cols(), bgr.rows(), params));
    if (params.mirror()) {
      try (AffineView view = AffineView.mirrored(bgr)) {
        all.addAll(searchView(view, bgr));
      }
    }
    if (params.rotation() > 0) {
      for (double angle : new double[] {params.rotation(), -params.rotation()}) {
        try (AffineView view = AffineView.rotated(bgr, angle)) {
          all.addAll(searchView(view, bgr));
        }
      }
    }
    List<Detection> merged = Nms.weighted(all, NMS_IOU);
    return params.verifies() ? verify(bgr, merged) : merged;
  }

  /** A view of the frame searched at its own resolution, its detections mapped back to the frame. */
  private List<Detection> searchView(AffineView view, Mat frame) throws DetectorException {
    List<Detection> out = new ArrayList<>();
    for (Detection d : runPasses(view.image(), tiled(frame.cols(), frame.rows(), 1.0, params.maxPassPx()))) {
      out.add(view.toFrame(d));
    }
    return out;
  }

  /** Every pass over {@code image}, with what each pass should not keep left out. */
  private List<Detection> runPasses(Mat image, List<Pass> passes) throws DetectorException {
    List<Detection> found = new ArrayList<>();
    for (List<Pass> batch : batches(passes, maxBatch)) {
      List<Mat> regions = new ArrayList<>(batch.size());
      List<YuNetTranslator.Placement> placements = new ArrayList<>(batch.size());
      try {
        for (Pass pass : batch) {
          regions.add(image.submat(pass.region()));
          placements.add(pass.placement());
        }
        List<List<Detection>> each = shared == null ? run(regions, placements, params.threshold())
            : runShared(regions, placements, params.threshold());
        for (int i = 0; i < batch.size(); i++) {
          for (Detection d : each.get(i)) {
            if (batch.get(i).keeps(d, image.cols(), image.rows())) {
              found.add(d);
            }
          }
        }
      } finally {
        regions.forEach(Mat::release);
      }
    }
    return found;
  }

  /**
   * Consecutive passes grouped into model runs: passes whose inputs have one size (the tiles of
   * a pass) share a run, up to {@code maxBatch} of them and {@link #MAX_BATCH_FLOATS} input
   * floats; order is kept.
   */
  static List<List<Pass>> batches(List<Pass> passes, int maxBatch) {
    List<List<Pass>> out = new ArrayList<>();
    List<Pass> current = new ArrayList<>();
    for (Pass pass : passes) {
      YuNetTranslator.Placement p = pass.placement();
      boolean fits = !current.isEmpty() && current.size() < maxBatch
          && sameInput(current.get(0).placement(), p)
          && (long) (current.size() + 1) * p.floats() <= MAX_BATCH_FLOATS;
      if (!current.isEmpty() && !fits) {
        out.add(current);
        current = new ArrayList<>();
      }
      current.add(pass);
    }
    if (!current.isEmpty()) {
      out.add(current);
    }
    return out;
  }

  private static boolean sameInput(YuNetTranslator.Placement a, YuNetTranslator.Placement b) {
    return a.inputWidth() == b.inputWidth() && a.inputHeight() == b.inputHeight();
  }

  /** One model run: a region of the frame and the scale it is searched at. */
  record Pass(Rect region, double scale) {

    /** Where this pass's region goes in the model input. */
    YuNetTranslator.Placement placement() {
      return YuNetTranslator.Placement.of(region.x, region.y, region.width, region.height, scale);
    }

    /**
     * Whether a detection of this pass is worth merging. A box touching a seam inside the frame
     * is a face cut by the tile; the overlap holds it whole in the neighbouring tile (or, when
     * larger, the whole-frame pass), and merging the cut half would shrink the merged box. An
     * enlarged pass exists for faces too small for the frame's own resolution: what it finds at
     * {@value #ENLARGED_MAX_FACE_PX} px or more the native pass finds whole and more reliably.
     */
    boolean keeps(Detection d, int frameWidth, int frameHeight) {
      Box b = d.box();
      if (scale > 1 && Math.max(b.w(), b.h()) >= ENLARGED_MAX_FACE_PX) {
        return false;
      }
      double edge = SEAM_PX / scale;
      boolean cutLeft = region.x > 0 && b.x() < region.x + edge;
      boolean cutTop = region.y > 0 && b.y() < region.y + edge;
      boolean cutRight = region.x + region.width < frameWidth && b.right() > region.x + region.width - edge;
      boolean cutBottom = region.y + region.height < frameHeight && b.bottom() > region.y + region.height - edge;
      return !(cutLeft || cutTop || cutRight || cutBottom);
    }
  }

  /** Every model run for a {@code width x height} frame, in frame pixels. */
  static List<Pass> passes(int width, int height, Params params) {
    List<Pass> passes = new ArrayList<>(tiled(width, height, 1.0, params.maxPassPx()));
    int longSide = Math.max(width, height);
    if (longSide > params.maxPassPx()) {
      passes.add(new Pass(new Rect(0, 0, width, height), params.maxPassPx() / (double) longSide));
    }
    if (params.upscale() > 1) {
      passes.addAll(tiled(width, height, params.upscale(), params.maxPassPx()));
    }
    return passes;
  }

  /** The frame at {@code scale}, cut into tiles whose scaled side is at most {@code maxPx}. */
  static List<Pass> tiled(int width, int height, double scale, int maxPx) {
    // Tile side in frame pixels; a multiple of 32 after scaling wastes no padding.
    int side = (int) Math.floor(maxPx / scale);
    List<Pass> out = new ArrayList<>();
    for (int y : starts(height, side)) {
      for (int x : starts(width, side)) {
        out.add(new Pass(new Rect(x, y, Math.min(side, width - x), Math.min(side, height - y)), scale));
      }
    }
    return out;
  }

  /** Start offsets of tiles of {@code side} covering {@code length}, overlapping by at least {@link #TILE_OVERLAP}. */
  static int[] starts(int length, int side) {
    if (length <= side) {
      return new int[] {0};
    }
    double step = side * (1 - TILE_OVERLAP);
    int n = (int) Math.ceil((length - side) / step) + 1;
    int[] s = new int[n];
    for (int i = 0; i < n; i++) {
      s[i] = (int) Math.round((length - side) * i / (double) (n - 1));
    }
    return s;
  }

  /** The second look for candidates under the verify threshold. */
  private List<Detection> verify(Mat bgr, List<Detection> candidates) throws DetectorException {
    List<Detection> kept = new ArrayList<>();
    List<Detection> doubtful = new ArrayList<>();
    List<Rect> crops = new ArrayList<>();
    List<Double> scales = new ArrayList<>();
    for (Detection d : candidates) {
      if (d.score() >= params.verifyThreshold()) {
        kept.add(d);
        continue;
      }
      Rect r = FaceDetector.contextRect(d.box(), params.verifyContext(), bgr.cols(), bgr.rows());
      if (r == null) {
        continue;
      }
      double longer = Math.max(d.box().w(), d.box().h());
      doubtful.add(d);
      crops.add(r);
      scales.add(Math.max(1, Math.min(CLOSE_UP_MAX_SCALE, CLOSE_UP_FACE_PX / longer)));
    }
    for (int from = 0; from < doubtful.size(); from += CloseUpMosaic.MAX_CELLS) {
      int to = Math.min(doubtful.size(), from + CloseUpMosaic.MAX_CELLS);
      kept.addAll(confirm(bgr, doubtful.subList(from, to), crops.subList(from, to), scales.subList(from, to)));
    }
    return Nms.weighted(kept, NMS_IOU);
  }

  /** One mosaic of close-ups: each candidate's best confirming look, if it has one. */
  private List<Detection> confirm(Mat bgr, List<Detection> doubtful, List<Rect> crops, List<Double> scales)
      throws DetectorException {
    Detection[] best = new Detection[doubtful.size()];
    try (CloseUpMosaic mosaic = CloseUpMosaic.of(bgr, crops, scales)) {
      Mat image = mosaic.image();
      YuNetTranslator.Placement p = YuNetTranslator.Placement.of(0, 0, image.cols(), image.rows(), 1.0);
      for (Detection v : run(List.of(image), List.of(p), params.verifyThreshold()).get(0)) {
        int i = mosaic.cellOf(v);
        if (i < 0) {
          continue;
        }
        Detection look = mosaic.toFrame(v, i);
        if (look.box().iou(doubtful.get(i).box()) > NMS_IOU && (best[i] == null || look.score() > best[i].score())) {
          best[i] = look;
        }
      }
    }
    List<Detection> out = new ArrayList<>();
    for (Detection b : best) {
      if (b != null) {
        out.add(b);
      }
    }
    return out;
  }

  /**
   * One model run over {@code regions} (each a frame or a window of it, all with one input size),
   * each placed as its placement says: one list of detections per region, in order.
   *
   * <p>The input lives in a reused buffer: a fresh direct buffer per run (up to 44 MB for a
   * 1920 px tile) made the JVM stall in direct-memory reclamation (a 1080p frame enlarged 2x took
   * seconds instead of the models' half second). The outputs are pinned to reused buffers too,
   * and decoded in place, one image's slice of the batch at a time.
   */
  private List<List<Detection>> run(List<Mat> regions, List<YuNetTranslator.Placement> placements,
      double minScore) throws DetectorException {
    int n = regions.size();
    YuNetTranslator.Placement first = placements.get(0);
    int floats = first.floats();
    // The input buffer was reused before this change too: that path keeps it (bench "before").
    TensorBuffers inputBuffers = buffers.reuses() ? buffers : OLD_PATH_INPUT;
    try (TensorBuffers.Scope inputs = inputBuffers.open(); TensorBuffers.Scope outputs = buffers.open()) {
      FloatBuffer input = inputs.direct(INPUT, n * floats);
      preprocessAll(regions, placements, input, inputs.floats(PLANE, floats / 3));
      long[] shape = first.shape();
      shape[0] = n;
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      try (OnnxTensor tensor = OnnxTensor.createTensor(env, input, shape);
           PinnedOutputs pinned = buffers.reuses() ? pinOutputs(first, n, outputs) : PinnedOutputs.none()) {
        long t0 = System.nanoTime();
        try (OrtSession.Result result = model.run(Map.of("input", tensor), pinned)) {
          timer.accept(model.info().id(), System.nanoTime() - t0);
          return decodeAll(outputs(result, pinned, n, first), placements, minScore);
        }
      }
    } catch (OrtException e) {
      throw new DetectorException(DropReason.DETECTOR_ERROR, "YuNet failed: " + e.getMessage(), e);
    }
  }

  /**
   * The search runs of several calls in one model run ({@link RunBatcher}): this call's images
   * are written straight into its slice of the shared input, and decoded from its slice of the
   * shared outputs. Only the search passes come here: a frame's close-up mosaic has a size of its
   * own, which another camera's would seldom match, so it runs alone without waiting.
   */
  private List<List<Detection>> runShared(List<Mat> regions, List<YuNetTranslator.Placement> placements,
      double minScore) throws DetectorException {
    YuNetTranslator.Placement first = placements.get(0);
    try (RunBatcher.Seat seat = shared.join(layout(first), regions.size());
         TensorBuffers.Scope scratch = buffers.open()) {
      preprocessAll(regions, placements, seat.input(), scratch.floats(PLANE, first.floats() / 3));
      return decodeAll(seat.await(), placements, minScore);
    }
  }

  /** Each region into its image of the batch's input (all of one size), through {@code plane} scratch. */
  private static void preprocessAll(List<Mat> regions, List<YuNetTranslator.Placement> placements, FloatBuffer input,
      float[] plane) {
    int floats = placements.get(0).floats();
    for (int i = 0; i < regions.size(); i++) {
      YuNetTranslator.preprocess(regions.get(i), placements.get(i), slice(input, i, floats), plane);
    }
  }

  /** What one image of a run at {@code p}'s input size looks like to the batcher. */
  static RunBatcher.Layout layout(YuNetTranslator.Placement p) {
    long[] shape = p.shape();
    Map<String, List<Long>> outputs = new java.util.LinkedHashMap<>();
    for (int s : YuNetTranslator.STRIDES) {
      long cells = p.cells(s);
      VALUES_PER_CELL.forEach((kind, values) -> outputs.put(kind + s, List.of(cells, (long) values)));
    }
    return new RunBatcher.Layout("input", List.of(shape[1], shape[2], shape[3]), outputs);
  }

  /** Every output of a run by name, from the start: pinned, or copied out of the result. */
  private static Map<String, FloatBuffer> outputs(OrtSession.Result result, PinnedOutputs pinned, int n,
      YuNetTranslator.Placement first) throws DetectorException, OrtException {
    Map<String, FloatBuffer> all = new java.util.HashMap<>();
    for (String name : OUTPUTS.keySet()) {
      all.put(name, pinned.isEmpty() ? FloatBuffer.wrap(output(result, name, n, first)) : pinned.buffer(name));
    }
    return all;
  }

  /** Each image's detections, from its slice of the batch's outputs. */
  private static List<List<Detection>> decodeAll(Map<String, FloatBuffer> all,
      List<YuNetTranslator.Placement> placements, double minScore) throws DetectorException {
    int n = placements.size();
    YuNetTranslator.Placement first = placements.get(0);
    List<List<Detection>> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      List<YuNetTranslator.StrideOutput> outs = new ArrayList<>();
      for (int s : YuNetTranslator.STRIDES) {
        int cells = first.cells(s);
        outs.add(new YuNetTranslator.StrideOutput(s, imageOf(all, "cls_", s, i, cells),
            imageOf(all, "obj_", s, i, cells), imageOf(all, "bbox_", s, i, cells),
            imageOf(all, "kps_", s, i, cells)));
      }
      out.add(YuNetTranslator.decode(outs, placements.get(i), minScore));
    }
    return out;
  }

  /** Every output pinned to buffers of {@code scope}, shaped [n, cells, values per cell]. */
  private static PinnedOutputs pinOutputs(YuNetTranslator.Placement p, int n, TensorBuffers.Scope scope)
      throws OrtException {
    PinnedOutputs pinned = PinnedOutputs.none();
    try {
      for (int s : YuNetTranslator.STRIDES) {
        int cells = p.cells(s);
        for (Map.Entry<String, Integer> kind : VALUES_PER_CELL.entrySet()) {
          pin(pinned, scope, kind.getKey() + s, n, cells, kind.getValue());
        }
      }
      return pinned;
    } catch (OrtException | RuntimeException e) {
      pinned.close();
      throw e;
    }
  }

  private static void pin(PinnedOutputs pinned, TensorBuffers.Scope scope, String name, int n, int cells, int width)
      throws OrtException {
    pinned.pin(name, scope.direct(OUTPUTS.get(name), n * cells * width), new long[] {n, cells, width});
  }

  /** Image {@code i}'s {@code length} values of a batched output, as a view from 0. */
  /** Image {@code i}'s part of output {@code kind} at {@code stride}, {@code cells} cells long. */
  private static FloatBuffer imageOf(Map<String, FloatBuffer> all, String kind, int stride, int i, int cells) {
    return slice(all.get(kind + stride), i, cells * VALUES_PER_CELL.get(kind));
  }

  private static FloatBuffer slice(FloatBuffer all, int i, int length) {
    return all.duplicate().position(i * length).limit((i + 1) * length).slice();
  }

  /** An unpinned output's floats, which must be shaped [n, cells, values per cell]. */
  private static float[] output(OrtSession.Result result, String name, int n, YuNetTranslator.Placement p)
      throws DetectorException, OrtException {
    int split = name.indexOf('_') + 1;
    int width = VALUES_PER_CELL.get(name.substring(0, split));
    float[] a = OrtOutputs.rows(result, name, n, width, "YuNet");
    int cells = p.cells(Integer.parseInt(name.substring(split)));
    if (a.length != n * cells * width) {
      throw new DetectorException(DropReason.DETECTOR_BAD_OUTPUT, "YuNet output " + name + " holds " + a.length
          + " values, not " + n + " x " + cells + " x " + width);
    }
    return a;
  }
}
