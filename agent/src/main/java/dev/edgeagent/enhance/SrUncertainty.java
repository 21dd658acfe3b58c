package dev.edgeagent.enhance;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.edgeagent.detect.ModelInfo;
import dev.edgeagent.detect.ModelLoadException;
import dev.edgeagent.detect.OnnxModel;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Where the x2 flow invented detail: the per-pixel standard deviation on Y of K samples of the
 * flow at temperature tau (the sampling graph takes the latent z as an input; z = 0 is the
 * published temperature-0 output). Tiled like {@link SuperResolver}: every tile is sampled K
 * times with its part of each sample's z (see {@link LatentNoise}), the tile's spread is computed
 * over those K outputs, spreads of neighbouring tiles are blended with the same weights the SR
 * output uses, and the finished map is averaged over {@link #SMOOTH_PX} pixels. The sampler takes
 * up to {@link #BATCH} samples per run and computes the condition network once for them, so a
 * sample costs less than an SR run. Thread-safe: the session is, and everything else is per call.
 */
public final class SrUncertainty {
  /** Standard deviation on Y (16..235 units) that maps to grey 255; see {@link UncertaintyMap}. */
  public static final double STD_FULL_SCALE_Y = 8.0;
  /**
   * Side of the box filter over the finished map, in output pixels. A single pixel's spread (and
   * its error) is noisy; the local mean ranks the true error better, for the flow and for the
   * gradient baseline alike, and 5 was the best of 1, 3, 5, 9 on the TRAIN photos
   * (models/sr/uncertainty_eval.py).
   */
  public static final int SMOOTH_PX = 5;
  static final String LATENT = "z";
  private static final int SCALE = 2;
  /** The flow's latent: the x2 residual squeezed to 3 * 2 * 2 channels at input resolution. */
  private static final int LATENT_CHANNELS = 3 * SCALE * SCALE;
  /** Samples per sampler run: bounds one run's tensors (8 x 3 x 256 x 256 floats for a 128 px tile). */
  static final int BATCH = 8;

  /** The spread is one plane. */
  private static final int[] ONE_PLANE = {0};
  private final OnnxModel sampler;
  private final int tilePx;
  private final int overlapPx;
  private final UncertaintyParams params;

  /** @param sampler the sampling graph (inputs lr and z, output sr); not owned */
  public SrUncertainty(OnnxModel sampler, int tilePx, int overlapPx, UncertaintyParams params)
      throws ModelLoadException {
    if (!sampler.session().getInputNames().containsAll(List.of(SrTranslator.INPUT, LATENT))
        || !sampler.session().getOutputNames().contains(SrTranslator.OUTPUT)) {
      throw new ModelLoadException("model " + sampler.info().id() + " has inputs "
          + sampler.session().getInputNames() + "; an SR sampler needs inputs '" + SrTranslator.INPUT
          + "' and '" + LATENT + "' and output '" + SrTranslator.OUTPUT + "'");
    }
    if (2 * overlapPx >= tilePx) {
      throw new IllegalArgumentException("tile overlap " + overlapPx + " must be under half the tile " + tilePx);
    }
    this.sampler = sampler;
    this.tilePx = tilePx;
    this.overlapPx = overlapPx;
    this.params = params;
  }

  public UncertaintyParams params() {
    return params;
  }

  public ModelInfo modelInfo() {
    return sampler.info();
  }

  /** The map for a BGR 8-bit image, at twice its size. */
  public UncertaintyMap estimate(Mat bgr) throws EnhanceException {
    if (bgr.type() != CvType.CV_8UC3 || bgr.empty()) {
      throw new IllegalArgumentException("expected a non-empty BGR 8-bit image, got " + bgr);
    }
    int w = bgr.cols();
    int h = bgr.rows();
    int ow = w * SCALE;
    int oh = h * SCALE;
    if (params.samples() == 1) {
      return new UncertaintyMap(ow, oh, new byte[ow * oh], 0, 0); // one sample has no spread
    }
    Mat src = bgr.isContinuous() ? bgr : bgr.clone();
    byte[] in = new byte[w * h * 3];
    src.get(0, 0, in);
    if (src != bgr) {
      src.release();
    }
    return blend(in, w, h);
  }

  /** Tiles row by row, blended like the SR output ({@link TileBand}). */
  private UncertaintyMap blend(byte[] in, int w, int h) throws EnhanceException {
    TileGrid gx = new TileGrid(w, tilePx, overlapPx);
    TileGrid gy = new TileGrid(h, tilePx, overlapPx);
    int ow = w * SCALE;
    int bandRows = gy.tile() * SCALE;
    TileBand band = new TileBand(new float[bandRows * ow], new float[bandRows * ow], 1, ow, bandRows);
    byte[] grey = new byte[ow * h * SCALE];
    double sum = 0;
    double max = 0; // of the std, Y units
    for (int j = 0; j < gy.count(); j++) {
      float[] wy = gy.weights(j, SCALE);
      for (int i = 0; i < gx.count(); i++) {
        float[] std = tileSpread(in, w, gx.start(i), gy.start(j), gx.tile(), gy.tile());
        band.add(std, ONE_PLANE, gx.weights(i, SCALE), wy, gx.start(i) * SCALE, gx.tile() * SCALE);
      }
      int done = j + 1 < gy.count() ? (gy.start(j + 1) - gy.start(j)) * SCALE : bandRows;
      int offset = gy.start(j) * SCALE * ow;
      for (int p = 0; p < done * ow; p++) {
        double std = band.mean(p, 0);
        sum += std;
        max = Math.max(max, std);
        grey[offset + p] = (byte) Math.min(255, Math.round(std / STD_FULL_SCALE_Y * 255));
      }
      band.shift(done);
    }
    smooth(grey, ow, h * SCALE);
    return new UncertaintyMap(ow, h * SCALE, grey, sum / grey.length, max);
  }

  /** {@link #SMOOTH_PX} box mean in place, borders replicated (as the Python evaluation). */
  private static void smooth(byte[] grey, int w, int h) {
    Mat m = new Mat(h, w, CvType.CV_8UC1);
    try {
      m.put(0, 0, grey);
      Imgproc.blur(m, m, new Size(SMOOTH_PX, SMOOTH_PX), new Point(-1, -1), Core.BORDER_REPLICATE);
      m.get(0, 0, grey);
    } finally {
      m.release();
    }
  }

  /**
   * Population standard deviation on Y over the K samples of one tile, in two passes over the
   * stored samples (identical samples give exactly 0, which a sum-of-squares formula may not).
   */
  private float[] tileSpread(byte[] in, int w, int x0, int y0, int tw, int th) throws EnhanceException {
    float[] lr = SrTranslator.toTensor(in, w, x0, y0, tw, th);
    int k = params.samples();
    int n = tw * SCALE * th * SCALE;
    int zn = LATENT_CHANNELS * tw * th;
    float[][] ys = new float[k][];
    for (int s0 = 0; s0 < k; s0 += BATCH) {
      int kb = Math.min(BATCH, k - s0);
      float[] z = new float[kb * zn];
      for (int b = 0; b < kb; b++) {
        float[] zs = LatentNoise.tile(params.seed(), s0 + b, LATENT_CHANNELS, x0, y0, tw, th,
            (float) params.temperature());
        System.arraycopy(zs, 0, z, b * zn, zn);
      }
      float[] out = infer(lr, z, kb, tw, th);
      for (int b = 0; b < kb; b++) {
        ys[s0 + b] = lumaOf(out, b * 3 * n, n);
      }
    }
    float[] std = new float[n];
    for (int p = 0; p < n; p++) {
      double mean = 0;
      for (int s = 0; s < k; s++) {
        mean += ys[s][p];
      }
      mean /= k;
      double var = 0;
      for (int s = 0; s < k; s++) {
        double d = ys[s][p] - mean;
        var += d * d;
      }
      std[p] = (float) Math.sqrt(var / k);
    }
    return std;
  }

  /** BT.601 Y (16..235 units) of the planar RGB [0,1] sample at {@code offset}, as the training side scores. */
  private static float[] lumaOf(float[] rgb, int offset, int n) {
    float[] y = new float[n];
    for (int p = 0; p < n; p++) {
      y[p] = 16f + 65.481f * rgb[offset + p] + 128.553f * rgb[offset + n + p] + 24.966f * rgb[offset + 2 * n + p];
    }
    return y;
  }

  /** {@code kb} samples of one tile, [kb, 3, 2th, 2tw], checked for shape and finite values. */
  private float[] infer(float[] lr, float[] z, int kb, int tw, int th) throws EnhanceException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OnnxTensor tl = OnnxTensor.createTensor(env, FloatBuffer.wrap(lr), new long[] {1, 3, th, tw});
         OnnxTensor tz = OnnxTensor.createTensor(env, FloatBuffer.wrap(z),
             new long[] {kb, LATENT_CHANNELS, th, tw});
         OrtSession.Result r = sampler.run(Map.of(SrTranslator.INPUT, tl, LATENT, tz))) {
      OnnxTensor o = (OnnxTensor) r.get(SrTranslator.OUTPUT).orElseThrow(() ->
          new EnhanceException("SR sampler gave no '" + SrTranslator.OUTPUT + "' output"));
      long[] want = {kb, 3, th * SCALE, tw * SCALE};
      if (!Arrays.equals(o.getInfo().getShape(), want)) {
        throw new EnhanceException("SR sampler returned shape " + Arrays.toString(o.getInfo().getShape())
            + ", expected " + Arrays.toString(want));
      }
      float[] out = new float[kb * 3 * th * SCALE * tw * SCALE];
      o.getFloatBuffer().get(out);
      for (float v : out) {
        if (!Float.isFinite(v)) {
          throw new EnhanceException("SR sampler returned " + v + " (NaN or infinite)");
        }
      }
      return out;
    } catch (OrtException e) {
      throw new EnhanceException("SR sampler " + sampler.info().id() + " failed: " + e.getMessage(), e);
    }
  }
}
