package dev.edgeagent.track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.edgeagent.detect.Box;
import dev.edgeagent.detect.Detection;
import dev.edgeagent.detect.ObjectClass;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BoxTrackerTest {
  static final Set<ObjectClass> ALL = EnumSet.allOf(ObjectClass.class);

  static Detection face(double x) {
    return new Detection(ObjectClass.FACE, new Box(x, 50, 40, 40), 0.9);
  }

  static double covered(Box truth, List<Detection> out) {
    return out.stream().mapToDouble(d -> d.box().intersection(truth) / truth.area()).max().orElse(0);
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
  void aHeldBoxFollowsTheMotionOfAFastFace() {
    BoxTracker t = new BoxTracker(5);
    // 20 px a frame, half the face's size: a box held where it was would be uncovered in two frames.
    for (int frame = 0; frame < 6; frame++) {
      t.update(List.of(face(100 + 20 * frame)));
    }
    for (int frame = 6; frame < 10; frame++) {
      Box truth = face(100 + 20 * frame).box();
      assertThat(covered(truth, t.update(List.of()))).as("missed frame " + frame).isEqualTo(1.0);
    }
    assertThat(t.activeTracks()).isEqualTo(1);
  }

  @Test
  void aHeldBoxGrowsWithEveryMiss() {
    BoxTracker t = new BoxTracker(4);
    for (int frame = 0; frame < 5; frame++) {
      t.update(List.of(face(100 + 5 * frame)));
    }
    double previous = 0;
    for (int miss = 0; miss < 4; miss++) {
      double area = t.update(List.of()).get(0).box().area();
      assertThat(area).as("miss " + miss).isGreaterThan(previous);
      previous = area;
    }
  }

  @Test
  void aFaceMovingMoreThanItsSizePerFrameKeepsOneTrack() {
    BoxTracker t = new BoxTracker(2);
    for (int frame = 0; frame < 10; frame++) {
      t.update(List.of(face(50 + 45 * frame)));
      assertThat(t.activeTracks()).as("frame " + frame).isEqualTo(1);
    }
  }

  @Test
  void aNewTrackIsRunBackIntoTheFramesBeforeItsFirstDetection() {
    BoxTracker t = new BoxTracker(5, 4, 0);
    assertThat(t.step(List.of(), ALL).past()).isEmpty();
    BoxTracker.Step birth = t.step(List.of(face(300)), ALL);
    // Seen once it may be a false detection: only two frames back until it is confirmed, and the
    // oldest frame, which leaves the line before a confirmation could reach it.
    assertThat(birth.past()).extracting(Revision::framesAgo).containsExactly(1, 2, 4);
    // Its speed is unknown at birth: the guess covers a face that moved 10 px a frame towards here.
    for (Revision r : birth.past()) {
      Box truth = face(300 - 10 * r.framesAgo()).box();
      assertThat(r.detection().box().intersection(truth) / truth.area()).as("k=" + r.framesAgo()).isEqualTo(1.0);
    }
    // The second detection confirms it and measures the speed: the frames before the first are
    // run back along it as far as the look-back reaches, tighter than the guess.
    BoxTracker.Step second = t.step(List.of(face(310)), ALL);
    assertThat(second.past()).extracting(Revision::framesAgo).containsExactly(2, 3, 4);
    for (Revision r : second.past()) {
      Box truth = face(310 - 10 * r.framesAgo()).box();
      assertThat(r.detection().box().intersection(truth) / truth.area()).as("k=" + r.framesAgo()).isEqualTo(1.0);
      assertThat(r.trackId()).isEqualTo(birth.past().get(0).trackId());
    }
    assertThat(second.past().get(0).detection().box().area()).isLessThan(birth.past().get(0).detection().box().area());
  }

  @Test
  void aTrackSeenOnceIsHeldOnlyBrieflyButRunBackFullyWhenTheStreamEnds() {
    BoxTracker t = new BoxTracker(5, 8, 0);
    t.step(List.of(face(300)), ALL);
    assertThat(t.step(List.of(), ALL).now()).hasSize(1);
    assertThat(t.step(List.of(), ALL).now()).hasSize(1);
    assertThat(t.step(List.of(), ALL).now()).as("a false detection is not held for the whole hold").isEmpty();
    // Three frames stepped after its detection; the end runs it back from 3 frames before it,
    // frames 4+3=7 and 8 frames before the next frame.
    assertThat(t.end()).extracting(Revision::framesAgo).containsExactly(7, 8);
  }

  @Test
  void aGapBetweenTwoDetectionsIsInterpolated() {
    BoxTracker t = new BoxTracker(5, 8, 0);
    for (int frame = 0; frame < 4; frame++) {
      t.step(List.of(face(100 + 15 * frame)), ALL);
    }
    for (int frame = 4; frame < 7; frame++) {
      t.step(List.of(), ALL);
    }
    BoxTracker.Step back = t.step(List.of(face(100 + 15 * 7)), ALL);
    assertThat(back.past()).extracting(Revision::framesAgo).containsExactly(1, 2, 3);
    for (Revision r : back.past()) {
      Box truth = face(100 + 15 * (7 - r.framesAgo())).box();
      assertThat(r.detection().box().intersection(truth) / truth.area()).isEqualTo(1.0);
      assertThat(r.detection().box().iou(truth)).as("tight, k=" + r.framesAgo()).isGreaterThan(0.7);
    }
  }

  @Test
  void aGapLongerThanTheHoldIsStillFilledWithinTheLookBack() {
    BoxTracker t = new BoxTracker(2, 8, 0);
    for (int frame = 0; frame < 4; frame++) {
      t.step(List.of(face(100 + 10 * frame)), ALL);
    }
    for (int frame = 4; frame < 10; frame++) {
      assertThat(t.step(List.of(), ALL).now()).as("frame " + frame).hasSize(frame < 6 ? 1 : 0);
    }
    BoxTracker.Step back = t.step(List.of(face(200)), ALL);
    assertThat(t.activeTracks()).isEqualTo(1);
    assertThat(back.past()).extracting(Revision::framesAgo).containsExactly(1, 2, 3, 4, 5, 6);
    for (Revision r : back.past()) {
      Box truth = face(200 - 10 * r.framesAgo()).box();
      assertThat(r.detection().box().intersection(truth) / truth.area()).isEqualTo(1.0);
    }
  }

  @Test
  void theGrowthOfAHeldBoxIsShrunkByTheMarginTheRedactorAddsAgain() {
    BoxTracker plain = new BoxTracker(3, 0, 0);
    BoxTracker margined = new BoxTracker(3, 0, 0.5);
    for (int frame = 0; frame < 3; frame++) {
      plain.update(List.of(face(100 + 5 * frame)));
      margined.update(List.of(face(100 + 5 * frame)));
    }
    Box a = plain.update(List.of()).get(0).box();
    Box b = margined.update(List.of()).get(0).box();
    // Each grows the same estimate; with a margin of 0.5 (x2 in size) the growth is halved, so
    // after the redactor's margin it is the same number of the object's pixels.
    assertThat(a.w() - 40).isGreaterThan(0);
    assertThat(b.w() - 40).isCloseTo((a.w() - 40) / 2, within(1e-9));
  }

  @Test
  void aTrackThatOnlyEverScoresLowIsNotConfirmedSoItIsHeldBriefly() {
    BoxTracker t = new BoxTracker(5, 0, 0);
    Detection weak = new Detection(ObjectClass.FACE, new Box(100, 50, 40, 40), 0.4);
    for (int frame = 0; frame < 4; frame++) {
      t.update(List.of(weak));
    }
    assertThat(t.update(List.of())).hasSize(1);
    assertThat(t.update(List.of())).hasSize(1);
    assertThat(t.update(List.of())).as("not held for the whole hold: flickering false detections score low").isEmpty();
    // One good detection confirms it: then the whole hold applies.
    t.update(List.of(new Detection(ObjectClass.FACE, new Box(100, 50, 40, 40), 0.8)));
    for (int miss = 0; miss < 5; miss++) {
      assertThat(t.update(List.of())).as("miss " + miss).hasSize(1);
    }
  }

  @Test
  void withoutLookBackNothingIsRevised() {
    BoxTracker t = new BoxTracker(5, 0, 0);
    t.step(List.of(face(100)), ALL);
    t.step(List.of(), ALL);
    assertThat(t.step(List.of(face(110)), ALL).past()).isEmpty();
  }

  @Test
  void aClassNotSearchedOnAFrameIsCarriedWithoutCountingAMiss() {
    BoxTracker t = new BoxTracker(0);
    Detection plate = new Detection(ObjectClass.PLATE, new Box(100, 300, 60, 15), 0.8);
    t.step(List.of(face(10), plate), ALL);
    List<Detection> out = t.step(List.of(face(12)), EnumSet.of(ObjectClass.FACE)).detections();
    assertThat(out).extracting(Detection::cls).containsExactlyInAnyOrder(ObjectClass.FACE, ObjectClass.PLATE);
    assertThat(t.step(List.of(face(14)), ALL).detections()).extracting(Detection::cls)
        .containsExactly(ObjectClass.FACE);
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
  void filteringNeverUncoversTheCurrentDetection() {
    BoxTracker t = new BoxTracker(5);
    t.update(List.of(face(0)));
    t.update(List.of(face(3)));
    Detection jump = face(30);
    List<Detection> out = t.update(List.of(jump));
    assertThat(out).singleElement().satisfies(d ->
        assertThat(d.box().intersection(jump.box())).isEqualTo(jump.box().area()));
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
  void twoFacesSideBySideKeepTheirOwnTracks() {
    BoxTracker t = new BoxTracker(3);
    for (int frame = 0; frame < 6; frame++) {
      t.update(List.of(face(100 + 8 * frame), face(400 - 8 * frame)));
    }
    assertThat(t.activeTracks()).isEqualTo(2);
  }

  @Test
  void holdZeroRedactsOnlyWhatIsDetected() {
    BoxTracker t = new BoxTracker(0);
    t.update(List.of(face(10)));
    assertThat(t.update(List.of())).isEmpty();
  }
}
