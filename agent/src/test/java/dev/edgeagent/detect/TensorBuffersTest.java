package dev.edgeagent.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.FloatBuffer;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Which buffers a call gets: pooled ones it alone holds until it closes its scope, or fresh ones on the old path. */
class TensorBuffersTest {
  @Test
  void aClosedScopesBuffersGoToTheNextScopeAndAFreshOneOnlyWhenMoreIsNeeded() {
    TensorBuffers.Slot a = TensorBuffers.slot("a");
    TensorBuffers reused = TensorBuffers.reused();
    FloatBuffer first;
    float[] firstArray;
    try (TensorBuffers.Scope scope = reused.open()) {
      first = scope.direct(a, 100);
      assertThat(first.isDirect()).isTrue();
      assertThat(first.order()).isEqualTo(java.nio.ByteOrder.nativeOrder());
      assertThat(first.position()).isZero();
      assertThat(first.limit()).isEqualTo(100);
      first.position(50);
      firstArray = scope.floats(a, 10);
    }
    assertThat(a.pooled()).isEqualTo(2);
    try (TensorBuffers.Scope scope = reused.open()) {
      FloatBuffer smaller = scope.direct(a, 60);
      assertThat(smaller).isSameAs(first);
      assertThat(smaller.position()).isZero();
      assertThat(smaller.limit()).isEqualTo(60);
      assertThat(scope.floats(a, 5)).isSameAs(firstArray);
    }
    try (TensorBuffers.Scope scope = reused.open()) {
      FloatBuffer larger = scope.direct(a, 200);
      assertThat(larger).isNotSameAs(first);
      assertThat(larger.capacity()).isGreaterThanOrEqualTo(200);
    }
    assertThat(reused.directBytesAllocated()).isEqualTo(4 * 100 + 4 * 200);
  }

  @Test
  void buffersHeldAtOnceAreNeverTheSameOneWhetherInOneScopeOrInTwo() throws Exception {
    TensorBuffers.Slot a = TensorBuffers.slot("a");
    TensorBuffers reused = TensorBuffers.reused();
    try (TensorBuffers.Scope warm = reused.open()) {
      warm.direct(a, 64);
      warm.bytes(a, 64);
    }
    try (TensorBuffers.Scope one = reused.open(); TensorBuffers.Scope two = reused.open()) {
      FloatBuffer x = one.direct(a, 64);
      assertThat(one.direct(a, 64)).as("the same slot twice in one scope").isNotSameAs(x);
      assertThat(two.direct(a, 64)).as("another open scope").isNotSameAs(x);
      byte[] y = one.bytes(a, 64);
      AtomicReference<byte[]> theirs = new AtomicReference<>();
      Thread t = new Thread(() -> {
        try (TensorBuffers.Scope other = reused.open()) {
          theirs.set(other.bytes(a, 64));
        }
      });
      t.start();
      t.join();
      assertThat(theirs.get()).as("a scope on another thread").isNotNull().isNotSameAs(y);
    }
  }

  @Test
  void callsOneAfterAnotherOnDifferentThreadsShareOneBufferNotOnePerThread() throws Exception {
    TensorBuffers.Slot a = TensorBuffers.slot("a");
    TensorBuffers reused = TensorBuffers.reused();
    java.util.List<FloatBuffer> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (int i = 0; i < 3; i++) {
      Thread t = new Thread(() -> {
        try (TensorBuffers.Scope scope = reused.open()) {
          seen.add(scope.direct(a, 1000));
        }
      });
      t.start();
      t.join();
    }
    assertThat(seen).hasSize(3);
    assertThat(seen.get(1)).isSameAs(seen.get(0));
    assertThat(seen.get(2)).isSameAs(seen.get(0));
    assertThat(a.pooled()).isEqualTo(1);
    assertThat(reused.directBytesAllocated()).isEqualTo(4000);
  }

  @Test
  void aClosedScopeGivesNothingMore() {
    TensorBuffers.Scope scope = TensorBuffers.reused().open();
    scope.close();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> scope.direct(TensorBuffers.slot("a"), 4))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theOldPathAllocatesOnEveryCallAndCountsWhatItAllocated() {
    TensorBuffers.Slot a = TensorBuffers.slot("a");
    TensorBuffers perCall = TensorBuffers.perCall();
    assertThat(perCall.reuses()).isFalse();
    FloatBuffer first;
    try (TensorBuffers.Scope scope = perCall.open()) {
      first = scope.direct(a, 10);
      first.put(0, 5f);
      assertThat(scope.floats(a, 4)).isNotSameAs(scope.floats(a, 4));
    }
    try (TensorBuffers.Scope scope = perCall.open()) {
      FloatBuffer again = scope.direct(a, 10);
      assertThat(again).isNotSameAs(first);
      assertThat(again.get(0)).isZero();
    }
    assertThat(a.pooled()).isZero();
    assertThat(perCall.directBytesAllocated()).isEqualTo(80);
    assertThat(perCall.heapBytesAllocated()).isEqualTo(32);
  }

  @Test
  void zeroedClearsWhatTheLastRunLeftInAReusedBuffer() {
    TensorBuffers.Slot a = TensorBuffers.slot("a");
    TensorBuffers reused = TensorBuffers.reused();
    FloatBuffer dirty;
    try (TensorBuffers.Scope scope = reused.open()) {
      dirty = scope.direct(a, 40_000);
      for (int i = 0; i < 40_000; i++) {
        dirty.put(i, i + 1);
      }
    }
    try (TensorBuffers.Scope scope = reused.open()) {
      FloatBuffer clean = scope.zeroed(a, 40_000);
      assertThat(clean).isSameAs(dirty);
      for (int i = 0; i < 40_000; i++) {
        assertThat(clean.get(i)).isZero();
      }
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
