package dev.edgeagent.capture;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes a live device or stream on its own thread into a small drop-oldest buffer: when the
 * pipeline is behind, the oldest waiting frame is discarded (and counted), so the frame the
 * pipeline takes next is always recent and memory stays bounded.
 */
final class LiveSource implements FrameSource {
  private static final Logger LOG = LoggerFactory.getLogger(LiveSource.class);

  private final FrameSource decoder;
  private final int capacity;
  private final ArrayDeque<RawFrame> buffer = new ArrayDeque<>();
  private final AtomicLong dropped = new AtomicLong();
  private final Thread reader;
  private volatile boolean closed;
  private volatile CaptureException failure;

  LiveSource(FrameSource decoder, int capacity) {
    this.decoder = decoder;
    this.capacity = Math.max(1, capacity);
    this.reader = new Thread(this::readLoop, "capture-" + decoder.cameraId());
    reader.setDaemon(true);
    reader.start();
  }

  private void readLoop() {
    try {
      while (!closed) {
        RawFrame f = decoder.next();
        if (f == null) {
          break;
        }
        offer(f);
      }
    } catch (CaptureException e) {
      failure = e;
      LOG.warn("event=capture_failed camera={} reason=\"{}\"", decoder.cameraId(), e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      synchronized (buffer) {
        closed = true;
        buffer.notifyAll();
      }
    }
  }

  /** Adds a frame, discarding the oldest waiting one when full. Visible for tests. */
  void offer(RawFrame f) {
    synchronized (buffer) {
      if (buffer.size() >= capacity) {
        buffer.pollFirst().close();
        dropped.incrementAndGet();
      }
      buffer.addLast(f);
      buffer.notifyAll();
    }
  }

  @Override
  public RawFrame next() throws CaptureException, InterruptedException {
    synchronized (buffer) {
      while (buffer.isEmpty() && !closed) {
        buffer.wait();
      }
      RawFrame f = buffer.pollFirst();
      if (f == null && failure != null) {
        throw failure;
      }
      return f;
    }
  }

  @Override
  public String cameraId() {
    return decoder.cameraId();
  }

  @Override
  public boolean live() {
    return true;
  }

  @Override
  public long droppedOldest() {
    return dropped.get();
  }

  @Override
  public void close() {
    closed = true;
    reader.interrupt();
    synchronized (buffer) {
      buffer.forEach(RawFrame::close);
      buffer.clear();
      buffer.notifyAll();
    }
    decoder.close();
  }
}
