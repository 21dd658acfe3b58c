package dev.edgeagent.pipeline;

import dev.edgeagent.capture.CaptureException;
import dev.edgeagent.capture.FrameSource;
import dev.edgeagent.capture.RawFrame;
import dev.edgeagent.capture.ReadAheadSource;
import dev.edgeagent.detect.DetectionStage;
import dev.edgeagent.detect.DetectorException;
import dev.edgeagent.detect.DropReason;
import dev.edgeagent.encode.FrameSink;
import dev.edgeagent.enhance.EnhanceStage;
import dev.edgeagent.health.AgentMetrics;
import dev.edgeagent.track.BoxTracker;
import dev.edgeagent.track.TrackOptions;
import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One camera's path, top to bottom: capture, detect ({@link FrameProcessor#detect}), track
 * ({@link BoxTracker}), the look-ahead line ({@link LookaheadLine}: a frame waits there until
 * later frames can no longer change what is redacted on it), redact
 * ({@link FrameProcessor#redact}), optional super-resolution of the anonymized frame and the
 * camera's newest crop-anomaly summary when that watch runs ({@link RedactionStage}), then a bounded queue to the sink thread (encode and write or
 * publish, {@link SinkStage}). Tracking and look-ahead apply only when the source's frames form
 * one sequence ({@link FrameSource#continuous()}; unrelated stills are each redacted on their
 * own), and the look-ahead of a live camera is its own, shorter one
 * ({@link TrackOptions#lookaheadFor}). When the camera ends, stops or fails, every frame still in
 * the line is redacted with what is known, never let out raw. A full sink queue blocks the stages before it, which slows a file source
 * down (backpressure) and makes a live source drop its oldest frames (counted).
 *
 * <p>Threads: this one searches, tracks and holds the line. With overlap (ADR 0022, the
 * default) a file's next frame is decoded on its own thread meanwhile ({@link ReadAheadSource},
 * one frame ahead) and redaction runs on its own thread behind a hand-off of one frame, so the
 * CPU work of a camera overlaps with its model runs; every hand-off is bounded and keeps the
 * frames' order. Never on an event loop.
 * Owns the source and the sink and closes both when the camera ends.
 */
public final class CameraPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(CameraPipeline.class);

  /** Called after each frame with frames done so far. */
  public interface Progress {
    void update(long processed, long expected);
  }

  /**
   * What a frame the detectors fail on becomes. A live camera drops it (fail closed, counted);
   * a batch first retries it with a patient time limit, then either stops the run
   * ({@link #ABORT}: nothing after it is written and the sink is {@linkplain FrameSink#abort
   * aborted}) or writes it fully black ({@link #BLACK}: a video keeps its timing and frame count).
   */
  public enum OnFailure { DROP, ABORT, BLACK }

  /**
   * What happened to a camera's frames.
   *
   * @param aborted why the run stopped on a frame it could not search ({@link OnFailure#ABORT}),
   *     naming the frame; null when it did not
   * @param unreadable inputs the source skipped (images undecodable or over the limits)
   */
  public record Result(String camera, long captured, long anonymized, long dropped, long sinkErrors,
      long liveDropped, IOException sinkFailure, CaptureException captureFailure, String aborted, long unreadable) {}

  private final FrameSource source;
  private final Components components;
  private FrameProcessor processor;
  private final EnhanceStage enhanceStage;
  private final FrameSink sink;
  private final AgentMetrics metrics;
  private final BoxTracker tracker;
  private final LookaheadLine line;
  private final boolean continuous;
  private final long maxFrames;
  private final BlockingQueue<Object> queue;
  private final Progress progress;
  private volatile boolean stopRequested;
  private OnFailure onFailure = OnFailure.DROP;
  private long patientTimeoutMillis;
  private final java.util.Set<Long> toBlackOut = new java.util.HashSet<>();
  private String aborted;
  private boolean overlap = true;
  private volatile RedactionStage redactionNow;
  private dev.edgeagent.events.FrameEvents events = dev.edgeagent.events.FrameEvents.NONE;

  public CameraPipeline(FrameSource source, Components components, FrameSink sink, TrackOptions track,
      int queueCapacity, long maxFrames, Progress progress) {
    this.source = source;
    this.components = components;
    this.processor = new FrameProcessor(components);
    this.enhanceStage = components.enhance();
    this.sink = sink;
    this.metrics = components.metrics();
    this.continuous = source.continuous();
    int lookahead = track.lookaheadFor(continuous, source.live());
    this.tracker = new BoxTracker(track.holdFrames(), lookahead, components.redactor().margin());
    this.line = new LookaheadLine(lookahead);
    this.maxFrames = maxFrames;
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
    this.progress = progress;
    metrics.gauge("edgeagent.queue.depth", "Redacted frames waiting for the sink thread", null, "camera",
        source.cameraId(), queue::size);
    metrics.gauge("edgeagent.lookahead.depth", "Frames held in the look-ahead line before redaction is final",
        null, "camera", source.cameraId(), line::size);
    metrics.gauge("edgeagent.redact.depth", "Frames handed to the redaction thread, not yet taken up (overlap)",
        null, "camera", source.cameraId(), () -> redactionNow == null ? 0 : redactionNow.waiting());
  }

  /**
   * Batch behaviour for frames the detectors fail on (default {@link OnFailure#DROP}, the live
   * rule); {@code patientTimeoutMillis} is the retry's time limit per frame.
   */
  public CameraPipeline onDetectorFailure(OnFailure policy, long patientTimeoutMillis) {
    if (patientTimeoutMillis <= 0) {
      throw new IllegalArgumentException("the retry's time limit must be positive, not " + patientTimeoutMillis);
    }
    this.onFailure = java.util.Objects.requireNonNull(policy);
    this.patientTimeoutMillis = patientTimeoutMillis;
    return this;
  }

  /**
   * Batch review: {@code review} sees every region before it is removed and may keep one an
   * explicit keep list names ({@code anonymize --review / --keep}). Live cameras have none.
   */
  public CameraPipeline review(RegionReview review) {
    this.processor = new FrameProcessor(components, review);
    return this;
  }

  /** Where each finished frame is announced (metadata, and previews for the status page). */
  public CameraPipeline events(dev.edgeagent.events.FrameEvents events) {
    this.events = java.util.Objects.requireNonNull(events);
    return this;
  }

  /** Asks the capture loop to stop after the frame in hand; queued frames still reach the sink. */
  public void stop() {
    stopRequested = true;
  }

  /**
   * Whether the CPU work of a frame overlaps with the search of its neighbours (ADR 0022,
   * {@code pipeline.overlap}, default on): a file's next frame is decoded while the current one
   * is searched, and a frame is redacted while the next one is searched. Off, one thread does
   * everything in turn, as before.
   */
  public CameraPipeline overlap(boolean on) {
    this.overlap = on;
    return this;
  }

  /** Runs until the source ends, {@code maxFrames} is reached or {@link #stop()}; then drains the sink. */
  public Result run() throws InterruptedException {
    String cam = source.cameraId();
    // decode (read ahead, files only) -> search, track, look-ahead (this thread) -> redact,
    // enhance (own thread, or this one without overlap) -> sink queue -> encode, write or publish
    FrameSource frames = overlap ? ReadAheadSource.of(source) : source;
    SinkStage sinking = new SinkStage(cam, sink, queue, metrics, events, this::stop);
    RedactionStage redaction = overlap
        ? RedactionStage.overlapped(cam, processor, enhanceStage, components.anomalyWatch(), metrics, queue)
        : RedactionStage.inline(cam, processor, enhanceStage, components.anomalyWatch(), metrics, queue);
    redactionNow = redaction;
    SourceCounts counts = new SourceCounts(cam, metrics);
    long captured = 0;
    long dropped = 0;
    long searched = 0;
    CaptureException captureFailure = null;
    try {
      while (!stopRequested && (maxFrames <= 0 || captured < maxFrames)) {
        RawFrame raw;
        try {
          raw = frames.next();
        } catch (CaptureException e) {
          captureFailure = e;
          LOG.warn("event=capture_failed camera={} reason=\"{}\"", cam, e.getMessage());
          break;
        }
        counts.report(frames);
        if (raw == null) {
          break;
        }
        captured++;
        metrics.frameCaptured(cam);
        if (!continuous) {
          tracker.reset(); // unrelated stills: a box from the previous photo means nothing here
        }
        if (!searchTrackAndHold(raw, continuous ? searched++ : 0, redaction)) {
          if (aborted != null) {
            break;
          }
          dropped++;
        }
        if (progress != null) {
          progress.update(captured, frames.expectedFrames());
        }
      }
    } finally {
      try {
        flushLine(redaction);
      } finally {
        line.close();
        try {
          dropped += redaction.finish();
        } finally {
          sinking.finish();
          frames.close();
          sinking.close(aborted);
        }
      }
    }
    counts.report(frames);
    return new Result(cam, captured, sinking.written(), dropped, sinking.errors(), frames.droppedOldest(),
        sinking.failure(), captureFailure, aborted, frames.unreadable());
  }

  /**
   * Searches frame {@code index} of the sequence, tracks it and puts it into the look-ahead line;
   * the frame that leaves the line (its boxes final now) goes to redaction. Returns false when the
   * frame was dropped (fail closed: released and counted) or the run stops ({@link #aborted}).
   */
  private boolean searchTrackAndHold(RawFrame raw, long index, RedactionStage redaction) throws InterruptedException {
    DetectionStage.Result found;
    LookaheadLine.Pending ready;
    try {
      found = onFailure == OnFailure.DROP ? processor.detect(raw, index) : searchForBatch(raw, index);
      if (found == null) {
        return false;
      }
      ready = line.push(raw, tracker.step(found.detections(), found.searched()));
    } catch (InterruptedException | RuntimeException e) {
      raw.close(); // e.g. the stop timeout interrupted the search: the frame goes nowhere
      throw e;
    }
    if (ready != null) {
      redaction.submit(job(ready));
    }
    return true;
  }

  /**
   * A batch frame: searched with the configured limit, then once more with the patient one;
   * if that fails too, the frame is marked to be written black, or the run stops. Returns null
   * only when the run stops ({@link #aborted} set; {@code raw} released).
   */
  private DetectionStage.Result searchForBatch(RawFrame raw, long index) throws InterruptedException {
    DetectorException first;
    try {
      return processor.search(raw, index, 0);
    } catch (DetectorException e) {
      first = e;
    }
    String cam = source.cameraId();
    long seq = raw.meta().sequence();
    LOG.warn("event=detector_retry camera={} seq={} reason={} detail=\"{}\" timeout_ms={}", cam, seq,
        first.reason().label(), first.getMessage(), patientTimeoutMillis);
    metrics.detectorRetried(cam);
    try {
      return processor.search(raw, index, patientTimeoutMillis);
    } catch (DetectorException e) {
      if (onFailure == OnFailure.BLACK) {
        LOG.warn("event=frame_blacked_out camera={} seq={} reason={} detail=\"{}\"", cam, seq, e.reason().label(),
            e.getMessage());
        toBlackOut.add(seq);
        return new DetectionStage.Result(java.util.List.of(), java.util.Set.of());
      }
      aborted = "frame " + seq + " (" + raw.meta().sourceName() + "): " + e.reason().label() + ": " + e.getMessage()
          + " (also after a retry with a " + patientTimeoutMillis + " ms limit)";
      LOG.error("event=batch_aborted camera={} seq={} reason={} detail=\"{}\"", cam, seq, e.reason().label(),
          e.getMessage());
      raw.close();
      return null;
    }
  }

  /** A frame leaving the line, for the redaction stage: its final boxes, or black when it could not be searched. */
  private RedactionStage.Job job(LookaheadLine.Pending ready) {
    return new RedactionStage.Job(ready.raw(), ready.boxes(), toBlackOut.remove(ready.raw().meta().sequence()));
  }

  /** End of stream, stop or failure: what is still in the line is redacted with what is known. */
  private void flushLine(RedactionStage redaction) throws InterruptedException {
    line.revise(tracker.end());
    for (LookaheadLine.Pending p = line.poll(); p != null; p = line.poll()) {
      redaction.submit(job(p));
    }
  }

  /** The source's own counters (live drops, unreadable inputs, unsaved sequences), reported as they grow. */
  private static final class SourceCounts {
    private final String camera;
    private final AgentMetrics metrics;
    private long liveDropped;
    private long unreadable;
    private long unsequenced;

    SourceCounts(String camera, AgentMetrics metrics) {
      this.camera = camera;
      this.metrics = metrics;
    }

    void report(FrameSource s) {
      long d = s.droppedOldest();
      metrics.frameDropped(camera, DropReason.QUEUE_FULL.label(), d - liveDropped);
      liveDropped = d;
      long u = s.unreadable();
      metrics.inputsUnreadable(camera, u - unreadable);
      unreadable = u;
      long q = s.unsequenced();
      metrics.frameDropped(camera, DropReason.SEQUENCE_UNSAVED.label(), q - unsequenced);
      unsequenced = q;
    }
  }
}
