package dev.edgeagent.health;

import dev.edgeagent.detect.DropReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The agent's counters, all prefixed {@code edgeagent_}, in base units. Micrometer names map to
 * Prometheus names: {@code edgeagent.frames.dropped} becomes
 * {@code edgeagent_frames_dropped_total}, timers become {@code _seconds} histograms.
 */
public final class AgentMetrics {
  /**
   * Explicit buckets (seconds) instead of Micrometer's ~70 percentile-histogram buckets per
   * series: about a dozen each, spaced for the quantity. A frame takes milliseconds to seconds
   * from capture to the sink; a record can wait in the spool for minutes while the broker is away.
   */
  static final double[] FRAME_LATENCY_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  static final double[] INFERENCE_BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
  static final double[] ACK_LATENCY_BUCKETS = {0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 600};

  private static final String CAPTURED = "edgeagent.frames.captured";
  private static final String ANONYMIZED = "edgeagent.frames.anonymized";
  private static final String DROPPED = "edgeagent.frames.dropped";
  private static final String RETRIED = "edgeagent.frames.detector_retried";
  private static final String BLACKED_OUT = "edgeagent.frames.blacked_out";
  private static final String UNREADABLE = "edgeagent.inputs.unreadable";
  private static final String ENHANCE_FAILED = "edgeagent.enhance.failures";
  private static final String INSPECT_SCORED = "edgeagent.inspect.scored";
  private static final String INSPECT_FAILED = "edgeagent.inspect.failures";
  private static final String ACKED = "edgeagent.publish.acked";
  private static final String REENCODED = "edgeagent.publish.reencoded";
  private static final String PUBLISH_ERRORS = "edgeagent.publish.errors";
  private static final String PUBLISH_BYTES = "edgeagent.publish.bytes";
  private static final String REDACTED = "edgeagent.regions.redacted";
  private static final String KEPT = "edgeagent.regions.kept";
  private static final String INSIDE_FACES = "edgeagent.plates.inside_faces";
  private static final String FRAME_LATENCY = "edgeagent.frame.latency";
  private static final String ACK_LATENCY = "edgeagent.publish.latency";
  private static final String INFERENCE = "edgeagent.inference";
  private static final String CAMERA_FAILURES = "edgeagent.camera.failures";
  private static final String CAMERA_RESTARTS = "edgeagent.camera.restarts";

  /** Help text of every counter (Prometheus HELP), so a series reads the same whoever made it first. */
  private static final Map<String, String> HELP = Map.ofEntries(
      Map.entry(CAPTURED, "Frames read from the camera or file"),
      Map.entry(ANONYMIZED, "Frames redacted and handed to the sink (spooled or written)"),
      Map.entry(DROPPED, "Frames not published, by reason"),
      Map.entry(RETRIED, "Batch frames searched again with the patient limit after their detectors failed"),
      Map.entry(BLACKED_OUT, "Batch frames written fully black because their detectors failed (--on-failure black)"),
      Map.entry(UNREADABLE, "Input images skipped: undecodable or over the capture.max_image_* limits"),
      Map.entry(ENHANCE_FAILED, "Frames published without super-resolution because it failed on them"),
      Map.entry(INSPECT_SCORED, "Frames the crop-anomaly watch scored (inspect.enabled)"),
      Map.entry(INSPECT_FAILED, "Frames the crop-anomaly watch failed to score; the camera's records go without a summary"),
      Map.entry(ACKED, "Records the broker acknowledged (acks=all)"),
      Map.entry(REENCODED, "Frames that fitted the broker's record limit only after re-encoding at lower JPEG quality"),
      Map.entry(PUBLISH_ERRORS, "Records that failed for good, by exception type"),
      Map.entry(PUBLISH_BYTES, "Record value bytes the broker acknowledged"),
      Map.entry(REDACTED, "Regions removed from frames, by class"),
      Map.entry(KEPT, "Regions left unredacted because an explicit keep list named them (batch only)"),
      Map.entry(INSIDE_FACES, "Plate detections left to the face redaction that covers them"),
      Map.entry(CAMERA_FAILURES, "Times a camera failed: it could not be opened or its stream broke"),
      Map.entry(CAMERA_RESTARTS, "Times a failed live camera was opened again after its back-off"));

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ConcurrentHashMap<String, AtomicLong> totals = new ConcurrentHashMap<>();
  /** Where each gauge reads from now (see {@link #gauge}). */
  private final ConcurrentHashMap<String, AtomicReference<Supplier<Number>>> gaugeSources = new ConcurrentHashMap<>();

  /** The series that exist whatever the cameras are, registered at zero so a scrape shows them from the start. */
  public AgentMetrics() {
    registry.config().meterFilter(MetricsVertx.describeNetty());
    for (String cls : new String[] {"face", "plate"}) {
      counter(REDACTED, "class", cls);
    }
    Counter.builder(KEPT).description(HELP.get(KEPT)).register(registry);
    Counter.builder(INSIDE_FACES).description(HELP.get(INSIDE_FACES)).register(registry);
    Counter.builder(PUBLISH_BYTES).description(HELP.get(PUBLISH_BYTES)).baseUnit("bytes").register(registry);
    frameLatencyTimer();
    ackLatencyTimer();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /**
   * Registers every per-camera series at zero, each drop reason included, before the cameras
   * start: an alert on {@code rate(edgeagent_frames_dropped_total[5m])} then has a series to
   * look at before the first drop, and a camera that never delivers shows as 0, not as absent.
   */
  public void declareCameras(Collection<String> cameras) {
    for (String cam : cameras) {
      for (String name : List.of(CAPTURED, ANONYMIZED, RETRIED, BLACKED_OUT, UNREADABLE, ENHANCE_FAILED, ACKED,
          REENCODED, CAMERA_FAILURES, CAMERA_RESTARTS)) {
        counter(name, "camera", cam);
      }
      for (DropReason r : DropReason.values()) {
        dropCounter(cam, r.label());
      }
    }
  }

  /** Drop reasons a sink names itself (the spool's refusals), registered at zero like the others. */
  public void declareDropReasons(Collection<String> cameras, Collection<String> reasons) {
    for (String cam : cameras) {
      for (String reason : reasons) {
        dropCounter(cam, reason);
      }
    }
  }

  /** The camera could not be opened, or its stream broke. */
  public void cameraFailed(String camera) {
    count(CAMERA_FAILURES, "camera", camera);
  }

  /** A failed live camera is being opened again. */
  public void cameraRestarted(String camera) {
    count(CAMERA_RESTARTS, "camera", camera);
  }

  public void frameCaptured(String camera) {
    count(CAPTURED, "camera", camera);
  }

  /** A batch frame searched a second time, with the patient limit, after its detectors failed. */
  public void detectorRetried(String camera) {
    count(RETRIED, "camera", camera);
  }

  /** A batch frame its detectors failed on, written black instead ({@code --on-failure black}). */
  public void frameBlackedOut(String camera) {
    count(BLACKED_OUT, "camera", camera);
  }

  public void frameDropped(String camera, DropReason reason) {
    frameDropped(camera, reason.label(), 1);
  }

  public void frameDropped(String camera, String reason, long n) {
    if (n <= 0) {
      return;
    }
    dropCounter(camera, reason).increment(n);
    totals.computeIfAbsent("dropped." + reason, k -> new AtomicLong()).addAndGet(n);
  }

  /**
   * Inputs a source skipped and went on without (an image in a folder that cannot be decoded or
   * is over the capture.max_image_* limits): {@code edgeagent_inputs_unreadable_total}.
   */
  public void inputsUnreadable(String camera, long n) {
    if (n > 0) {
      counter(UNREADABLE, "camera", camera).increment(n);
      totals.computeIfAbsent("inputs.unreadable", k -> new AtomicLong()).addAndGet(n);
    }
  }

  /** A frame that left redaction and was handed to the sink (spooled, written). */
  public void frameAnonymized(String camera) {
    count(ANONYMIZED, "camera", camera);
  }

  /** Regions found but left unredacted because an explicit keep list named them (batch only). */
  public void regionsKept(long n) {
    if (n > 0) {
      Counter.builder(KEPT).description(HELP.get(KEPT)).register(registry).increment(n);
      totals.computeIfAbsent("regions.kept", k -> new AtomicLong()).addAndGet(n);
    }
  }

  public void regionsRedacted(String cls, long n) {
    if (n > 0) {
      counter(REDACTED, "class", cls).increment(n);
      totals.computeIfAbsent("regions." + cls, k -> new AtomicLong()).addAndGet(n);
    }
  }

  /**
   * Plate detections neither redacted nor counted as plates because a face redaction on the
   * same frame already covers them ({@code edgeagent_plates_inside_faces_total}).
   */
  public void platesInsideFaces(long n) {
    if (n > 0) {
      Counter.builder(INSIDE_FACES).description(HELP.get(INSIDE_FACES)).register(registry).increment(n);
      totals.computeIfAbsent("plates.inside_faces", k -> new AtomicLong()).addAndGet(n);
    }
  }

  /**
   * Which execution provider a model actually runs on, as an info metric:
   * {@code edgeagent_model_provider_info{model="yunet-n",provider="cpu",requested="cuda"} 1}.
   * Asking for a GPU proves nothing; this says what was got.
   */
  public void modelProvider(String model, String requested, String provider) {
    Gauge.builder("edgeagent.model.provider.info", () -> 1)
        .description("Execution provider each model runs on (value always 1; see the provider label)")
        .tag("model", model).tag("provider", provider).tag("requested", requested).register(registry);
  }

  public void inference(String model, long nanos) {
    Timer.builder(INFERENCE).description("Model inference time").tag("model", model)
        .serviceLevelObjectives(durations(INFERENCE_BUCKETS))
        .register(registry).record(nanos, TimeUnit.NANOSECONDS);
  }

  public void frameLatency(long nanos) {
    frameLatencyTimer().record(nanos, TimeUnit.NANOSECONDS);
  }

  private Timer frameLatencyTimer() {
    return Timer.builder(FRAME_LATENCY).description("Capture to sink hand-off (look-ahead included)")
        .serviceLevelObjectives(durations(FRAME_LATENCY_BUCKETS)).publishPercentiles(0.5, 0.99).register(registry);
  }

  /** A counter kept elsewhere (it only grows), exposed as {@code <name>_total}. */
  public <T> void functionCounter(String name, String description, T owner,
      java.util.function.ToDoubleFunction<T> count) {
    io.micrometer.core.instrument.FunctionCounter.builder(name, owner, count).description(description).register(registry);
  }

  /** A value read at each scrape; {@code baseUnit} (e.g. "bytes") is appended to the name, or null. */
  /**
   * A gauge read from {@code value}. The latest registration of a name and tag wins: a camera
   * restarted or rebuilt by a reload registers its new queue under the series its old pipeline
   * made, and the series must follow the new one (Micrometer itself keeps the first registration,
   * which would read the old, ended pipeline's objects for ever and keep them alive).
   */
  public void gauge(String name, String description, String baseUnit, String tagKey, String tagValue,
      Supplier<Number> value) {
    gaugeSources.computeIfAbsent(name + "{" + tagKey + "=" + tagValue + "}", k -> {
      AtomicReference<Supplier<Number>> source = new AtomicReference<>();
      Gauge.builder(name, source, AgentMetrics::read).strongReference(true).description(description)
          .baseUnit(baseUnit).tag(tagKey, tagValue).register(registry);
      return source;
    }).set(value);
  }

  private static double read(AtomicReference<Supplier<Number>> source) {
    Supplier<Number> s = source.get();
    return s == null ? Double.NaN : s.get().doubleValue();
  }

  /** Sum of a counter over all tags, as tracked here for summaries ("dropped.<reason>", ...). */
  public long total(String key) {
    AtomicLong v = totals.get(key);
    return v == null ? 0 : v.get();
  }

  /**
   * One camera's counters as the status page shows them: frames captured and anonymized, and
   * each drop reason with its count (zeros included, so a reason that never fired is visible).
   */
  public io.vertx.core.json.JsonObject cameraCounts(String camera) {
    io.vertx.core.json.JsonObject drops = new io.vertx.core.json.JsonObject();
    registry.find(DROPPED).tag("camera", camera).counters().stream()
        .sorted(java.util.Comparator.comparing(c -> c.getId().getTag("reason")))
        .forEach(c -> drops.put(c.getId().getTag("reason"), (long) c.count()));
    return new io.vertx.core.json.JsonObject()
        .put("captured", (long) counter(CAPTURED, "camera", camera).count())
        .put("anonymized", (long) counter(ANONYMIZED, "camera", camera).count())
        .put("dropped", drops);
  }

  public long totalWithPrefix(String prefix) {
    return totals.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
        .mapToLong(e -> e.getValue().get()).sum();
  }

  private void count(String name, String tagKey, String tagValue) {
    counter(name, tagKey, tagValue).increment();
    totals.computeIfAbsent(name, k -> new AtomicLong()).incrementAndGet();
  }

  private Counter counter(String name, String tagKey, String tagValue) {
    return Counter.builder(name).description(HELP.get(name)).tag(tagKey, tagValue).register(registry);
  }

  private Counter dropCounter(String camera, String reason) {
    return Counter.builder(DROPPED).description(HELP.get(DROPPED)).tag("camera", camera).tag("reason", reason)
        .register(registry);
  }

  private static Duration[] durations(double[] seconds) {
    Duration[] d = new Duration[seconds.length];
    for (int i = 0; i < seconds.length; i++) {
      d[i] = Duration.ofNanos(Math.round(seconds[i] * 1e9));
    }
    return d;
  }

  /** Super-resolution failed on a frame, which was published without it. */
  public void enhanceFailed(String camera) {
    count(ENHANCE_FAILED, "camera", camera);
  }

  /** The crop-anomaly watch scored one of the camera's frames, in {@code nanos}. */
  public void anomalyScored(String camera, String model, long nanos) {
    count(INSPECT_SCORED, "camera", camera);
    inference(model, nanos);
  }

  /** The crop-anomaly watch failed on one of the camera's frames. */
  public void anomalyFailed(String camera) {
    count(INSPECT_FAILED, "camera", camera);
  }

  /** A record the broker acknowledged (acks=all). */
  public void publishAcked(String camera) {
    count(ACKED, "camera", camera);
  }

  /** A record that failed for good, by exception type (TimeoutException, ...). */
  public void publishError(String type) {
    count(PUBLISH_ERRORS, "type", type);
    totals.computeIfAbsent("publish.errors." + type, k -> new AtomicLong()).incrementAndGet();
  }

  /** A frame that fitted the broker's record limit only after re-encoding at lower quality. */
  public void publishReencoded(String camera) {
    count(REENCODED, "camera", camera);
  }

  /** Capture of a frame to the broker's acknowledgement of its record (this process's frames). */
  public void captureToAck(long nanos) {
    ackLatencyTimer().record(nanos, TimeUnit.NANOSECONDS);
  }

  private Timer ackLatencyTimer() {
    return Timer.builder(ACK_LATENCY).description("Capture to broker acknowledgement")
        .serviceLevelObjectives(durations(ACK_LATENCY_BUCKETS)).publishPercentiles(0.5, 0.99).register(registry);
  }

  /** Record value bytes the broker acknowledged. */
  public void publishBytes(long n) {
    Counter.builder(PUBLISH_BYTES).description(HELP.get(PUBLISH_BYTES)).baseUnit("bytes").register(registry).increment(n);
    totals.computeIfAbsent("publish.bytes", k -> new AtomicLong()).addAndGet(n);
  }

  /** p50 and p99 of capture-to-ack in milliseconds, or NaN before the first acknowledgement. */
  public double[] captureToAckMillis() {
    return p50p99Millis(ACK_LATENCY);
  }

  /** p50 and p99 of capture to sink hand-off in milliseconds, or NaN before the first frame. */
  public double[] frameLatencyMillis() {
    return p50p99Millis(FRAME_LATENCY);
  }

  private double[] p50p99Millis(String timer) {
    Timer t = registry.find(timer).timer();
    double[] out = {Double.NaN, Double.NaN};
    if (t != null) {
      for (io.micrometer.core.instrument.distribution.ValueAtPercentile v : t.takeSnapshot().percentileValues()) {
        out[v.percentile() < 0.9 ? 0 : 1] = v.value(TimeUnit.MILLISECONDS);
      }
    }
    return out;
  }

  public String scrape() {
    return registry.scrape();
  }
}
