package dev.edgeagent.detect;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.ObjLongConsumer;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * The second stage for plate candidates: the project's own plate-or-not crop classifier
 * (models/plates) looks at each candidate with some context around it and keeps only those it
 * scores at or above a threshold. Crop rule, shared with the training code: the box grown by
 * half its height on every side, clipped to the frame, resized to 96 x 32 (bilinear), RGB in
 * [0, 1], NCHW; output one sigmoid score per crop. It confirms the plate-map network's
 * candidates (the text detector's lines are read instead: {@link PlateReadingFilter}).
 */
public final class PlateCropVerifier {
  static final int CROP_W = 96;
  static final int CROP_H = 32;
  private static final TensorBuffers.Slot INPUT = TensorBuffers.slot("plate classifier input");
  private static final TensorBuffers.Slot PIXELS = TensorBuffers.slot("plate classifier crop pixels");

  private final OnnxModel model;
  private final double threshold;
  private final String inputName;
  private final ObjLongConsumer<String> timer;
  private final TensorBuffers buffers;

  public PlateCropVerifier(OnnxModel model, double threshold, ObjLongConsumer<String> timer) {
    this(model, threshold, timer, TensorBuffers.reused());
  }

  /** @param buffers where each batch's input buffer comes from */
  public PlateCropVerifier(OnnxModel model, double threshold, ObjLongConsumer<String> timer,
      TensorBuffers buffers) {
    this.buffers = buffers;
    this.model = model;
    this.threshold = threshold;
    this.inputName = model.session().getInputNames().iterator().next();
    this.timer = timer;
  }

  public ModelInfo model() {
    return model.info();
  }

  /** The context crop for a candidate, in whole frame pixels; null when nothing of it is inside. */
  static Rect cropRect(Box b, int width, int height) {
    double m = b.h() / 2;
    int x0 = (int) Math.max(0, Math.floor(b.x() - m));
    int y0 = (int) Math.max(0, Math.floor(b.y() - m));
    int x1 = (int) Math.min(width, Math.ceil(b.right() + m));
    int y1 = (int) Math.min(height, Math.ceil(b.bottom() + m));
    return x1 - x0 < 1 || y1 - y0 < 1 ? null : new Rect(x0, y0, x1 - x0, y1 - y0);
  }

  /** The candidates the classifier confirms, each with its score replaced by the classifier's. */
  public List<Detection> confirm(Mat bgr, List<Detection> candidates) throws DetectorException {
    List<Detection> inFrame = new ArrayList<>();
    List<Rect> rects = new ArrayList<>();
    for (Detection d : candidates) {
      Rect r = cropRect(d.box(), bgr.cols(), bgr.rows());
      if (r != null) {
        inFrame.add(d);
        rects.add(r);
      }
    }
    if (inFrame.isEmpty()) {
      return List.of();
    }
    try (TensorBuffers.Scope scope = buffers.open()) {
      int n = rects.size();
      int plane = CROP_W * CROP_H;
      // Every cell of every crop is written, so a reused buffer needs no clearing.
      FloatBuffer input = scope.direct(INPUT, n * 3 * plane);
      byte[] px = scope.bytes(PIXELS, plane * 3);
      Mat resized = new Mat();
      try {
        for (int i = 0; i < n; i++) {
          Mat crop = bgr.submat(rects.get(i));
          try {
            Imgproc.resize(crop, resized, new Size(CROP_W, CROP_H), 0, 0, Imgproc.INTER_LINEAR);
          } finally {
            crop.release();
          }
          resized.get(0, 0, px);
          RgbPlanes.write(px, CROP_W, 0, 0, CROP_W, CROP_H, input, i * 3 * plane, CROP_W, plane);
        }
      } finally {
        resized.release();
      }
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      long t0 = System.nanoTime();
      try (OnnxTensor tensor = OnnxTensor.createTensor(env, input, new long[] {n, 3, CROP_H, CROP_W});
           OrtSession.Result result = model.run(Map.of(inputName, tensor))) {
        timer.accept(model.info().id(), System.nanoTime() - t0);
        OnnxTensor out = (OnnxTensor) result.get(0);
        long[] shape = out.getInfo().getShape();
        if (shape.length != 2 || shape[0] != n || shape[1] != 1) {
          throw new DetectorException(DropReason.DETECTOR_BAD_OUTPUT, "plate classifier output shape "
              + Arrays.toString(shape) + ", expected [" + n + ",1]");
        }
        FloatBuffer fb = out.getFloatBuffer();
        List<Detection> kept = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          float s = fb.get(i);
          if (!OrtOutputs.isProbability(s)) {
            throw new DetectorException(DropReason.DETECTOR_BAD_OUTPUT, "plate classifier gave " + s
                + ", not a probability");
          }
          if (s >= threshold) {
            Detection d = inFrame.get(i);
            kept.add(new Detection(d.cls(), d.box(), s));
          }
        }
        return kept;
      } catch (OrtException e) {
        throw new DetectorException(DropReason.DETECTOR_ERROR, "plate classifier failed: " + e.getMessage(), e);
      }
    }
  }
}
