package dev.edgeagent.pipeline;

import dev.edgeagent.detect.DropReason;
import dev.edgeagent.encode.FrameSink;
import dev.edgeagent.events.FrameEvents;
import dev.edgeagent.health.AgentMetrics;
import dev.edgeagent.redact.AnonymizedFrame;
import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A camera's last stage, on its own thread ({@code sink-<camera>}): anonymized frames from the
 * bounded queue to the sink (encode, then write or publish), in their order, each announced on
 * the event bus once the sink has it. A full queue blocks the stage before it (backpressure).
 * After the sink failed, the frames still coming are released and counted, and
 * {@code onFailure} asks the camera to stop. Every frame taken from the queue is closed here.
 */
final class SinkStage {
  private static final Logger LOG = LoggerFactory.getLogger(SinkStage.class);
  private static final Object END = new Object();

  private final String camera;
  private final FrameSink sink;
  private final BlockingQueue<Object> queue;
  private final AgentMetrics metrics;
  private final FrameEvents events;
  private final Runnable onFailure;
  private final Thread thread;
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private volatile IOException failure;

  SinkStage(String camera, FrameSink sink, BlockingQueue<Object> queue, AgentMetrics metrics, FrameEvents events,
      Runnable onFailure) {
    this.camera = camera;
    this.sink = sink;
    this.queue = queue;
    this.metrics = metrics;
    this.events = events;
    this.onFailure = onFailure;
    this.thread = new Thread(this::drain, "sink-" + camera);
    thread.start();
  }

  /** Waits until every frame queued so far has been through the sink. */
  void finish() throws InterruptedException {
    queue.put(END);
    thread.join();
  }

  /** Closes the sink after {@link #finish()}, or aborts it naming why the run stopped. */
  void close(String aborted) {
    try {
      if (aborted != null) {
        sink.abort(aborted);
      } else {
        sink.close();
      }
    } catch (IOException e) {
      failure = failure == null ? e : failure;
    }
  }

  long written() {
    return written.get();
  }

  long errors() {
    return errors.get();
  }

  /** The sink's first failure, or null. */
  IOException failure() {
    return failure;
  }

  private void drain() {
    try {
      while (true) {
        Object item = queue.take();
        if (item == END) {
          break;
        }
        try (AnonymizedFrame f = (AnonymizedFrame) item) {
          if (failure == null) {
            sink.accept(f);
            written.incrementAndGet();
            metrics.frameAnonymized(f.meta().cameraId());
            announce(f);
          } else {
            errors.incrementAndGet();
            metrics.frameDropped(f.meta().cameraId(), DropReason.SINK_ERROR);
          }
        } catch (IOException | RuntimeException e) {
          errors.incrementAndGet();
          metrics.frameDropped(camera, DropReason.SINK_ERROR);
          failure = e instanceof IOException io ? io : new IOException(e.toString(), e);
          onFailure.run();
          LOG.error("event=sink_failed camera={} reason=\"{}\"", camera, e.getMessage());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The frame reached the sink: tell the event bus; a failure here never touches the frame's fate. */
  private void announce(AnonymizedFrame f) {
    try {
      events.frameDone(f, System.nanoTime() - f.meta().monotonicNanos());
    } catch (RuntimeException e) {
      LOG.warn("event=frame_event_failed camera={} seq={} reason=\"{}\"", f.meta().cameraId(), f.meta().sequence(),
          e.toString());
    }
  }
}
