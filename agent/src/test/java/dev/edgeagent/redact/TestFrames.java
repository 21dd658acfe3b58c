package dev.edgeagent.redact;

import dev.edgeagent.capture.FrameMeta;
import dev.edgeagent.capture.OpenCv;
import dev.edgeagent.capture.RawFrame;
import dev.edgeagent.detect.Box;
import dev.edgeagent.detect.Detection;
import dev.edgeagent.detect.ModelInfo;
import dev.edgeagent.detect.ObjectClass;
import java.util.List;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfDouble;

/**
 * Anonymized frames for sink tests, made the only legal way: a synthetic raw frame through the
 * {@link Redactor}. Lives in the redact package because only it may handle a RawFrame.
 */
public final class TestFrames {
  public static final List<ModelInfo> MODELS = List.of(new ModelInfo("face-test", "ab12"));

  private TestFrames() {}

  /**
   * A {@code width} x {@code height} frame with one redacted face at (10, 10, 40, 40).
   *
   * @param noisy random pixels (JPEG barely compresses them) instead of a flat grey
   */
  public static AnonymizedFrame anonymized(String camera, long seq, int width, int height, boolean noisy) {
    OpenCv.ensureLoaded();
    Mat m = new Mat(height, width, CvType.CV_8UC3);
    if (noisy) {
      Core.randu(m, 0, 256);
    } else {
      m.setTo(new org.opencv.core.Scalar(120, 120, 120));
    }
    FrameMeta meta = new FrameMeta(camera, seq, 1_795_000_000_000L + seq, 1_000_000L * seq, width, height, "test");
    RawFrame raw = new RawFrame(meta, m);
    Detection face = new Detection(ObjectClass.FACE, new Box(10, 10, 40, 40), 0.9);
    return new Redactor(RedactionMode.SOLID, 0.1).redact(raw, List.of(face), MODELS, 0.5);
  }

  /**
   * Like {@link #anonymized}, flat grey, with one face redacted and, when {@code keptBy} is not
   * null, a second face at (80, 10, 30, 30) left unredacted by that keep-list entry; or, with
   * {@code drawBoxes}, the face outlined instead of removed ({@code anonymize --boxes}).
   */
  public static AnonymizedFrame withReview(String camera, long seq, String keptBy, boolean drawBoxes) {
    OpenCv.ensureLoaded();
    Mat m = new Mat(120, 160, CvType.CV_8UC3, new org.opencv.core.Scalar(120, 120, 120));
    RawFrame raw = new RawFrame(new FrameMeta(camera, seq, 0, 0, 160, 120, "test"), m);
    Detection face = new Detection(ObjectClass.FACE, new Box(10, 10, 40, 40), 0.9);
    List<KeptRegion> kept = keptBy == null ? List.of()
        : List.of(new KeptRegion(ObjectClass.FACE, new Box(80, 10, 30, 30), 0.35, keptBy));
    return new Redactor(drawBoxes ? RedactionMode.BOXES : RedactionMode.SOLID, 0.1)
        .redact(raw, List.of(face), kept, MODELS, 0.5);
  }

  /** Mean pixel value, to check a decoded image is the frame that was sent. */
  public static double mean(Mat m) {
    MatOfDouble mean = new MatOfDouble();
    MatOfDouble std = new MatOfDouble();
    Core.meanStdDev(m, mean, std);
    return mean.toArray()[0];
  }
}
