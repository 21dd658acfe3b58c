package dev.edgeagent.track;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeagent.detect.Box;
import dev.edgeagent.detect.Detection;
import dev.edgeagent.detect.ObjectClass;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoxTrackerTest {
  static Detection face(double x) {
    return new Detection(ObjectClass.FACE, new Box(x, 50, 40, 40), 0.9);
  }

  @Test
  void aDetectorThatBlinksDoesNotLeakTheMissedFrames() {
    BoxTracker t = new BoxTracker(3);
    // A face moving right 2 px a frame; the detector misses frames 3 and 4.
    for (int frame = 0; frame < 8; frame++) {
      boolean missed = frame == 3 || frame == 4;
      List<Detection> out = t.update(missed ? List.of() : List.of(face(100 + 2 * frame)));
      Box truth = face(100 + 2 * frame).box();
      assertThat(out).as("frame " + frame).singleElement()
          .satisfies(d -> assertThat(d.box().intersection(truth) / truth.area()).isGreaterThan(0.85));
    }
  }

  @Test
  void aHeldBoxIsForgottenAfterTheHoldCount() {
    BoxTracker t = new BoxTracker(2);
    t.update(List.of(face(10)));
    assertThat(t.update(List.of())).hasSize(1);
    assertThat(t.update(List.of())).hasSize(1);
    assertThat(t.update(List.of())).isEmpty();
    assertThat(t.activeTracks()).isZero();
  }

  @Test
  void afterAResetNothingIsHeldAndANewBoxIsNotBlendedWithAnOldOne() {
    BoxTracker t = new BoxTracker(5);
    t.update(List.of(face(10)));
    t.reset();
    assertThat(t.activeTracks()).isZero();
    assertThat(t.update(List.of())).isEmpty();
    t.update(List.of(face(10)));
    t.reset();
    assertThat(t.update(List.of(face(20)))).containsExactly(face(20));
  }

  @Test
  void smoothingNeverUncoversTheCurrentDetection() {
    BoxTracker t = new BoxTracker(5);
    t.update(List.of(face(0)));
    Detection jump = face(12);
    List<Detection> out = t.update(List.of(jump));
    assertThat(out).singleElement().satisfies(d -> {
      assertThat(d.box().intersection(jump.box())).isEqualTo(jump.box().area());
    });
  }

  @Test
  void classesAreTrackedSeparately() {
    BoxTracker t = new BoxTracker(0);
    Detection plate = new Detection(ObjectClass.PLATE, new Box(100, 50, 40, 40), 0.8);
    List<Detection> out = t.update(List.of(face(100), plate));
    assertThat(out).extracting(Detection::cls).containsExactlyInAnyOrder(ObjectClass.FACE, ObjectClass.PLATE);
    assertThat(t.activeTracks()).isEqualTo(2);
  }

  @Test
  void holdZeroRedactsOnlyWhatIsDetected() {
    BoxTracker t = new BoxTracker(0);
    t.update(List.of(face(10)));
    assertThat(t.update(List.of())).isEmpty();
  }
}
