package dev.edgeagent.bench;

import static dev.edgeagent.bench.Figures.percentile;
import static dev.edgeagent.bench.Figures.ratio;
import static dev.edgeagent.bench.Figures.round;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeagent.config.AgentConfig;
import dev.edgeagent.detect.DetectionStage;
import dev.edgeagent.health.AgentMetrics;
import dev.edgeagent.pipeline.Components;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.opencv.core.Mat;

/**
 * {@code bench --batch-window-ms W --cameras 2,4} (issue 18 item 4, ADR 0023): N cameras
 * searching their frames at once through one detection stage, with batching across cameras off
 * ({@code inference.batch_window_ms} 0) and on (W), on the same decoded frames in one run. Each
 * camera is a thread calling {@link DetectionStage#detect(Mat, long)} on every frame in turn,
 * as a camera's pipeline does, through the shared inference pool with its slots and time limits;
 * capture, tracking, redaction and the sink are left out, so the figures are the detection
 * stage's alone. Per side: frames/s of all cameras together, each frame's detection latency
 * (p50, p95), and model runs and time in model runs per frame, by model (a shared run counts once). The sides alternate round by round, the first
 * side swapping each round, so load on a shared machine falls on both alike.
 */
public final class CrossCameraBench {
  private CrossCameraBench() {}

  /** One side: its components (models, pool, detectors) and what it measured. */
  private static final class Side implements AutoCloseable {
    final String name;
    final AgentMetrics metrics = new AgentMetrics();
    final Components components;
    final List<Long> latencies = new ArrayList<>();
    /** Frames whose detection failed (timed out, found no slot): dropped, as the agent would. */
    final java.util.concurrent.atomic.AtomicLong dropped = new java.util.concurrent.atomic.AtomicLong();
    long nanos;
    long frames;
    Map<String, Long> runsAtStart = Map.of();
    Map<String, Double> runMillisAtStart = Map.of();

    Side(String name, AgentConfig cfg) throws Exception {
      this.name = name;
      this.components = Components.build(cfg, metrics);
    }

    /** Model runs so far per model, from the inference timers (a shared run counts once). */
    Map<String, Long> runs() {
      Map<String, Long> out = new LinkedHashMap<>();
      for (Timer t : metrics.registry().find("edgeagent.inference").timers()) {
        out.put(t.getId().getTag("model"), t.count());
      }
      return out;
    }

    /** Time spent in model runs so far per model (ms; a shared run counts once). */
    Map<String, Double> runMillis() {
      Map<String, Double> out = new LinkedHashMap<>();
      for (Timer t : metrics.registry().find("edgeagent.inference").timers()) {
        out.put(t.getId().getTag("model"), t.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS));
      }
      return out;
    }

    @Override
    public void close() {
      components.close();
    }
  }

  public static ObjectNode run(AgentConfig base, List<Mat> frames, List<Integer> cameras, double windowMs,
      int warmup, int rounds) throws Exception {
    ObjectNode out = new ObjectMapper().createObjectNode();
    out.put("batch_window_ms", windowMs).put("max_batch", base.integer("inference.max_batch"))
        .put("max_concurrent", base.integer("inference.max_concurrent")).put("rounds", rounds);
    ArrayNode rows = out.putArray("runs");
    for (int n : cameras) {
      try (Side off = new Side("off", base.with(Map.of("inference.batch_window_ms", 0), null));
           Side on = new Side("on", base.with(Map.of("inference.batch_window_ms", windowMs), null))) {
        for (Side s : List.of(off, on)) {
          pass(s, frames, n, Math.min(warmup, frames.size()), false);
          s.runsAtStart = s.runs();
          s.runMillisAtStart = s.runMillis();
        }
        for (int r = 0; r < rounds; r++) {
          for (Side s : r % 2 == 0 ? List.of(off, on) : List.of(on, off)) {
            pass(s, frames, n, frames.size(), true);
          }
        }
        ObjectNode row = rows.addObject().put("cameras", n);
        ObjectNode a = report(row, off);
        ObjectNode b = report(row, on);
        row.putObject("on_over_off").put("fps", ratio(b, a, "fps")).put("p50_ms", ratio(b, a, "p50_ms"))
            .put("p95_ms", ratio(b, a, "p95_ms"));
      }
    }
    return out;
  }

  /** {@code n} camera threads each searching the first {@code count} frames in order, started together. */
  private static void pass(Side s, List<Mat> frames, int n, int count, boolean measured) throws Exception {
    DetectionStage stage = s.components.detection();
    CyclicBarrier start = new CyclicBarrier(n);
    ExecutorService cams = Executors.newFixedThreadPool(n);
    try {
      List<Future<long[]>> each = new ArrayList<>();
      long t0 = System.nanoTime();
      for (int c = 0; c < n; c++) {
        each.add(cams.submit(() -> {
          start.await();
          long[] lat = new long[count];
          for (int i = 0; i < count; i++) {
            long f0 = System.nanoTime();
            try {
              stage.detect(frames.get(i), i);
            } catch (dev.edgeagent.detect.DetectorException e) {
              if (measured) {
                s.dropped.incrementAndGet();
              }
            }
            lat[i] = System.nanoTime() - f0;
          }
          return lat;
        }));
      }
      List<long[]> all = new ArrayList<>();
      for (Future<long[]> f : each) {
        all.add(f.get());
      }
      if (measured) {
        s.nanos += System.nanoTime() - t0;
        s.frames += (long) n * count;
        all.forEach(l -> Arrays.stream(l).forEach(s.latencies::add));
      }
    } finally {
      cams.shutdownNow();
    }
  }

  private static ObjectNode report(ObjectNode row, Side s) {
    ObjectNode o = row.putObject(s.name);
    long[] sorted = s.latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    o.put("frames", s.frames).put("fps", round(s.frames / (s.nanos / 1e9)))
        .put("p50_ms", round(percentile(sorted, 0.50) / 1e6)).put("p95_ms", round(percentile(sorted, 0.95) / 1e6))
        .put("dropped", s.dropped.get());
    ObjectNode runs = o.putObject("model_runs_per_frame");
    s.runs().forEach((model, count) ->
        runs.put(model, round((count - s.runsAtStart.getOrDefault(model, 0L)) / (double) s.frames)));
    ObjectNode ms = o.putObject("model_run_ms_per_frame");
    s.runMillis().forEach((model, t) ->
        ms.put(model, round((t - s.runMillisAtStart.getOrDefault(model, 0.0)) / s.frames)));
    return o;
  }

  /** The comparison as a table on stderr. */
  public static void print(ObjectNode r) {
    System.err.printf("cross-camera batching: window %s ms, max_batch %s, max_concurrent %s, %s rounds%n",
        r.get("batch_window_ms"), r.get("max_batch"), r.get("max_concurrent"), r.get("rounds"));
    System.err.printf("%-8s %-6s %10s %10s %10s %8s  %s%n", "cameras", "side", "fps", "p50 ms", "p95 ms",
        "dropped", "model runs/frame, run ms/frame");
    for (var row : r.get("runs")) {
      for (String side : List.of("off", "on")) {
        var s = row.get(side);
        System.err.printf("%-8s %-6s %10.2f %10.1f %10.1f %8d  %s%n", row.get("cameras"), side,
            s.get("fps").asDouble(), s.get("p50_ms").asDouble(), s.get("p95_ms").asDouble(), s.get("dropped").asLong(),
            s.get("model_runs_per_frame") + " " + s.get("model_run_ms_per_frame"));
      }
      var q = row.get("on_over_off");
      System.err.printf("%-8s %-6s %10.3f %10.3f %10.3f%n", "", "on/off", q.get("fps").asDouble(),
          q.get("p50_ms").asDouble(), q.get("p95_ms").asDouble());
    }
  }
}
