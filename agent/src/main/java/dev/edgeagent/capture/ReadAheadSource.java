package dev.edgeagent.capture;

/**
 * Decodes a file's or folder's next frame on a thread of its own ({@code decode-<camera>})
 * while the pipeline works on the current one, so decoding and colour conversion overlap with
 * inference instead of waiting for it (ADR 0022). It holds at most one frame ahead: a file
 * source is still slowed down by a slow pipeline (backpressure), it only starts its next frame
 * earlier. Live sources are returned as they are by {@link #of}: they already decode on their
 * own thread into a drop-oldest buffer, and a second buffer would be a backlog.
 *
 * <p>A failure of the decoder reaches {@link #next()} in its place in the stream, after the
 * frames decoded before it. The counters ({@link #unreadable()}, ...) may run one frame ahead of
 * the frames taken; they are exact once the source is closed. {@link #close()} releases the frame
 * held ahead (it never leaves) and waits for a decode in progress before closing the decoder, so
 * the decoder is never closed under its own thread.
 */
public final class ReadAheadSource implements FrameSource {
  private final FrameSource decoder;
  private final Thread reader;
  private final Object lock = new Object();
  private RawFrame ahead; // guarded by lock
  private boolean ended; // guarded by lock: the decoder returned null or failed
  private boolean closed; // guarded by lock
  private Exception failure; // guarded by lock: CaptureException or RuntimeException
  private Error fatal; // guarded by lock
  private volatile long unreadable;
  private volatile long unsequenced;

  private ReadAheadSource(FrameSource decoder) {
    this.decoder = decoder;
    this.reader = new Thread(this::readLoop, "decode-" + decoder.cameraId());
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * {@code source} reading one frame ahead, or {@code source} itself when it is live. Under a
   * {@link SequencedSource} the read-ahead goes beneath the numbering, so frames are numbered
   * when taken, not when decoded.
   */
  public static FrameSource of(FrameSource source) {
    if (source.live()) {
      return source;
    }
    if (source instanceof SequencedSource numbered) {
      return numbered.over(ReadAheadSource::new);
    }
    return new ReadAheadSource(source);
  }

  private void readLoop() {
    try {
      while (waitForRoom()) {
        RawFrame f = decoder.next();
        unreadable = decoder.unreadable();
        unsequenced = decoder.unsequenced();
        if (!handOver(f)) {
          return;
        }
      }
    } catch (CaptureException | RuntimeException e) {
      end(e, null);
    } catch (Error e) {
      end(null, e);
      throw e;
    } catch (InterruptedException e) {
      end(null, null); // nobody interrupts this thread but the JVM going down
    }
  }

  /** Waits until the frame ahead was taken; false once closed. */
  private boolean waitForRoom() throws InterruptedException {
    synchronized (lock) {
      while (ahead != null && !closed) {
        lock.wait();
      }
      return !closed;
    }
  }

  /** Offers a decoded frame (null: the end); false when reading is over. */
  private boolean handOver(RawFrame f) {
    synchronized (lock) {
      if (closed) {
        if (f != null) {
          f.close(); // decoded while the source was being closed: it never leaves
        }
        return false;
      }
      if (f == null) {
        ended = true;
      } else {
        ahead = f;
      }
      lock.notifyAll();
      return f != null;
    }
  }

  private void end(Exception e, Error err) {
    synchronized (lock) {
      ended = true;
      failure = e;
      fatal = err;
      lock.notifyAll();
    }
  }

  @Override
  public RawFrame next() throws CaptureException, InterruptedException {
    synchronized (lock) {
      while (ahead == null && !ended && !closed) {
        lock.wait();
      }
      if (ahead != null) {
        RawFrame f = ahead;
        ahead = null;
        lock.notifyAll();
        return f;
      }
      if (fatal != null) {
        throw fatal;
      }
      if (failure instanceof CaptureException e) {
        throw e;
      }
      if (failure instanceof RuntimeException e) {
        throw e;
      }
      return null;
    }
  }

  @Override
  public String cameraId() {
    return decoder.cameraId();
  }

  @Override
  public boolean live() {
    return false;
  }

  @Override
  public boolean continuous() {
    return decoder.continuous();
  }

  @Override
  public long unreadable() {
    return unreadable;
  }

  @Override
  public long unsequenced() {
    return unsequenced;
  }

  @Override
  public long expectedFrames() {
    return decoder.expectedFrames();
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      if (ahead != null) {
        ahead.close();
        ahead = null;
      }
      lock.notifyAll();
    }
    joinReader();
    unreadable = decoder.unreadable();
    unsequenced = decoder.unsequenced();
    decoder.close();
  }

  /**
   * Waits for a decode in progress (one frame of a file: short) even when interrupted, since
   * closing the decoder under it would free what it is writing; the interrupt is kept.
   */
  private void joinReader() {
    boolean interrupted = false;
    while (reader.isAlive()) {
      try {
        reader.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
