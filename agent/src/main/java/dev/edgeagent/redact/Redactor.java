package dev.edgeagent.redact;

import dev.edgeagent.capture.RawFrame;
import dev.edgeagent.detect.Box;
import dev.edgeagent.detect.Detection;
import dev.edgeagent.detect.ModelInfo;
import java.util.ArrayList;
import java.util.List;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;
import org.opencv.photo.Photo;

/**
 * The only place a {@link RawFrame} becomes publishable. Takes over the raw pixels, removes
 * every region (grown by {@code margin} of its size on each side, clipped to the frame) and
 * returns an {@link AnonymizedFrame}. Stateless and thread-safe.
 */
public final class Redactor {
  /** Inpainting works on a copy of the region scaled so its longer side is at most this. */
  private static final int INPAINT_WORK_SIDE = 48;

  private final RedactionMode mode;
  private final double margin;

  public Redactor(RedactionMode mode, double margin) {
    this.mode = mode;
    this.margin = margin;
  }

  public RedactionMode mode() {
    return mode;
  }

  /** How much every box grows on each side, as a fraction of its size. */
  public double margin() {
    return margin;
  }

  /**
   * Every pixel set to black: what a batch writes for a frame its detectors could not search
   * ({@code --on-failure black}), so a video keeps its frame count and timing and shows nothing.
   */
  public AnonymizedFrame blackOut(RawFrame raw, List<ModelInfo> models, double threshold) {
    Mat img = raw.surrenderPixels();
    img.setTo(new org.opencv.core.Scalar(0, 0, 0));
    return new AnonymizedFrame(raw.meta(), img, List.of(), models, threshold);
  }

  public AnonymizedFrame redact(RawFrame raw, List<Detection> detections, List<ModelInfo> models,
      double threshold) {
    return redact(raw, detections, List.of(), models, threshold);
  }

  /**
   * Removes every detection and records the {@code kept} regions (found, but left unredacted by
   * an explicit keep list) on the frame, so its record says what was not removed and why.
   */
  public AnonymizedFrame redact(RawFrame raw, List<Detection> detections, List<KeptRegion> kept,
      List<ModelInfo> models, double threshold) {
    Mat img = raw.surrenderPixels();
    try {
      List<Redaction> done = new ArrayList<>();
      for (Detection d : detections) {
        Rect rect = redactedRect(d.box(), img.cols(), img.rows());
        if (rect.width <= 0 || rect.height <= 0) {
          continue;
        }
        Redaction r = new Redaction(d.cls(), d.box(), new Box(rect.x, rect.y, rect.width, rect.height),
            d.score(), mode, margin);
        if (mode == RedactionMode.BOXES) {
          BoxDrawing.draw(img, r);
        } else {
          apply(img, rect);
        }
        done.add(r);
      }
      return new AnonymizedFrame(raw.meta(), img, done, kept, models, threshold, mode != RedactionMode.BOXES);
    } catch (RuntimeException e) {
      img.release();
      throw e;
    }
  }

  /**
   * The box {@link #redact} removes for a detected box in a {@code width} x {@code height} frame:
   * grown by the margin, clipped to the frame, in whole pixels; empty when nothing of it is inside.
   */
  public Box redactedBox(Box detected, int width, int height) {
    Rect r = redactedRect(detected, width, height);
    return r.width <= 0 || r.height <= 0 ? new Box(0, 0, 0, 0) : new Box(r.x, r.y, r.width, r.height);
  }

  private Rect redactedRect(Box detected, int width, int height) {
    return toRect(detected.expand(margin).clamp(width, height), width, height);
  }

  /** Whole pixels covering the box: floor of the start, ceiling of the end, so nothing is left over. */
  static Rect toRect(Box b, int width, int height) {
    int x0 = (int) Math.floor(b.x());
    int y0 = (int) Math.floor(b.y());
    int x1 = Math.min(width, (int) Math.ceil(b.right()));
    int y1 = Math.min(height, (int) Math.ceil(b.bottom()));
    return new Rect(Math.max(0, x0), Math.max(0, y0), x1 - Math.max(0, x0), y1 - Math.max(0, y0));
  }

  private void apply(Mat img, Rect r) {
    Mat roi = img.submat(r);
    try {
      switch (mode) {
        case SOLID -> roi.setTo(new Scalar(0, 0, 0));
        case PIXELATE -> pixelate(roi);
        case BLUR -> blur(roi);
        case INPAINT -> inpaint(img, r);
        default -> throw new IllegalStateException("unknown mode " + mode);
      }
    } finally {
      roi.release();
    }
  }

  private static void pixelate(Mat roi) {
    int blocks = 8;
    int w = Math.max(1, Math.min(blocks, roi.cols()));
    int h = Math.max(1, (int) Math.round(w * (double) roi.rows() / roi.cols()));
    Mat small = new Mat();
    Mat big = new Mat();
    Imgproc.resize(roi, small, new Size(w, Math.max(1, h)), 0, 0, Imgproc.INTER_AREA);
    Imgproc.resize(small, big, roi.size(), 0, 0, Imgproc.INTER_NEAREST);
    big.copyTo(roi);
    small.release();
    big.release();
  }

  private static void blur(Mat roi) {
    // Downscale hard first, so no detail survives the blur, then smooth the blocks away.
    pixelate(roi);
    int k = (Math.max(roi.cols(), roi.rows()) / 4) | 1;
    Imgproc.GaussianBlur(roi, roi, new Size(k, k), 0);
  }

  /**
   * Telea inpainting on a shrunken copy of the region and a border around it, then scaled back.
   * The mask is dilated in the small copy so border pixels that averaged in some of the
   * region during shrinking are rebuilt too; only the region itself is written back.
   */
  private static void inpaint(Mat img, Rect r) {
    int border = Math.max(4, Math.max(r.width, r.height) / 4);
    Rect ctx = new Rect(Math.max(0, r.x - border), Math.max(0, r.y - border), 0, 0);
    ctx.width = Math.min(img.cols(), r.x + r.width + border) - ctx.x;
    ctx.height = Math.min(img.rows(), r.y + r.height + border) - ctx.y;
    double scale = Math.min(1.0, INPAINT_WORK_SIDE / (double) Math.max(r.width, r.height));
    Mat context = img.submat(ctx);
    Mat small = new Mat();
    Mat mask = Mat.zeros(Math.max(1, (int) Math.round(ctx.height * scale)),
        Math.max(1, (int) Math.round(ctx.width * scale)), CvType.CV_8UC1);
    Mat filled = new Mat();
    Mat back = new Mat();
    try {
      Imgproc.resize(context, small, mask.size(), 0, 0, Imgproc.INTER_AREA);
      int mx = (int) Math.floor((r.x - ctx.x) * scale) - 1;
      int my = (int) Math.floor((r.y - ctx.y) * scale) - 1;
      int mw = (int) Math.ceil(r.width * scale) + 3;
      int mh = (int) Math.ceil(r.height * scale) + 3;
      Imgproc.rectangle(mask, new org.opencv.core.Point(mx, my),
          new org.opencv.core.Point(mx + mw, my + mh), new Scalar(255), -1);
      // Scrub the masked pixels first: inpainting ignores them, and this makes sure of it.
      small.setTo(new Scalar(0, 0, 0), mask);
      Photo.inpaint(small, mask, filled, 3, Photo.INPAINT_TELEA);
      // Telea leaves a cross of sharp seams on rectangles, which face detectors can mistake for
      // features; only the region is copied back, so smoothing the whole patch is harmless.
      Imgproc.GaussianBlur(filled, filled, new Size(7, 7), 0);
      Imgproc.resize(filled, back, context.size(), 0, 0, Imgproc.INTER_LINEAR);
      Mat src = back.submat(new Rect(r.x - ctx.x, r.y - ctx.y, r.width, r.height));
      Mat dst = img.submat(r);
      src.copyTo(dst);
      src.release();
      dst.release();
    } finally {
      context.release();
      small.release();
      mask.release();
      filled.release();
      back.release();
    }
  }

  static {
    dev.edgeagent.capture.OpenCv.ensureLoaded();
  }
}
