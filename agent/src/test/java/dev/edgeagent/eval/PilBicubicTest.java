package dev.edgeagent.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeagent.capture.OpenCv;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.imgcodecs.Imgcodecs;

/** Bit-exact against Pillow's own output (test resources made by sr/make_pil_reference.py). */
class PilBicubicTest {
  @BeforeAll
  static void opencv() {
    OpenCv.ensureLoaded();
  }

  static Mat resource(String name) throws Exception {
    Path p = Path.of(PilBicubicTest.class.getResource("/sr/" + name).toURI());
    Mat m = Imgcodecs.imread(p.toString(), Imgcodecs.IMREAD_COLOR);
    assertThat(m.empty()).as(name).isFalse();
    return m;
  }

  static double maxDiff(Mat a, Mat b) {
    Mat d = new Mat();
    Core.absdiff(a, b, d);
    return Core.minMaxLoc(d.reshape(1)).maxVal;
  }

  @Test
  void aNonIntegerShrinkMatchesPillowExactly() throws Exception {
    Mat lr = PilBicubic.resize(resource("pil_hr.png"), 20, 15);
    assertThat(lr.size()).isEqualTo(new org.opencv.core.Size(20, 15));
    assertThat(maxDiff(lr, resource("pil_lr.png"))).isZero();
  }

  @Test
  void anExactHalvingMatchesPillowExactly() throws Exception {
    Mat hr = resource("pil_hr.png").submat(new Rect(0, 0, 40, 30)).clone();
    assertThat(maxDiff(PilBicubic.resize(hr, 20, 15), resource("pil_lr_even.png"))).isZero();
  }

  @Test
  void enlargingMatchesPillowExactly() throws Exception {
    assertThat(maxDiff(PilBicubic.resize(resource("pil_lr_even.png"), 40, 30), resource("pil_up.png"))).isZero();
  }
}
