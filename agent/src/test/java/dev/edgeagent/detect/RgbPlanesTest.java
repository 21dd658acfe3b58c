package dev.edgeagent.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

class RgbPlanesTest {
  @Test
  void aBgrWindowBecomesRgbPlanesAtTheOffsetLeavingPaddingUntouched() {
    // 3 x 1 image: pixels (B,G,R) = (1,2,3), (4,5,6), (7,8,255)
    byte[] bgr = {1, 2, 3, 4, 5, 6, 7, 8, (byte) 255};
    float[] out = new float[1 + 3 * 4]; // one leading float, then three 2 x 2 planes
    // The window is pixels 1..2 of row 0, written into 2-wide rows of 4-float planes.
    RgbPlanes.write(bgr, 3, 1, 0, 2, 1, FloatBuffer.wrap(out), 1, 2, 4);
    assertThat(out).containsExactly(0f,
        6 / 255f, 1f, 0f, 0f, // R plane: row 0 written, row 1 left as padding
        5 / 255f, 8 / 255f, 0f, 0f, // G
        4 / 255f, 7 / 255f, 0f, 0f); // B
  }
}
