package dev.edgeagent.pipeline;

import dev.edgeagent.capture.RawFrame;
import dev.edgeagent.detect.DropReason;
import dev.edgeagent.enhance.EnhanceException;
import dev.edgeagent.enhance.EnhanceStage;
import dev.edgeagent.inspect.AnomalyWatch;
import dev.edgeagent.health.AgentMetrics;
import dev.edgeagent.redact.AnonymizedFrame;
import dev.edgeagent.track.TrackedBox;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frames leaving the look-ahead line, in their order: redacted ({@link FrameProcessor#redact},
 * or blacked out), enhanced (super-resolution of the anonymized frame), given the camera's newest
 * crop-anomaly summary when that watch runs (ADR 0021) and queued for the sink.
 *
 * <p>With overlap (ADR 0022, {@code pipeline.overlap}) this runs on a thread of its own
 * ({@code redact-<camera>}) behind a hand-off of one frame, so the camera thread searches frame
 * n+1 while frame n is redacted: on a GPU the model is then not idle while the CPU redacts, and
 * the CPU not idle while the model runs. One thread keeps the camera's order. Without overlap
 * it runs on the caller's thread, as before.
 *
 * <p>Fail closed: a frame handed over is redacted and queued, or released and counted as
 * dropped; never let out raw. {@link #finish()} returns only once every frame handed over has
 * gone one way or the other.
 */
final class RedactionStage {
  private static final Logger LOG = LoggerFactory.getLogger(RedactionStage.class);

  /** A frame whose boxes are final, to redact with them (or to black out). */
  record Job(RawFrame raw, List<TrackedBox> boxes, boolean blackOut) {}

  private static final Job END = new Job(null, List.of(), false);

  private final String camera;
  private final FrameProcessor processor;
  private final EnhanceStage enhance;
  /** The crop-anomaly watch (inspect.enabled), or null. */
  private final AnomalyWatch anomaly;
  private final AgentMetrics metrics;
  private final BlockingQueue<Object> sinkQueue;
  private final BlockingQueue<Job> handOff;
  private final Thread thread;
  private final AtomicLong dropped = new AtomicLong();
  private volatile Throwable failure;

  private RedactionStage(String camera, FrameProcessor processor, EnhanceStage enhance, AnomalyWatch anomaly,
      AgentMetrics metrics, BlockingQueue<Object> sinkQueue, boolean ownThread) {
    this.camera = camera;
    this.processor = processor;
    this.enhance = enhance;
    this.anomaly = anomaly;
    this.metrics = metrics;
    this.sinkQueue = sinkQueue;
    this.handOff = ownThread ? new ArrayBlockingQueue<>(1) : null;
    this.thread = ownThread ? new Thread(this::loop, "redact-" + camera) : null;
    if (thread != null) {
      thread.start();
    }
  }

  /** Redaction on a thread of its own, overlapping the caller's next detection. */
  static RedactionStage overlapped(String camera, FrameProcessor processor, EnhanceStage enhance,
      AnomalyWatch anomaly, AgentMetrics metrics, BlockingQueue<Object> sinkQueue) {
    return new RedactionStage(camera, processor, enhance, anomaly, metrics, sinkQueue, true);
  }

  /** Redaction on the caller's thread. */
  static RedactionStage inline(String camera, FrameProcessor processor, EnhanceStage enhance, AnomalyWatch anomaly,
      AgentMetrics metrics, BlockingQueue<Object> sinkQueue) {
    return new RedactionStage(camera, processor, enhance, anomaly, metrics, sinkQueue, false);
  }

  /**
   * Takes over {@code job.raw()}: it is redacted and queued, or released. Blocks while the frame
   * before it is still being redacted (or, inline, while the sink queue is full).
   *
   * @throws InterruptedException the frame was released and counted as dropped
   */
  void submit(Job job) throws InterruptedException {
    if (thread == null) {
      process(job);
      return;
    }
    rethrowFailure(job);
    try {
      handOff.put(job);
    } catch (InterruptedException e) {
      discard(job);
      throw e;
    }
  }

  /**
   * Waits until every frame handed over was queued for the sink or released; returns how many
   * were dropped. Interrupted, it makes the stage release what is left instead of redacting it.
   */
  long finish() throws InterruptedException {
    if (thread != null) {
      boolean endHandedOver = false;
      try {
        handOff.put(END);
        endHandedOver = true;
        thread.join();
      } catch (InterruptedException e) {
        // hurry: the stage releases what is left; waiting for it stays, or it could queue a
        // frame after the sink's end, where nobody would ever close it
        thread.interrupt();
        if (!endHandedOver) {
          putUninterruptibly(END);
        }
        joinUninterruptibly();
        throw e;
      }
    }
    return dropped.get();
  }

  /** Frames handed over but not yet taken up (0 or 1), for the gauge. */
  int waiting() {
    return handOff == null ? 0 : handOff.size();
  }

  private void loop() {
    boolean interrupted = false;
    while (true) {
      Job job;
      try {
        job = handOff.take();
      } catch (InterruptedException e) {
        interrupted = true;
        continue; // finish() still hands over END; until then nothing may be left behind
      }
      if (job == END) {
        return;
      }
      if (interrupted || failure != null) {
        discard(job);
        continue;
      }
      try {
        process(job);
      } catch (InterruptedException e) {
        interrupted = true; // the frame itself was released in process
      } catch (RuntimeException | Error e) {
        failure = e;
        LOG.error("event=redaction_stage_failed camera={} seq={} reason=\"{}\"", camera, job.raw().meta().sequence(),
            e.toString());
        discard(job);
      }
    }
  }

  /** Redacts (or blacks out) one frame, enhances it, adds the anomaly summary and queues it for the sink. */
  private void process(Job job) throws InterruptedException {
    long capturedAt = job.raw().meta().monotonicNanos();
    FrameProcessor.Outcome out = job.blackOut() ? processor.blackOut(job.raw())
        : processor.redact(job.raw(), job.boxes());
    if (out.frame() == null) {
      dropped.incrementAndGet(); // counted by reason in the processor
      return;
    }
    AnonymizedFrame f = enhance(out.frame());
    if (anomaly != null) {
      f = anomaly.attach(f); // never waits for scoring
    }
    try {
      sinkQueue.put(f);
    } catch (InterruptedException e) {
      f.close();
      dropped.incrementAndGet();
      metrics.frameDropped(camera, DropReason.PIPELINE_ERROR);
      throw e;
    }
    metrics.frameLatency(System.nanoTime() - capturedAt);
  }

  /** Super-resolution of the anonymized frame; when it fails the frame goes on without it. */
  private AnonymizedFrame enhance(AnonymizedFrame f) {
    try {
      return enhance.apply(f);
    } catch (EnhanceException | RuntimeException e) {
      metrics.enhanceFailed(f.meta().cameraId());
      LOG.warn("event=enhance_failed camera={} seq={} reason=\"{}\" effect=published_without_sr",
          f.meta().cameraId(), f.meta().sequence(), e.getMessage());
      return f;
    }
  }

  /** A frame that will not be redacted any more: released, counted. */
  private void discard(Job job) {
    job.raw().close();
    dropped.incrementAndGet();
    metrics.frameDropped(camera, DropReason.PIPELINE_ERROR);
  }

  /** After the stage failed, the camera thread fails with it (as it did when it redacted itself). */
  private void rethrowFailure(Job job) {
    Throwable t = failure;
    if (t == null) {
      return;
    }
    discard(job);
    if (t instanceof Error e) {
      throw e;
    }
    throw new IllegalStateException("the redaction stage of camera " + camera + " failed: " + t, t);
  }

  /** The stage, interrupted, releases what it is handed, so this wait is short. */
  private void putUninterruptibly(Job job) {
    while (true) {
      try {
        handOff.put(job);
        return;
      } catch (InterruptedException e) {
        // keep trying: END must reach the stage
      }
    }
  }

  private void joinUninterruptibly() {
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        // keep waiting (see finish)
      }
    }
  }
}
