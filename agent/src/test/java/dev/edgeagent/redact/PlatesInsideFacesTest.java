package dev.edgeagent.redact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeagent.detect.Box;
import dev.edgeagent.detect.Detection;
import dev.edgeagent.detect.ObjectClass;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A plate inside a face's redacted box is left to the face; one that only overlaps it is not. */
class PlatesInsideFacesTest {
  static final int W = 640;
  static final int H = 480;
  /** Margin 0.3: the face (100, 100, 50, 50) is redacted as (85, 85, 80, 80). */
  static final Redactor REDACTOR = new Redactor(RedactionMode.SOLID, 0.3);
  static final Detection FACE = new Detection(ObjectClass.FACE, new Box(100, 100, 50, 50), 0.9);

  static Detection plate(double x, double y, double w, double h) {
    return new Detection(ObjectClass.PLATE, new Box(x, y, w, h), 0.8);
  }

  static PlatesInsideFaces.Result drop(Detection... d) {
    return PlatesInsideFaces.drop(List.of(d), REDACTOR, W, H);
  }

  @Test
  void theFaceIsRedactedWithItsMargin() {
    assertThat(REDACTOR.redactedBox(FACE.box(), W, H)).isEqualTo(new Box(85, 85, 80, 80));
  }

  @Test
  void aPlateInsideTheFacesRedactedBoxIsDroppedAndCounted() {
    Detection eye = plate(110, 115, 12, 6);
    Detection inMargin = plate(86, 150, 78, 14); // outside the face's detected box, inside its redaction
    Detection elsewhere = plate(400, 300, 80, 20);
    PlatesInsideFaces.Result r = drop(FACE, eye, inMargin, elsewhere);
    assertThat(r.kept()).containsExactly(FACE, elsewhere);
    assertThat(r.dropped()).isEqualTo(2);
  }

  @Test
  void aboutOnePixelPastTheEdgeStillCountsAsInside() {
    PlatesInsideFaces.Result r = drop(FACE, plate(84.5, 85, 81, 80.8));
    assertThat(r.kept()).containsExactly(FACE);
    assertThat(r.dropped()).isEqualTo(1);
  }

  @Test
  void aPlatePartlyOutsideTheFaceIsKept() {
    Detection acrossTheEdge = plate(140, 120, 40, 10); // reaches 15 px past the right edge
    Detection twoPixelsBelow = plate(90, 150, 60, 17); // bottom at 167, the redaction's at 165
    Detection aroundTheFace = plate(60, 60, 200, 140); // holds the face, not held by it
    PlatesInsideFaces.Result r = drop(FACE, acrossTheEdge, twoPixelsBelow, aroundTheFace);
    assertThat(r.kept()).containsExactly(FACE, acrossTheEdge, twoPixelsBelow, aroundTheFace);
    assertThat(r.dropped()).isZero();
  }

  @Test
  void withoutAFaceOnTheFrameNothingChanges() {
    List<Detection> plates = List.of(plate(110, 115, 12, 6), plate(400, 300, 80, 20));
    PlatesInsideFaces.Result r = PlatesInsideFaces.drop(plates, REDACTOR, W, H);
    assertThat(r.kept()).isEqualTo(plates);
    assertThat(r.dropped()).isZero();
    // A face wholly outside the frame is redacted nowhere, so it covers no plate either.
    Detection offFrame = new Detection(ObjectClass.FACE, new Box(700, 500, 50, 50), 0.9);
    Detection atTheOrigin = plate(0, 0, 0.5, 0.5);
    assertThat(drop(offFrame, atTheOrigin).kept()).containsExactly(offFrame, atTheOrigin);
  }

  @Test
  void facesAreNeverDroppedEvenInsideOtherFaces() {
    Detection small = new Detection(ObjectClass.FACE, new Box(110, 110, 10, 10), 0.5);
    PlatesInsideFaces.Result r = drop(FACE, small);
    assertThat(r.kept()).containsExactly(FACE, small);
    assertThat(r.dropped()).isZero();
  }
}
