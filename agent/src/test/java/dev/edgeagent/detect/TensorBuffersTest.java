package dev.edgeagent.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.FloatBuffer;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Which buffers a run gets: its thread's own, reused; or fresh ones on the old path. */
class TensorBuffersTest {
  static final TensorBuffers.Slot A = TensorBuffers.slot("a");
  static final TensorBuffers.Slot B = TensorBuffers.slot("b");

  @Test
  void oneThreadGetsItsSameBufferBackAndAFreshOneOnlyWhenItNeedsMore() {
    TensorBuffers reused = TensorBuffers.reused();
    FloatBuffer first = reused.direct(A, 100);
    assertThat(first.isDirect()).isTrue();
    assertThat(first.order()).isEqualTo(java.nio.ByteOrder.nativeOrder());
    assertThat(first.position()).isZero();
    assertThat(first.limit()).isEqualTo(100);
    first.position(50);
    FloatBuffer smaller = reused.direct(A, 60);
    assertThat(smaller).isSameAs(first);
    assertThat(smaller.position()).isZero();
    assertThat(smaller.limit()).isEqualTo(60);
    FloatBuffer larger = reused.direct(A, 200);
    assertThat(larger).isNotSameAs(first);
    assertThat(larger.capacity()).isGreaterThanOrEqualTo(200);
    assertThat(reused.direct(B, 10)).as("another slot").isNotSameAs(reused.direct(A, 10));
    assertThat(reused.floats(A, 10)).isSameAs(reused.floats(A, 5));
    assertThat(reused.bytes(A, 9)).isSameAs(reused.bytes(A, 3));
  }

  @Test
  void anotherThreadNeverGetsThisThreadsBuffer() throws Exception {
    TensorBuffers reused = TensorBuffers.reused();
    FloatBuffer mine = reused.direct(A, 64);
    float[] myArray = reused.floats(A, 64);
    AtomicReference<FloatBuffer> theirs = new AtomicReference<>();
    AtomicReference<float[]> theirArray = new AtomicReference<>();
    Thread t = new Thread(() -> {
      theirs.set(reused.direct(A, 64));
      theirArray.set(reused.floats(A, 64));
    });
    t.start();
    t.join();
    assertThat(theirs.get()).isNotNull().isNotSameAs(mine);
    assertThat(theirArray.get()).isNotNull().isNotSameAs(myArray);
  }

  @Test
  void theOldPathAllocatesOnEveryCallAndCountsWhatItAllocated() {
    TensorBuffers perCall = TensorBuffers.perCall();
    assertThat(perCall.reuses()).isFalse();
    FloatBuffer a = perCall.direct(A, 10);
    a.put(0, 5f);
    FloatBuffer b = perCall.direct(A, 10);
    assertThat(b).isNotSameAs(a);
    assertThat(b.get(0)).isZero();
    assertThat(perCall.floats(A, 4)).isNotSameAs(perCall.floats(A, 4));
    assertThat(perCall.directBytesAllocated()).isEqualTo(80);
    assertThat(perCall.heapBytesAllocated()).isEqualTo(32);
  }

  @Test
  void zeroedClearsWhatTheLastRunLeftInAReusedBuffer() {
    TensorBuffers reused = TensorBuffers.reused();
    FloatBuffer dirty = reused.direct(A, 40_000);
    for (int i = 0; i < 40_000; i++) {
      dirty.put(i, i + 1);
    }
    FloatBuffer clean = reused.zeroed(A, 40_000);
    assertThat(clean).isSameAs(dirty);
    for (int i = 0; i < 40_000; i++) {
      assertThat(clean.get(i)).isZero();
    }
  }

  @Test
  void clearPaddingZeroesEverythingOutsideTheWindowOfEachPlaneAndNothingInside() {
    int w = 5;
    int h = 4;
    int plane = w * h;
    FloatBuffer b = FloatBuffer.allocate(2 + 3 * plane);
    for (int i = 0; i < b.capacity(); i++) {
      b.put(i, 9f);
    }
    RgbPlanes.clearPadding(b, 2, w, plane, 3, 2);
    assertThat(b.get(0)).isEqualTo(9f);
    assertThat(b.get(1)).isEqualTo(9f);
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          float v = b.get(2 + c * plane + y * w + x);
          assertThat(v).as("plane %d at %d,%d", c, x, y).isEqualTo(x < 3 && y < 2 ? 9f : 0f);
        }
      }
    }
  }
}
