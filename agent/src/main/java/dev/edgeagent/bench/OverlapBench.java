package dev.edgeagent.bench;

import static dev.edgeagent.bench.Figures.percentile;
import static dev.edgeagent.bench.Figures.processCpuNanos;
import static dev.edgeagent.bench.Figures.ratio;
import static dev.edgeagent.bench.Figures.round;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeagent.capture.CaptureException;
import dev.edgeagent.capture.FrameSource;
import dev.edgeagent.capture.RawFrame;
import dev.edgeagent.capture.Sources;
import dev.edgeagent.config.AgentConfig;
import dev.edgeagent.detect.Box;
import dev.edgeagent.detect.Detection;
import dev.edgeagent.detect.Detector;
import dev.edgeagent.detect.DetectorException;
import dev.edgeagent.detect.DropReason;
import dev.edgeagent.detect.ModelInfo;
import dev.edgeagent.detect.ObjectClass;
import dev.edgeagent.encode.FrameSink;
import dev.edgeagent.encode.JpegEncoder;
import dev.edgeagent.health.AgentMetrics;
import dev.edgeagent.pipeline.CameraPipeline;
import dev.edgeagent.pipeline.Components;
import dev.edgeagent.redact.AnonymizedFrame;
import dev.edgeagent.track.TrackOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * {@code bench --overlap}: one camera's whole path (decode from the input file, search, track,
 * look-ahead, redact, JPEG encode) with {@code pipeline.overlap} off and on, in one process on
 * one set of loaded models, in alternating runs (off, on, on, off, ...) so a change in the
 * machine's load falls on both sides alike (ADR 0022). Per side: frames/s, capture-to-encoded
 * latency, CPU cores busy and frames per CPU second (what a frame costs, whatever share of a
 * shared machine the process got); the ratios on / off are the result.
 */
public final class OverlapBench {
  private OverlapBench() {}

  /** One side's runs added up. */
  private static final class Side {
    long frames;
    long nanos;
    long cpuNanos;
    final List<Long> latencies = new ArrayList<>();
  }

  /**
   * @param size {width, height} to resize each decoded frame to (on the decoding thread, as
   *     colour conversion would be), or null
   * @param standInMillis 0: the configured models; n: instead of them, one {@link StandInModel}
   *     that waits n ms without using the CPU, as a run on an accelerator does
   */
  public static ObjectNode run(AgentConfig cfg, String input, int frames, int[] size, int rounds, int warmup,
      long standInMillis) throws Exception {
    Side off = new Side();
    Side on = new Side();
    try (Components c = standInMillis > 0
        ? Components.build(cfg.with(Map.of("detect.faces", false, "detect.plates", false), null), new AgentMetrics(),
            List.of(new StandInModel(standInMillis)))
        : Components.build(cfg, new AgentMetrics())) {
      if (warmup > 0) {
        runOnce(c, cfg, input, warmup, size, true, new Side());
      }
      for (int r = 0; r < rounds; r++) {
        boolean onFirst = r % 2 == 1; // off, on, on, off, off, on, ...
        runOnce(c, cfg, input, frames, size, onFirst, onFirst ? on : off);
        runOnce(c, cfg, input, frames, size, !onFirst, onFirst ? off : on);
      }
    }
    ObjectNode out = new ObjectMapper().createObjectNode();
    out.put("frames", frames).put("rounds", rounds).put("stand_in_model_ms", standInMillis);
    out.set("off", report(off));
    out.set("on", report(on));
    ObjectNode ratios = out.putObject("on_over_off");
    for (String k : List.of("fps", "latency_p50_ms", "latency_p95_ms", "cores_busy", "frames_per_cpu_second")) {
      ratios.put(k, ratio((ObjectNode) out.get("on"), (ObjectNode) out.get("off"), k));
    }
    return out;
  }

  private static void runOnce(Components c, AgentConfig cfg, String input, int frames, int[] size, boolean overlap,
      Side side) throws Exception {
    FrameSource source = Sources.open("bench", input, cfg.integer("pipeline.live_buffer_frames"));
    if (size != null) {
      source = new Resized(source, size);
    }
    EncodingSink sink = new EncodingSink(new JpegEncoder(cfg.integer("encode.jpeg_quality")));
    long cpu0 = processCpuNanos();
    long t0 = System.nanoTime();
    CameraPipeline.Result r = new CameraPipeline(source, c, sink, TrackOptions.from(cfg),
        cfg.integer("pipeline.sink_queue_frames"), frames, null).overlap(overlap).run();
    side.nanos += System.nanoTime() - t0;
    side.cpuNanos += processCpuNanos() - cpu0;
    side.frames += r.anonymized();
    side.latencies.addAll(sink.latencies);
  }

  private static ObjectNode report(Side s) {
    long[] l = s.latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    double secs = s.nanos / 1e9;
    return new ObjectMapper().createObjectNode().put("frames", s.frames).put("seconds", round(secs))
        .put("fps", round(s.frames / secs))
        .put("latency_p50_ms", round(percentile(l, 0.5) / 1e6)).put("latency_p95_ms", round(percentile(l, 0.95) / 1e6))
        .put("latency_mean_ms", round(Arrays.stream(l).average().orElse(0) / 1e6))
        .put("cores_busy", round(s.cpuNanos / (double) s.nanos))
        .put("frames_per_cpu_second", round(s.frames / (s.cpuNanos / 1e9)));
  }

  /** Prints the table on stderr. */
  public static void print(ObjectNode r) {
    long standIn = r.get("stand_in_model_ms").asLong();
    System.err.printf("%-28s %12s %12s %8s%n", "overlap (" + r.get("frames") + " frames x " + r.get("rounds")
        + " runs a side" + (standIn > 0 ? ", stand-in model " + standIn + " ms" : "") + ")", "off", "on", "on/off");
    for (String[] row : new String[][] {{"frames/s", "fps"}, {"latency p50 ms", "latency_p50_ms"},
        {"latency p95 ms", "latency_p95_ms"}, {"latency mean ms", "latency_mean_ms"}, {"CPU cores busy", "cores_busy"},
        {"frames per CPU second", "frames_per_cpu_second"}}) {
      double off = r.get("off").get(row[1]).asDouble();
      double on = r.get("on").get(row[1]).asDouble();
      System.err.printf("%-28s %12.2f %12.2f %8s%n", row[0], off, on, off == 0 ? "-" : String.format("%.3f", on / off));
    }
  }

  /**
   * Stands in for a model run on a GPU, which this machine lacks: the calling thread waits
   * {@code millis} without using the CPU, then one face-sized box is found in the middle of the
   * frame, so redaction has real work. It shows what overlapping buys when inference does not
   * compete with decoding and redaction for the CPU.
   */
  private static final class StandInModel implements Detector {
    private final long millis;

    StandInModel(long millis) {
      this.millis = millis;
    }

    @Override
    public ModelInfo model() {
      return new ModelInfo("stand-in-" + millis + "ms", "0".repeat(64));
    }

    @Override
    public List<Detection> detect(Mat bgr) throws DetectorException {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DetectorException(DropReason.DETECTOR_TIMEOUT, "stand-in model interrupted");
      }
      double w = bgr.cols();
      double h = bgr.rows();
      return List.of(new Detection(ObjectClass.FACE, new Box(w * 0.42, h * 0.3, w / 6, h / 4), 0.9));
    }
  }

  /** Encodes every frame as the directory and Kafka sinks would, and keeps capture-to-encoded latency. */
  private static final class EncodingSink implements FrameSink {
    private final JpegEncoder jpeg;
    final List<Long> latencies = new ArrayList<>();

    EncodingSink(JpegEncoder jpeg) {
      this.jpeg = jpeg;
    }

    @Override
    public void accept(AnonymizedFrame frame) {
      jpeg.encode(frame);
      latencies.add(System.nanoTime() - frame.meta().monotonicNanos());
    }

    @Override
    public void close() {}
  }

  /** The input's frames resized on the thread that decodes them (bench {@code --size}). */
  private static final class Resized implements FrameSource {
    private final FrameSource in;
    private final Size size;

    Resized(FrameSource in, int[] wh) {
      this.in = in;
      this.size = new Size(wh[0], wh[1]);
    }

    @Override
    public RawFrame next() throws CaptureException, InterruptedException {
      RawFrame f = in.next();
      if (f == null) {
        return null;
      }
      Mat src = f.surrenderPixels();
      Mat out = new Mat();
      try {
        Imgproc.resize(src, out, size, 0, 0, Imgproc.INTER_LINEAR);
      } catch (RuntimeException e) {
        out.release();
        throw e;
      } finally {
        src.release();
      }
      return new RawFrame(f.meta().withSize(out.cols(), out.rows()), out);
    }

    @Override
    public String cameraId() {
      return in.cameraId();
    }

    @Override
    public boolean live() {
      return in.live();
    }

    @Override
    public boolean continuous() {
      return in.continuous();
    }

    @Override
    public long unreadable() {
      return in.unreadable();
    }

    @Override
    public long expectedFrames() {
      return in.expectedFrames();
    }

    @Override
    public void close() {
      in.close();
    }
  }
}
