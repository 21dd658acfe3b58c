package dev.edgeagent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgeagent.capture.FrameMeta;
import dev.edgeagent.capture.OpenCv;
import dev.edgeagent.capture.RawFrame;
import dev.edgeagent.detect.Box;
import dev.edgeagent.detect.Detection;
import dev.edgeagent.detect.ObjectClass;
import dev.edgeagent.track.BoxTracker;
import dev.edgeagent.track.Revision;
import dev.edgeagent.track.TrackedBox;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

class LookaheadLineTest {
  static {
    OpenCv.ensureLoaded();
  }

  static RawFrame frame(long seq) {
    return new RawFrame(new FrameMeta("cam", seq, 0, 0, 8, 8, "x"), Mat.zeros(8, 8, CvType.CV_8UC3));
  }

  static Detection box(double x) {
    return new Detection(ObjectClass.FACE, new Box(x, 0, 2, 2), 0.9);
  }

  static BoxTracker.Step step(List<TrackedBox> now, List<Revision> past) {
    return new BoxTracker.Step(now, past);
  }

  @Test
  void aFrameLeavesOnlyWhenTheLineIsFullInOrder() {
    try (LookaheadLine line = new LookaheadLine(2)) {
      assertThat(line.push(frame(0), step(List.of(), List.of()))).isNull();
      assertThat(line.push(frame(1), step(List.of(), List.of()))).isNull();
      LookaheadLine.Pending out = line.push(frame(2), step(List.of(), List.of()));
      assertThat(out.raw().meta().sequence()).isZero();
      assertThat(line.size()).isEqualTo(2);
      out.raw().close();
    }
  }

  @Test
  void aRevisionReplacesItsTracksBoxOnTheFrameItNamesAndAddsToOthers() {
    try (LookaheadLine line = new LookaheadLine(3)) {
      line.push(frame(0), step(List.of(new TrackedBox(7, box(0))), List.of()));
      line.push(frame(1), step(List.of(new TrackedBox(7, box(1))), List.of()));
      // Two frames ago track 7 is revised, track 9 (born now) is run back; one beyond the line is ignored.
      line.push(frame(2), step(List.of(new TrackedBox(9, box(5))),
          List.of(new Revision(2, 7, box(0.5)), new Revision(2, 9, box(4)), new Revision(5, 9, box(3)))));
      assertThat(line.revisions()).isEqualTo(2);
      LookaheadLine.Pending first = line.poll();
      assertThat(first.raw().meta().sequence()).isZero();
      assertThat(first.boxes()).containsExactly(new TrackedBox(7, box(0.5)), new TrackedBox(9, box(4)));
      first.raw().close();
      LookaheadLine.Pending second = line.poll();
      assertThat(second.boxes()).containsExactly(new TrackedBox(7, box(1)));
      second.raw().close();
    }
  }

  @Test
  void withNoLookAheadEveryFrameLeavesAtOnce() {
    try (LookaheadLine line = new LookaheadLine(0)) {
      LookaheadLine.Pending out = line.push(frame(0), step(List.of(new TrackedBox(1, box(0))),
          List.of(new Revision(1, 1, box(3)))));
      assertThat(out.boxes()).containsExactly(new TrackedBox(1, box(0)));
      assertThat(line.revisions()).isZero();
      out.raw().close();
    }
  }

  @Test
  void closingReleasesTheRawPixelsOfEveryWaitingFrame() {
    RawFrame a = frame(0);
    RawFrame b = frame(1);
    LookaheadLine line = new LookaheadLine(4);
    line.push(a, step(List.of(), List.of()));
    line.push(b, step(List.of(), List.of()));
    line.close();
    assertThat(line.size()).isZero();
    assertThatThrownBy(a::pixels).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(b::pixels).isInstanceOf(IllegalStateException.class);
  }
}
