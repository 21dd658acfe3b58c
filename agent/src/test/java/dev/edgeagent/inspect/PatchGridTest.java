package dev.edgeagent.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PatchGridTest {

  @Test
  void gridMatchesTheTrainingSidesGridAndIsEmptyForTinyImages() {
    PatchGrid g = new PatchGrid(192, 192, 16, 8);
    assertThat(g.rows()).isEqualTo(23);   // len(range(0, 192 - 16 + 1, 8))
    assertThat(g.cols()).isEqualTo(23);
    assertThat(new PatchGrid(15, 100, 16, 8).size()).isZero();
  }

  @Test
  void patchesArePlanarRgbScaledToOne() {
    int w = 24;
    int h = 16;
    byte[] bgr = new byte[w * h * 3];
    // pixel (y=0, x=8): B=10 G=20 R=30 -> first pixel of the second patch
    int s = (0 * w + 8) * 3;
    bgr[s] = 10;
    bgr[s + 1] = 20;
    bgr[s + 2] = 30;
    PatchGrid g = new PatchGrid(w, h, 16, 8);
    assertThat(g.size()).isEqualTo(2);
    float[] p = g.patches(bgr, 1, 1);
    assertThat(p).hasSize(3 * 256);
    assertThat(p[0]).isEqualTo(30 / 255f);
    assertThat(p[256]).isEqualTo(20 / 255f);
    assertThat(p[512]).isEqualTo(10 / 255f);
    bgr[s + 2] = (byte) 255;   // unsigned
    assertThat(g.patches(bgr, 1, 1)[0]).isEqualTo(1f);
  }
}
