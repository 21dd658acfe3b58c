package dev.edgeagent.redact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgeagent.TestAssets;
import dev.edgeagent.capture.FrameMeta;
import dev.edgeagent.capture.RawFrame;
import dev.edgeagent.detect.Box;
import dev.edgeagent.detect.Detection;
import dev.edgeagent.detect.ObjectClass;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Rect;

class RedactorTest {
  static final Box FACE = new Box(218, 86, 44, 50);

  @Test
  void boxesModeOutlinesTheRegionLeavesItsInsideAsItWasAndMarksTheFrameNotAnonymized() {
    Mat original = TestAssets.image("messi5.jpg");
    Redactor r = new Redactor(RedactionMode.BOXES, 0.1);
    try (AnonymizedFrame f = r.redact(raw(original.clone()), List.of(new Detection(ObjectClass.FACE, FACE, 0.9)),
        List.of(), 0.5)) {
      assertThat(f.anonymized()).isFalse();
      assertThat(f.redactions()).singleElement().satisfies(x -> assertThat(x.mode()).isEqualTo(RedactionMode.BOXES));
      Rect rr = Redactor.toRect(FACE.expand(0.1), original.cols(), original.rows());
      Rect inside = new Rect(rr.x + 3, rr.y + 3, rr.width - 6, rr.height - 6);
      Mat diff = new Mat();
      Core.absdiff(original.submat(inside), f.pixels().submat(inside), diff);
      assertThat(Core.sumElems(diff).val[0]).as("the face itself is shown as it was").isZero();
      Rect edge = new Rect(rr.x, rr.y + rr.height / 2, 1, 1);
      Core.absdiff(original.submat(edge), f.pixels().submat(edge), diff);
      assertThat(Core.sumElems(diff).val[0]).as("the outline is drawn").isPositive();
    }
    try (AnonymizedFrame f = new Redactor(RedactionMode.SOLID, 0.1).redact(raw(original.clone()), List.of(), List.of(),
        0.5)) {
      assertThat(f.anonymized()).as("any removal mode makes an anonymized frame").isTrue();
    }
  }

  @Test
  void keptRegionsAreRecordedAndTheirPixelsAreNotTouched() {
    Mat original = TestAssets.image("messi5.jpg");
    Box poster = new Box(20, 20, 30, 30);
    KeptRegion kept = new KeptRegion(ObjectClass.FACE, poster, 0.4, "keep.txt:4");
    try (AnonymizedFrame f = new Redactor(RedactionMode.SOLID, 0.1).redact(raw(original.clone()),
        List.of(new Detection(ObjectClass.FACE, FACE, 0.9)), List.of(kept), List.of(), 0.5)) {
      assertThat(f.kept()).containsExactly(kept);
      assertThat(f.redactions()).hasSize(1);
      Rect p = Redactor.toRect(poster, original.cols(), original.rows());
      Mat diff = new Mat();
      Core.absdiff(original.submat(p), f.pixels().submat(p), diff);
      assertThat(Core.sumElems(diff).val[0]).isZero();
    }
  }

  static RawFrame raw(Mat m) {
    return new RawFrame(new FrameMeta("cam", 7, 0, 0, m.cols(), m.rows(), "messi5.jpg"), m);
  }

  @ParameterizedTest
  @EnumSource(value = RedactionMode.class, names = "BOXES", mode = EnumSource.Mode.EXCLUDE)
  void changesTheRegionAndLeavesTheRestOfTheFrameAlone(RedactionMode mode) {
    Mat original = TestAssets.image("messi5.jpg");
    Mat work = original.clone();
    Redactor r = new Redactor(mode, 0.1);
    try (AnonymizedFrame f = r.redact(raw(work), List.of(new Detection(ObjectClass.FACE, FACE, 0.9)), List.of(), 0.5)) {
      Rect rr = Redactor.toRect(FACE.expand(0.1), original.cols(), original.rows());
      assertThat(f.redactions()).singleElement().satisfies(x -> {
        assertThat(x.redacted().x()).isEqualTo(rr.x);
        assertThat(x.mode()).isEqualTo(mode);
      });
      Mat before = original.submat(rr);
      Mat after = f.pixels().submat(rr);
      Mat diff = new Mat();
      Core.absdiff(before, after, diff);
      double meanChange = Core.sumElems(diff).val[0] / rr.area();
      assertThat(meanChange).as("mean change inside the box").isGreaterThan(10);
      // Outside the redacted rectangle nothing changes.
      Mat full = new Mat();
      Core.absdiff(original, f.pixels(), full);
      after.setTo(new org.opencv.core.Scalar(0, 0, 0));
      Mat outside = full.clone();
      outside.submat(rr).setTo(new org.opencv.core.Scalar(0, 0, 0));
      assertThat(Core.sumElems(outside).val[0]).isZero();
    }
  }

  @Test
  void solidFillIsBlackAndTheRawFrameCannotBeReadAfterwards() {
    Mat m = TestAssets.image("messi5.jpg");
    RawFrame raw = raw(m);
    try (AnonymizedFrame f = new Redactor(RedactionMode.SOLID, 0).redact(raw,
        List.of(new Detection(ObjectClass.PLATE, new Box(10, 10, 30, 20), 0.8)), List.of(), 0.5)) {
      Mat roi = f.pixels().submat(new Rect(10, 10, 30, 20));
      assertThat(Core.sumElems(roi).val).containsOnly(0.0);
      assertThatThrownBy(raw::pixels).isInstanceOf(IllegalStateException.class);
      assertThat(f.count(ObjectClass.PLATE)).isEqualTo(1);
    }
  }

  @Test
  void boxesOutsideTheFrameAreClippedOrSkipped() {
    Mat m = TestAssets.image("messi5.jpg");
    try (AnonymizedFrame f = new Redactor(RedactionMode.PIXELATE, 0.2).redact(raw(m), List.of(
        new Detection(ObjectClass.FACE, new Box(-20, -20, 40, 40), 0.9),
        new Detection(ObjectClass.FACE, new Box(5000, 5000, 10, 10), 0.9)), List.of(), 0.5)) {
      assertThat(f.redactions()).singleElement()
          .satisfies(x -> assertThat(x.redacted().x()).isZero());
    }
  }
}
