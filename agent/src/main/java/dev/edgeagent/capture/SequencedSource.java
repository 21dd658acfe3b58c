package dev.edgeagent.capture;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Numbers a source's frames from {@code first} on, telling {@code onUse} before each number is
 * used, so a camera's sequence can continue across restarts instead of starting at 0.
 */
public final class SequencedSource implements FrameSource {
  private static final Logger LOG = LoggerFactory.getLogger(SequencedSource.class);

  /** Called with each sequence number before a frame carries it. */
  public interface SequenceListener {
    void use(String camera, long sequence) throws IOException;
  }

  private final FrameSource delegate;
  private final SequenceListener onUse;
  private long next;
  private long unsequenced;

  public SequencedSource(FrameSource delegate, long first, SequenceListener onUse) {
    this.delegate = delegate;
    this.next = first;
    this.onUse = onUse;
  }

  @Override
  public RawFrame next() throws CaptureException, InterruptedException {
    while (true) {
      RawFrame f = delegate.next();
      if (f == null) {
        return null;
      }
      long seq = next++;
      try {
        onUse.use(delegate.cameraId(), seq);
        return new RawFrame(f.meta().withSequence(seq), f.surrenderPixels());
      } catch (IOException e) {
        // Without a durable sequence, ids could repeat after a restart, so this frame cannot
        // go out; a full disk is usually brief (the spool frees space), so the camera goes on
        // and the next frame tries to reserve again.
        f.close();
        if (unsequenced++ % 100 == 0) {
          LOG.warn("event=sequence_unsaved camera={} sequence={} dropped_total={} reason=\"{}\"",
              delegate.cameraId(), seq, unsequenced, e.getMessage());
        }
      }
    }
  }

  /**
   * The same numbering, from where it stands, over {@code wrap(delegate)}. A read-ahead
   * ({@link ReadAheadSource}) goes under the numbers this way, so a frame is numbered (and its
   * number reserved) only when it is taken: one decoded ahead and never taken, at a stop or at
   * {@code pipeline.max_frames}, uses no number and leaves no gap in the camera's sequence.
   */
  public SequencedSource over(java.util.function.UnaryOperator<FrameSource> wrap) {
    SequencedSource s = new SequencedSource(wrap.apply(delegate), next, onUse);
    s.unsequenced = unsequenced;
    return s;
  }

  @Override
  public long unsequenced() {
    return unsequenced;
  }

  @Override
  public String cameraId() {
    return delegate.cameraId();
  }

  @Override
  public boolean live() {
    return delegate.live();
  }

  @Override
  public boolean continuous() {
    return delegate.continuous();
  }

  @Override
  public long droppedOldest() {
    return delegate.droppedOldest();
  }

  @Override
  public long unreadable() {
    return delegate.unreadable();
  }

  @Override
  public long expectedFrames() {
    return delegate.expectedFrames();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
