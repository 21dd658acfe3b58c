package dev.edgeagent.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A file's next frame is decoded while the current one is worked on: one frame ahead, never more. */
class ReadAheadSourceTest {

  @Test
  void decodesTheNextFrameWhileTheCurrentIsInHandButOnlyOne() throws Exception {
    TrackedSource decoder = new TrackedSource(5);
    try (FrameSource s = ReadAheadSource.of(decoder)) {
      RawFrame first = s.next();
      assertThat(first.meta().sequence()).isZero();
      await().atMost(Duration.ofSeconds(10)).until(() -> decoder.calls.get() >= 2);
      assertThat(decoder.made()).as("one frame ahead, not more").isEqualTo(2);
      first.close();
      for (long seq = 1; seq < 5; seq++) {
        try (RawFrame f = s.next()) {
          assertThat(f.meta().sequence()).isEqualTo(seq);
        }
      }
      assertThat(s.next()).isNull();
      assertThat(s.next()).isNull();
    }
    assertThat(decoder.releases()).hasSize(5).allSatisfy((seq, n) -> assertThat(n).as("frame " + seq).isOne());
    assertThat(decoder.closes).hasValue(1);
  }

  @Test
  void underACamerasNumberingOnlyTakenFramesUseANumber() throws Exception {
    TrackedSource decoder = new TrackedSource(100);
    java.util.List<Long> reserved = new java.util.concurrent.CopyOnWriteArrayList<>();
    FrameSource s = ReadAheadSource.of(new SequencedSource(decoder, 40, (camera, seq) -> reserved.add(seq)));
    for (long seq = 40; seq < 43; seq++) {
      try (RawFrame f = s.next()) {
        assertThat(f.meta().sequence()).isEqualTo(seq);
      }
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> decoder.made() == 4);
    s.close();
    assertThat(reserved).as("the frame decoded ahead and never taken reserved no number").containsExactly(40L, 41L,
        42L);
    assertThat(decoder.releases()).hasSize(4).allSatisfy((seq, n) -> assertThat(n).as("frame " + seq).isOne());
    assertThat(decoder.closes).hasValue(1);
  }

  @Test
  void closingReleasesTheFrameDecodedAheadOnceAndClosesTheDecoderOnce() throws Exception {
    TrackedSource decoder = new TrackedSource(100);
    FrameSource s = ReadAheadSource.of(decoder);
    RawFrame first = s.next();
    await().atMost(Duration.ofSeconds(10)).until(() -> decoder.made() == 2);
    s.close();
    s.close();
    assertThat(decoder.releases()).containsEntry(1L, 1).containsEntry(0L, 0);
    first.close();
    assertThat(decoder.releases()).containsEntry(0L, 1);
    assertThat(decoder.made()).isEqualTo(2);
    assertThat(decoder.closes).hasValue(1);
  }

  @Test
  void aDecoderFailureComesAfterTheFramesBeforeIt() throws Exception {
    TrackedSource decoder = new TrackedSource(10) {
      @Override
      public RawFrame next() throws CaptureException, InterruptedException {
        if (made() == 2) {
          throw new CaptureException("broken file", false);
        }
        return super.next();
      }
    };
    try (FrameSource s = ReadAheadSource.of(decoder)) {
      s.next().close();
      s.next().close();
      assertThatThrownBy(s::next).isInstanceOf(CaptureException.class).hasMessage("broken file");
    }
    assertThat(decoder.releases()).containsExactly(java.util.Map.entry(0L, 1), java.util.Map.entry(1L, 1));
  }

  @Test
  void theCountersAreTheDecodersOnceClosed() {
    TrackedSource decoder = new TrackedSource(3) {
      @Override
      public long unreadable() {
        return 7;
      }
    };
    FrameSource s = ReadAheadSource.of(decoder);
    s.close();
    assertThat(s.unreadable()).isEqualTo(7);
  }

  @Test
  void aLiveSourceIsLeftAsItIsItHasItsOwnDropOldestBuffer() {
    TrackedSource camera = new TrackedSource(3) {
      @Override
      public boolean live() {
        return true;
      }
    };
    assertThat(ReadAheadSource.of(camera)).isSameAs(camera);
  }
}
