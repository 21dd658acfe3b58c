package dev.edgeagent.detect;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.ObjLongConsumer;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Reads text lines with the PP-OCRv4 recogniser (the text detector's companion, same package
 * and licence). Contract: input {@code x} [N, 3, 48, W] float32, BGR planes as
 * {@code (v / 255 - 0.5) / 0.5}, W dynamic; output [N, T, C] per-step class probabilities,
 * class 0 the CTC blank, class i the i-th character of the pinned character list, the last class
 * a space. Lines are cut from the frame a little larger than the detector's box (the detector's
 * box hugs the glyphs), scaled to 48 px tall keeping their aspect, and padded with zeros (mid
 * grey after normalisation) to the widest line of the batch, as PaddleOCR does.
 */
public final class TextRecognizer {
  static final int HEIGHT = 48;
  static final int MAX_WIDTH = 640;
  /** Fraction of the line's height added on every side before cutting it out. */
  static final double PAD = 0.15;
  private static final TensorBuffers.Slot INPUT = TensorBuffers.slot("text recogniser input");
  private static final TensorBuffers.Slot OUTPUT = TensorBuffers.slot("text recogniser output");
  private static final TensorBuffers.Slot PIXELS = TensorBuffers.slot("text recogniser line pixels");

  /** What was read: the greedy CTC string and the mean probability of its characters. */
  public record Reading(String text, double confidence) {}

  private final OnnxModel model;
  private final List<String> characters;
  private final String inputName;
  private final ObjLongConsumer<String> timer;
  private final TensorBuffers buffers;
  private final String outputName;
  /**
   * Output steps per input width, learned from this model's first unpinned run at that width:
   * the output shape is only known once the model has answered, and pinning a wrong one would
   * fail the run.
   */
  private final java.util.concurrent.ConcurrentHashMap<Integer, Long> stepsByWidth =
      new java.util.concurrent.ConcurrentHashMap<>();

  public TextRecognizer(OnnxModel model, List<String> characters, ObjLongConsumer<String> timer) {
    this(model, characters, timer, TensorBuffers.reused());
  }

  /** @param buffers where each batch's input and output buffers come from */
  public TextRecognizer(OnnxModel model, List<String> characters, ObjLongConsumer<String> timer,
      TensorBuffers buffers) {
    this.buffers = buffers;
    this.outputName = model.session().getOutputNames().iterator().next();
    this.model = model;
    this.characters = List.copyOf(characters);
    this.inputName = model.session().getInputNames().iterator().next();
    this.timer = timer;
  }

  public ModelInfo model() {
    return model.info();
  }

  /**
   * The recogniser's character list from the models folder, checked against its pin.
   *
   * @throws ModelLoadException when the file is missing or is not the pinned one
   */
  public static List<String> loadCharacters(ModelManifest manifest, Path dir, String name)
      throws ModelLoadException {
    ModelManifest.Entry entry = manifest.get(name).orElseThrow(() ->
        new ModelLoadException("'" + name + "' is not in models/manifest.tsv"));
    Path file = dir.resolve(name + ".txt");
    try {
      byte[] bytes = Files.readAllBytes(file);
      String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
      if (!sha.equals(entry.sha256())) {
        throw new ModelLoadException(file + " has sha256 " + sha + ", the manifest pins "
            + entry.sha256() + "; re-run models/fetch-models.sh");
      }
      return new String(bytes, StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      throw new ModelLoadException("character list " + file + " is missing or unreadable ("
          + e.getMessage() + "); run models/fetch-models.sh", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The window cut out for a line: its box grown by {@link #PAD} of its height, clipped. */
  static Rect lineRect(Box line, int width, int height) {
    double m = line.h() * PAD;
    int x0 = (int) Math.max(0, Math.floor(line.x() - m));
    int y0 = (int) Math.max(0, Math.floor(line.y() - m));
    int x1 = (int) Math.min(width, Math.ceil(line.right() + m));
    int y1 = (int) Math.min(height, Math.ceil(line.bottom() + m));
    return x1 - x0 < 2 || y1 - y0 < 2 ? null : new Rect(x0, y0, x1 - x0, y1 - y0);
  }

  /** Input width for a window: aspect kept at 48 px tall, a multiple of 8, at most MAX_WIDTH. */
  static int inputWidth(Rect r) {
    int w = (int) Math.round(r.width * (double) HEIGHT / r.height);
    return Math.min(MAX_WIDTH, Math.max(16, (w + 7) / 8 * 8));
  }

  /**
   * Reads every line (frame pixels) in one batch; a line with nothing inside the frame reads
   * as empty with confidence 0.
   */
  public List<Reading> read(Mat bgr, List<Box> lines) throws DetectorException {
    List<Rect> rects = new ArrayList<>();
    int widest = 16;
    for (Box b : lines) {
      Rect r = lineRect(b, bgr.cols(), bgr.rows());
      rects.add(r);
      if (r != null) {
        widest = Math.max(widest, inputWidth(r));
      }
    }
    int n = (int) rects.stream().filter(r -> r != null).count();
    if (n == 0) {
      return lines.stream().map(b -> new Reading("", 0)).toList();
    }
    int plane = HEIGHT * widest;
    List<Reading> batch;
    try (TensorBuffers.Scope scope = buffers.open()) {
      FloatBuffer input = scope.direct(INPUT, n * 3 * plane);
      byte[] px = scope.bytes(PIXELS, MAX_WIDTH * HEIGHT * 3);
      Mat resized = new Mat();
      try {
        int k = 0;
        for (Rect r : rects) {
          if (r != null) {
            writeLine(bgr, r, resized, input, k++ * 3 * plane, widest, px);
          }
        }
      } finally {
        resized.release();
      }
      batch = run(input, n, widest, scope);
    }
    List<Reading> out = new ArrayList<>(lines.size());
    int k = 0;
    for (Rect r : rects) {
      out.add(r == null ? new Reading("", 0) : batch.get(k++));
    }
    return out;
  }

  /**
   * One line into its three planes at {@code offset}, the columns right of it zero (mid grey):
   * a reused buffer holds the last batch there.
   *
   * @param px scratch for the resized line's pixels, at least {@code w * HEIGHT * 3} bytes
   */
  private static void writeLine(Mat bgr, Rect r, Mat resized, FloatBuffer dst, int offset, int rowFloats,
      byte[] px) {
    int w = inputWidth(r);
    Mat crop = bgr.submat(r);
    try {
      Imgproc.resize(crop, resized, new Size(w, HEIGHT), 0, 0, Imgproc.INTER_LINEAR);
    } finally {
      crop.release();
    }
    resized.get(0, 0, px);
    int plane = HEIGHT * rowFloats;
    RgbPlanes.clearPadding(dst, offset, rowFloats, plane, w, HEIGHT);
    for (int y = 0; y < HEIGHT; y++) {
      for (int x = 0; x < w; x++) {
        int s = (y * w + x) * 3;
        int o = offset + y * rowFloats + x;
        for (int c = 0; c < 3; c++) {
          dst.put(o + c * plane, ((px[s + c] & 0xff) / 255f - 0.5f) / 0.5f);
        }
      }
    }
  }

  private List<Reading> run(FloatBuffer input, int n, int width, TensorBuffers.Scope scope)
      throws DetectorException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    int classes = characters.size() + 2;
    Long knownSteps = buffers.reuses() ? stepsByWidth.get(width) : null;
    try (OnnxTensor tensor = OnnxTensor.createTensor(env, input, new long[] {n, 3, HEIGHT, width});
         PinnedOutputs pinned = knownSteps == null ? PinnedOutputs.none() : PinnedOutputs.none().pin(outputName,
             scope.direct(OUTPUT, Math.toIntExact(n * knownSteps * classes)), new long[] {n, knownSteps, classes})) {
      long t0 = System.nanoTime();
      try (OrtSession.Result result = model.run(Map.of(inputName, tensor), pinned)) {
        timer.accept(model.info().id(), System.nanoTime() - t0);
        OnnxTensor out = (OnnxTensor) result.get(0);
        long[] shape = out.getInfo().getShape();
        if (shape.length != 3 || shape[0] != n || shape[1] < 1 || shape[2] != classes) {
          throw new DetectorException(DropReason.DETECTOR_BAD_OUTPUT, "text recogniser output shape "
              + Arrays.toString(shape) + ", expected [" + n + ",T," + classes + "]");
        }
        if (knownSteps == null && buffers.reuses()) {
          stepsByWidth.putIfAbsent(width, shape[1]);
        }
        FloatBuffer fb = pinned.isEmpty() ? out.getFloatBuffer() : pinned.buffer(outputName);
        int steps = (int) shape[1];
        List<Reading> readings = new ArrayList<>(n);
        float[] row = new float[classes];
        for (int i = 0; i < n; i++) {
          readings.add(decode(fb, i * steps * classes, steps, row));
        }
        return readings;
      }
    } catch (OrtException e) {
      throw new DetectorException(DropReason.DETECTOR_ERROR, "text recogniser failed: " + e.getMessage(), e);
    }
  }

  /** Greedy CTC: the best class per step, repeats collapsed, blanks removed. */
  private Reading decode(FloatBuffer fb, int offset, int steps, float[] row) throws DetectorException {
    StringBuilder text = new StringBuilder();
    double sum = 0;
    int emitted = 0;
    int previous = 0;
    for (int t = 0; t < steps; t++) {
      fb.get(offset + t * row.length, row);
      int best = 0;
      for (int c = 1; c < row.length; c++) {
        if (row[c] > row[best]) {
          best = c;
        }
      }
      if (!OrtOutputs.isProbability(row[best])) {
        throw new DetectorException(DropReason.DETECTOR_BAD_OUTPUT, "text recogniser gave " + row[best]
            + ", not a probability");
      }
      if (best != 0 && best != previous) {
        text.append(best - 1 < characters.size() ? characters.get(best - 1) : " ");
        sum += row[best];
        emitted++;
      }
      previous = best;
    }
    return new Reading(text.toString(), emitted == 0 ? 0 : sum / emitted);
  }
}
