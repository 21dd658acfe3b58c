package dev.edgeagent.capture;

import java.io.IOException;

/**
 * Numbers a source's frames from {@code first} on, telling {@code onUse} before each number is
 * used, so a camera's sequence can continue across restarts instead of starting at 0.
 */
public final class SequencedSource implements FrameSource {

  /** Called with each sequence number before a frame carries it. */
  public interface SequenceListener {
    void use(String camera, long sequence) throws IOException;
  }

  private final FrameSource delegate;
  private final SequenceListener onUse;
  private long next;

  public SequencedSource(FrameSource delegate, long first, SequenceListener onUse) {
    this.delegate = delegate;
    this.next = first;
    this.onUse = onUse;
  }

  @Override
  public RawFrame next() throws CaptureException, InterruptedException {
    RawFrame f = delegate.next();
    if (f == null) {
      return null;
    }
    long seq = next++;
    try {
      onUse.use(delegate.cameraId(), seq);
    } catch (IOException e) {
      // Without a durable sequence, ids could repeat after a restart: stop this camera instead.
      f.close();
      throw new CaptureException("cannot record sequence " + seq + " of camera " + delegate.cameraId()
          + ": " + e.getMessage(), false, e);
    }
    return new RawFrame(f.meta().withSequence(seq), f.surrenderPixels());
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
