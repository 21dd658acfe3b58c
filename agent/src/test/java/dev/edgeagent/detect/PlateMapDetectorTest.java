package dev.edgeagent.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeagent.capture.OpenCv;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The plate map's post-processing, on hand-made maps. */
class PlateMapDetectorTest {
  @BeforeAll
  static void opencv() {
    OpenCv.ensureLoaded();
  }

  static void fill(float[] map, int mw, int x0, int y0, int w, int h, float p) {
    for (int y = y0; y < y0 + h; y++) {
      for (int x = x0; x < x0 + w; x++) {
        map[y * mw + x] = p;
      }
    }
  }

  @Test
  void eachGroupOfConfidentCellsBecomesOneGrownBoxInFramePixels() {
    int mw = 40;
    int mh = 20;
    float[] map = new float[mw * mh];
    fill(map, mw, 2, 3, 8, 2, 0.9f); // a plate: 8 x 2 cells
    fill(map, mw, 20, 10, 6, 2, 0.55f); // above the pixel threshold, below the box threshold
    fill(map, mw, 30, 15, 1, 1, 0.3f); // below the pixel threshold
    PlateMapDetector.Params p = new PlateMapDetector.Params(1920, 0.5, 0.6, 0.25, 1, 1);
    // Network input 160 x 80 px; the frame is twice that.
    List<Detection> d = PlateMapDetector.decode(map, mh, mw, 2.0, 2.0, 320, 160, p);
    assertThat(d).hasSize(1);
    Detection plate = d.get(0);
    assertThat(plate.cls()).isEqualTo(ObjectClass.PLATE);
    assertThat(plate.score()).isCloseTo(0.9, org.assertj.core.data.Offset.offset(1e-6));
    // Cells 2..10 x 3..5 -> input px 8..40 x 12..20, grown by 0.25 * 8 px + 1 px = 3 px, times 2.
    assertThat(plate.box()).isEqualTo(new Box(10, 18, 76, 28));
  }

  @Test
  void boxesAreClippedToTheFrameAndTinyGroupsCanBeIgnored() {
    int mw = 10;
    int mh = 10;
    float[] map = new float[mw * mh];
    fill(map, mw, 0, 0, 3, 1, 0.95f);
    fill(map, mw, 8, 8, 1, 1, 0.95f);
    PlateMapDetector.Params p = new PlateMapDetector.Params(1920, 0.5, 0.5, 0.5, 0, 2);
    List<Detection> d = PlateMapDetector.decode(map, mh, mw, 1.0, 1.0, 40, 40, p);
    assertThat(d).hasSize(1);
    assertThat(d.get(0).box().x()).isZero();
    assertThat(d.get(0).box().y()).isZero();
  }

  @Test
  void theFrameIsScaledDownToMaxSideAndPaddedToMultiplesOf32() {
    assertThat(PlateMapDetector.inputSize(1920, 1080, 1920)).containsExactly(1088, 1920, 1080, 1920);
    assertThat(PlateMapDetector.inputSize(1920, 1080, 960)).containsExactly(544, 960, 540, 960);
    assertThat(PlateMapDetector.inputSize(20, 10, 1920)).containsExactly(32, 32, 10, 20);
  }

  @Test
  void theVerifierSeesTheCandidateWithHalfItsHeightOfContextInsideTheFrame() {
    assertThat(PlateCropVerifier.cropRect(new Box(100, 50, 40, 10), 640, 480))
        .isEqualTo(new org.opencv.core.Rect(95, 45, 50, 20));
    assertThat(PlateCropVerifier.cropRect(new Box(0, 0, 40, 10), 640, 480))
        .isEqualTo(new org.opencv.core.Rect(0, 0, 45, 15));
    assertThat(PlateCropVerifier.cropRect(new Box(700, 500, 40, 10), 640, 480)).isNull();
  }
}
