package dev.edgeagent.health;

import dev.edgeagent.detect.DropReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The agent's counters, all prefixed {@code edgeagent_}, in base units. Micrometer names map to
 * Prometheus names: {@code edgeagent.frames.dropped} becomes
 * {@code edgeagent_frames_dropped_total}, timers become {@code _seconds} histograms.
 */
public final class AgentMetrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ConcurrentHashMap<String, AtomicLong> totals = new ConcurrentHashMap<>();

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public void frameCaptured(String camera) {
    count("edgeagent.frames.captured", "camera", camera);
  }

  /** A batch frame searched a second time, with the patient limit, after its detectors failed. */
  public void detectorRetried(String camera) {
    count("edgeagent.frames.detector_retried", "camera", camera);
  }

  /** A batch frame its detectors failed on, written black instead ({@code --on-failure black}). */
  public void frameBlackedOut(String camera) {
    count("edgeagent.frames.blacked_out", "camera", camera);
  }

  public void frameDropped(String camera, DropReason reason) {
    frameDropped(camera, reason.label(), 1);
  }

  public void frameDropped(String camera, String reason, long n) {
    if (n <= 0) {
      return;
    }
    Counter.builder("edgeagent.frames.dropped").description("Frames not published, by reason")
        .tag("camera", camera).tag("reason", reason).register(registry).increment(n);
    totals.computeIfAbsent("dropped." + reason, k -> new AtomicLong()).addAndGet(n);
  }

  /**
   * Inputs a source skipped and went on without (an image in a folder that cannot be decoded or
   * is over the capture.max_image_* limits): {@code edgeagent_inputs_unreadable_total}.
   */
  public void inputsUnreadable(String camera, long n) {
    if (n > 0) {
      Counter.builder("edgeagent.inputs.unreadable").description("Input images skipped: undecodable or over the limits")
          .tag("camera", camera).register(registry).increment(n);
      totals.computeIfAbsent("inputs.unreadable", k -> new AtomicLong()).addAndGet(n);
    }
  }

  /** A frame that left redaction and was handed to the sink (spooled, written). */
  public void frameAnonymized(String camera) {
    count("edgeagent.frames.anonymized", "camera", camera);
  }

  /** Regions found but left unredacted because an explicit keep list named them (batch only). */
  public void regionsKept(long n) {
    if (n > 0) {
      Counter.builder("edgeagent.regions.kept").register(registry).increment(n);
      totals.computeIfAbsent("regions.kept", k -> new AtomicLong()).addAndGet(n);
    }
  }

  public void regionsRedacted(String cls, long n) {
    if (n > 0) {
      Counter.builder("edgeagent.regions.redacted").tag("class", cls).register(registry).increment(n);
      totals.computeIfAbsent("regions." + cls, k -> new AtomicLong()).addAndGet(n);
    }
  }

  /**
   * Plate detections neither redacted nor counted as plates because a face redaction on the
   * same frame already covers them ({@code edgeagent_plates_inside_faces_total}).
   */
  public void platesInsideFaces(long n) {
    if (n > 0) {
      Counter.builder("edgeagent.plates.inside_faces")
          .description("Plate detections left to the face redaction that covers them").register(registry).increment(n);
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
    Timer.builder("edgeagent.inference").description("Model inference time")
        .tag("model", model).publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(5))
        .register(registry).record(nanos, TimeUnit.NANOSECONDS);
  }

  public void frameLatency(long nanos) {
    Timer.builder("edgeagent.frame.latency").description("Capture to sink hand-off (look-ahead included)")
        .publishPercentileHistogram().publishPercentiles(0.5, 0.99)
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** A counter kept elsewhere (it only grows), exposed as {@code <name>_total}. */
  public <T> void functionCounter(String name, T owner, java.util.function.ToDoubleFunction<T> count) {
    io.micrometer.core.instrument.FunctionCounter.builder(name, owner, count).register(registry);
  }

  public void gauge(String name, String tagKey, String tagValue, Supplier<Number> value) {
    Gauge.builder(name, value).tag(tagKey, tagValue).register(registry);
  }

  /** Sum of a counter over all tags, as tracked here for summaries ("dropped.<reason>", ...). */
  public long total(String key) {
    AtomicLong v = totals.get(key);
    return v == null ? 0 : v.get();
  }

  public long totalWithPrefix(String prefix) {
    return totals.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
        .mapToLong(e -> e.getValue().get()).sum();
  }

  private void count(String name, String tagKey, String tagValue) {
    Counter.builder(name).tag(tagKey, tagValue).register(registry).increment();
    totals.computeIfAbsent(name, k -> new AtomicLong()).incrementAndGet();
  }

  /** Super-resolution failed on a frame, which was published without it. */
  public void enhanceFailed(String camera) {
    count("edgeagent.enhance.failures", "camera", camera);
  }

  /** A record the broker acknowledged (acks=all). */
  public void publishAcked(String camera) {
    count("edgeagent.publish.acked", "camera", camera);
  }

  /** A record that failed for good, by exception type (TimeoutException, ...). */
  public void publishError(String type) {
    count("edgeagent.publish.errors", "type", type);
    totals.computeIfAbsent("publish.errors." + type, k -> new AtomicLong()).incrementAndGet();
  }

  /** A frame that fitted the broker's record limit only after re-encoding at lower quality. */
  public void publishReencoded(String camera) {
    count("edgeagent.publish.reencoded", "camera", camera);
  }

  /** Capture of a frame to the broker's acknowledgement of its record (this process's frames). */
  public void captureToAck(long nanos) {
    Timer.builder("edgeagent.publish.latency").description("Capture to broker acknowledgement")
        .publishPercentileHistogram().publishPercentiles(0.5, 0.99)
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(10))
        .register(registry).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Record value bytes the broker acknowledged. */
  public void publishBytes(long n) {
    Counter.builder("edgeagent.publish.bytes").baseUnit("bytes").register(registry).increment(n);
    totals.computeIfAbsent("publish.bytes", k -> new AtomicLong()).addAndGet(n);
  }

  /** p50 and p99 of capture-to-ack in milliseconds, or NaN before the first acknowledgement. */
  public double[] captureToAckMillis() {
    return p50p99Millis("edgeagent.publish.latency");
  }

  /** p50 and p99 of capture to sink hand-off in milliseconds, or NaN before the first frame. */
  public double[] frameLatencyMillis() {
    return p50p99Millis("edgeagent.frame.latency");
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
