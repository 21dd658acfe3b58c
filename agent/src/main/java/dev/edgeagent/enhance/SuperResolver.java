package dev.edgeagent.enhance;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.edgeagent.detect.ModelLoadException;
import dev.edgeagent.detect.OnnxModel;
import dev.edgeagent.detect.PinnedOutputs;
import dev.edgeagent.detect.TensorBuffers;
import java.nio.FloatBuffer;
import java.util.Map;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/**
 * x2 super-resolution with one shared ONNX session. Large frames are cut into overlapping tiles
 * so memory stays bounded by the tile size, and the tiles are blended linearly across their
 * overlap (see {@link TileGrid}) so no seam shows. Only a band of one tile row is kept in float
 * accumulators; finished output rows go straight to the result. Thread-safe: the session is,
 * and everything else is per call, held in a {@link TensorBuffers} scope: a tile's input and
 * output buffers, the band accumulators and the frame's pixel arrays are reused from frame to
 * frame, and the output is pinned, so a frame allocates no large array after the first.
 */
public final class SuperResolver implements Upscaler {
  private static final TensorBuffers.Slot TILE_IN = TensorBuffers.slot("SR tile input");
  private static final TensorBuffers.Slot TILE_OUT = TensorBuffers.slot("SR tile output");
  private static final TensorBuffers.Slot TILE_SR = TensorBuffers.slot("SR tile values");
  private static final TensorBuffers.Slot BAND = TensorBuffers.slot("SR band accumulator");
  private static final TensorBuffers.Slot BAND_WEIGHTS = TensorBuffers.slot("SR band weights");
  private static final TensorBuffers.Slot FRAME_IN = TensorBuffers.slot("SR frame pixels");
  private static final TensorBuffers.Slot FRAME_OUT = TensorBuffers.slot("SR upscaled pixels");
  /** The model's output planes are R, G, B; frames are BGR. */
  private static final int[] BGR_FROM_RGB_PLANES = {2, 1, 0};

  private final OnnxModel model;
  private final TensorBuffers buffers;
  private final int scale;
  private final int tilePx;
  private final int overlapPx;

  /**
   * @param model a loaded SR model (not owned: the caller closes it)
   * @param tilePx tile side in input pixels
   * @param overlapPx minimum overlap of neighbouring tiles in input pixels (< tilePx / 2)
   */
  public SuperResolver(OnnxModel model, int scale, int tilePx, int overlapPx)
      throws ModelLoadException {
    this(model, scale, tilePx, overlapPx, TensorBuffers.reused());
  }

  /** @param buffers where the tiles', band's and frame's arrays come from */
  public SuperResolver(OnnxModel model, int scale, int tilePx, int overlapPx, TensorBuffers buffers)
      throws ModelLoadException {
    this.buffers = buffers;
    if (!model.session().getInputNames().contains(SrTranslator.INPUT)
        || !model.session().getOutputNames().contains(SrTranslator.OUTPUT)) {
      throw new ModelLoadException("model " + model.info().id() + " has inputs "
          + model.session().getInputNames() + " and outputs " + model.session().getOutputNames()
          + "; an SR model needs input '" + SrTranslator.INPUT + "' and output '"
          + SrTranslator.OUTPUT + "'");
    }
    if (2 * overlapPx >= tilePx) {
      throw new IllegalArgumentException("tile overlap " + overlapPx + " must be under half the tile "
          + tilePx);
    }
    this.model = model;
    this.scale = scale;
    this.tilePx = tilePx;
    this.overlapPx = overlapPx;
  }

  @Override
  public Mat upscale(Mat bgr) throws EnhanceException {
    if (bgr.type() != CvType.CV_8UC3 || bgr.empty()) {
      throw new IllegalArgumentException("expected a non-empty BGR 8-bit image, got " + bgr);
    }
    Mat src = bgr.isContinuous() ? bgr : bgr.clone();
    int w = src.cols();
    int h = src.rows();
    try (TensorBuffers.Scope scope = buffers.open()) {
      // Byte scratch lengths are always whole pixels (multiples of 3), as OpenCV requires.
      byte[] in = scope.bytes(FRAME_IN, w * h * 3);
      src.get(0, 0, in);
      if (src != bgr) {
        src.release();
      }
      byte[] out = run(in, w, h, scope);
      Mat result = new Mat(h * scale, w * scale, CvType.CV_8UC3);
      result.put(0, 0, out); // copies the Mat's size from the front of a possibly longer array
      return result;
    }
  }

  /** The buffers of one tile's run: taken once per frame, since every tile of a frame has one size. */
  private record TileBuffers(FloatBuffer input, FloatBuffer output, float[] values) {}

  private TileBuffers tileBuffers(TensorBuffers.Scope scope, int tw, int th) {
    int srFloats = 3 * tw * scale * th * scale;
    return new TileBuffers(scope.direct(TILE_IN, 3 * tw * th),
        buffers.reuses() ? scope.direct(TILE_OUT, srFloats) : null, scope.floats(TILE_SR, srFloats));
  }

  private byte[] run(byte[] in, int w, int h, TensorBuffers.Scope scope) throws EnhanceException {
    TileGrid gx = new TileGrid(w, tilePx, overlapPx);
    TileGrid gy = new TileGrid(h, tilePx, overlapPx);
    int ow = w * scale;
    int tw = gx.tile();
    int th = gy.tile();
    int bandRows = th * scale;
    TileBand band = new TileBand(scope.floats(BAND, bandRows * ow * 3), scope.floats(BAND_WEIGHTS, bandRows * ow),
        3, ow, bandRows);
    byte[] out = scope.bytes(FRAME_OUT, ow * h * scale * 3);
    TileBuffers shared = tileBuffers(scope, tw, th);
    for (int j = 0; j < gy.count(); j++) {
      float[] wy = gy.weights(j, scale);
      for (int i = 0; i < gx.count(); i++) {
        // The path without reused buffers allocated a tile's arrays for every tile: it still does.
        TileBuffers tb = buffers.reuses() ? shared : tileBuffers(scope, tw, th);
        SrTranslator.toTensor(in, w, gx.start(i), gy.start(j), tw, th, tb.input());
        band.add(infer(tb, tw, th), BGR_FROM_RGB_PLANES, gx.weights(i, scale), wy, gx.start(i) * scale, tw * scale);
      }
      // Rows above the next tile row's start are final: no later tile reaches them.
      int done = j + 1 < gy.count() ? (gy.start(j + 1) - gy.start(j)) * scale : bandRows;
      int o = gy.start(j) * scale * ow * 3;
      for (int p = 0; p < done * ow; p++) {
        for (int c = 0; c < 3; c++) {
          out[o++] = (byte) SrTranslator.toByte(band.mean(p, c));
        }
      }
      band.shift(done);
    }
    return out;
  }

  /** One tile through the model: its planar RGB output (the first 3 x the output size floats). */
  private float[] infer(TileBuffers tb, int tw, int th) throws EnhanceException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    int stw = tw * scale;
    int sth = th * scale;
    long[] outShape = {1, 3, sth, stw};
    try (OnnxTensor t = OnnxTensor.createTensor(env, tb.input(), new long[] {1, 3, th, tw});
         PinnedOutputs pinned = tb.output() != null
             ? PinnedOutputs.none().pin(SrTranslator.OUTPUT, tb.output(), outShape) : PinnedOutputs.none();
         OrtSession.Result r = model.run(Map.of(SrTranslator.INPUT, t), pinned)) {
      OnnxTensor o = (OnnxTensor) r.get(SrTranslator.OUTPUT).orElseThrow(() ->
          new EnhanceException("SR model gave no '" + SrTranslator.OUTPUT + "' output"));
      float[] sr = tb.values();
      SrTranslator.fromTensor(o.getInfo().getShape(),
          pinned.isEmpty() ? o.getFloatBuffer() : pinned.buffer(SrTranslator.OUTPUT), stw, sth, sr);
      return sr;
    } catch (OrtException e) {
      throw new EnhanceException("SR model " + model.info().id() + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public int scale() {
    return scale;
  }

  @Override
  public String name() {
    return model.info().id();
  }

  @Override
  public dev.edgeagent.detect.ModelInfo modelInfo() {
    return model().info();
  }

  public OnnxModel model() {
    return model;
  }
}
