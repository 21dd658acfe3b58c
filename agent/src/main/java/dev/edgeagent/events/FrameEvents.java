package dev.edgeagent.events;

import dev.edgeagent.detect.ModelInfo;
import dev.edgeagent.encode.PreviewEncoder;
import dev.edgeagent.redact.AnonymizedFrame;
import dev.edgeagent.redact.Redaction;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one place that publishes on the event bus. Cameras call it from their own threads after a
 * frame reached the sink; it publishes that frame's {@link FrameEvent} and, while someone
 * watches and at most {@link #previewFps()} per camera, a preview JPEG of the anonymized output.
 * Publishing on the Vert.x event bus is thread-safe and does not block; a message nobody
 * consumes is discarded.
 */
public final class FrameEvents {
  /** For runs without an event bus (batch anonymize, tests): publishes nothing. */
  public static final FrameEvents NONE = new FrameEvents(null, null, 0);

  private final EventBus bus;
  private final PreviewEncoder preview;
  private final double previewFps;
  private final long previewIntervalNanos;
  private final Map<String, AtomicLong> lastPreviewNanos = new ConcurrentHashMap<>();
  private final AtomicInteger watchers = new AtomicInteger();
  private final java.util.function.LongSupplier nanoTime;

  /**
   * @param previewFps previews per second and camera at most; 0 for none
   */
  public FrameEvents(EventBus bus, PreviewEncoder preview, double previewFps) {
    this(bus, preview, previewFps, System::nanoTime);
  }

  /** @param nanoTime the monotonic clock the preview throttle reads (tests pass their own) */
  FrameEvents(EventBus bus, PreviewEncoder preview, double previewFps, java.util.function.LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
    if (previewFps < 0 || previewFps > 30) {
      throw new IllegalArgumentException("preview frames/s must be 0..30, got " + previewFps);
    }
    this.bus = bus;
    this.preview = preview;
    this.previewFps = previewFps;
    this.previewIntervalNanos = previewFps == 0 ? Long.MAX_VALUE : (long) (1e9 / previewFps);
  }

  public double previewFps() {
    return previewFps;
  }

  /**
   * Someone watches the previews from now until the returned handle is closed; previews are only
   * encoded while at least one does.
   */
  public AutoCloseable watchPreview() {
    watchers.incrementAndGet();
    java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    return () -> {
      if (closed.compareAndSet(false, true)) {
        watchers.decrementAndGet();
      }
    };
  }

  /** A frame was handed to the sink: its metadata, and a preview when one is due. */
  public void frameDone(AnonymizedFrame frame, long latencyNanos) {
    if (bus == null) {
      return;
    }
    bus.publish(EventAddresses.FRAMES, describe(frame, latencyNanos).toJson());
    if (preview != null && previewFps > 0 && watchers.get() > 0 && frame.anonymized() && previewDue(frame.meta().cameraId())) {
      byte[] jpeg = preview.encode(frame);
      bus.publish(EventAddresses.preview(frame.meta().cameraId()), Buffer.buffer(jpeg),
          new DeliveryOptions().addHeader("camera", frame.meta().cameraId())
              .addHeader("seq", Long.toString(frame.meta().sequence())));
    }
  }

  public void cameraState(CameraStateEvent e) {
    if (bus != null) {
      bus.publish(EventAddresses.CAMERA_STATE, e.toJson());
    }
  }

  private boolean previewDue(String camera) {
    long now = nanoTime.getAsLong();
    AtomicLong last = lastPreviewNanos.computeIfAbsent(camera, c -> new AtomicLong(now - previewIntervalNanos));
    long prev = last.get();
    return now - prev >= previewIntervalNanos && last.compareAndSet(prev, now);
  }

  static FrameEvent describe(AnonymizedFrame f, long latencyNanos) {
    List<FrameEvent.Region> regions = f.redactions().stream().map(FrameEvents::region).toList();
    List<String> models = f.models().stream().map(FrameEvents::modelId).toList();
    return new FrameEvent(f.meta().cameraId(), f.meta().sequence(), f.meta().wallMillis(), f.meta().width(),
        f.meta().height(), regions, models, latencyNanos / 1e6);
  }

  private static FrameEvent.Region region(Redaction r) {
    return new FrameEvent.Region(r.cls().label(), r.score(), (int) Math.round(r.redacted().x()),
        (int) Math.round(r.redacted().y()), (int) Math.round(r.redacted().w()), (int) Math.round(r.redacted().h()));
  }

  private static String modelId(ModelInfo m) {
    return m.id() + "@" + (m.sha256() == null ? "unpinned" : m.sha256().substring(0, Math.min(12, m.sha256().length())));
  }
}
