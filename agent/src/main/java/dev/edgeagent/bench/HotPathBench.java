package dev.edgeagent.bench;

import static dev.edgeagent.bench.Figures.ratio;
import static dev.edgeagent.bench.Figures.round;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeagent.config.AgentConfig;
import dev.edgeagent.config.ConfigLoader;
import dev.edgeagent.detect.Detector;
import dev.edgeagent.detect.OnnxModel;
import dev.edgeagent.detect.OwnModelManifest;
import dev.edgeagent.detect.InferenceConfig;
import dev.edgeagent.detect.TensorBuffers;
import dev.edgeagent.enhance.EnhanceConfig;
import dev.edgeagent.enhance.SuperResolver;
import dev.edgeagent.health.AgentMetrics;
import dev.edgeagent.pipeline.Components;
import io.micrometer.core.instrument.Timer;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.opencv.core.Mat;

/**
 * {@code bench --hot-path} (issue 18, items 4 and 5): the model hot path as it was (every large
 * input, output and scratch array allocated afresh on every run, one YuNet run per pass:
 * {@code inference.reuse_buffers=false}, {@code inference.max_batch=1}) against as it is now
 * (pooled buffers reused, outputs pinned, same-size passes batched), on the same decoded
 * frames in one run. The two alternate frame by frame, so load on a shared machine falls on
 * both alike. A collection is counted against the side that was running when it happened,
 * though the garbage may be the other side's (the heap bytes per frame are exact).
 *
 * <p>Every configured detector runs on this thread, one after the other, so
 * {@link com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes()} counts exactly the
 * heap a frame allocates (in the agent the same code runs on the inference pool's threads).
 * Direct memory is counted by {@link TensorBuffers}, through which every large direct buffer of
 * both paths is made. Native allocations of ONNX Runtime's own outputs (the old path) are not
 * counted anywhere. With {@code enhance.mode} other than off, the super-resolver runs on each
 * frame too. Pools grow on their first use at a size, and the recogniser pins its output from
 * its second batch at a line width (the first learns the shape), so "after" still allocates
 * until the warm-up has shown it each frame twice.
 */
public final class HotPathBench {
  private HotPathBench() {}

  /** One side of the comparison: its components, its super-resolver if any, and its tallies. */
  private static final class Side implements AutoCloseable {
    final String name;
    final Components components;
    final AgentMetrics metrics = new AgentMetrics();
    final List<Detector> detectors;
    final SuperResolver sr;
    final OnnxModel srModel;
    final TensorBuffers srBuffers;
    long nanos;
    long heapBytes;
    long gcCount;
    long gcMillis;
    int frames;
    final Map<String, Long> detectorNanos = new LinkedHashMap<>();
    Map<String, Double> modelMillisAtStart = Map.of();

    Side(String name, AgentConfig cfg) throws Exception {
      this.name = name;
      this.components = Components.build(cfg, metrics);
      this.detectors = components.detection().detectors();
      EnhanceConfig ec = EnhanceConfig.from(cfg);
      if (ec.mode() == EnhanceConfig.Mode.OFF) {
        srModel = null;
        sr = null;
        srBuffers = null;
      } else {
        srModel = OnnxModel.loadOwn(OwnModelManifest.load(), ConfigLoader.home(), ec.model(), InferenceConfig.from(cfg));
        srBuffers = TensorBuffers.of(cfg.bool("inference.reuse_buffers"));
        sr = new SuperResolver(srModel, 2, ec.tilePx(), ec.overlapPx(), srBuffers);
      }
    }

    /** Every detector (and the super-resolver) on one frame; counts only when {@code measured}. */
    void frame(Mat m, boolean measured) throws Exception {
      for (Detector d : detectors) {
        long t0 = System.nanoTime();
        d.detect(m);
        if (measured) {
          detectorNanos.merge(d.model().id(), System.nanoTime() - t0, Long::sum);
        }
      }
      if (sr != null) {
        long t0 = System.nanoTime();
        sr.upscale(m).release();
        if (measured) {
          detectorNanos.merge("sr " + srModel.info().id(), System.nanoTime() - t0, Long::sum);
        }
      }
    }

    long directBytes() {
      return components.buffers().directBytesAllocated() + (srBuffers == null ? 0 : srBuffers.directBytesAllocated());
    }

    /** Total model run time so far per model, from the inference timers (ms). */
    Map<String, Double> modelMillis() {
      Map<String, Double> out = new LinkedHashMap<>();
      for (Timer t : metrics.registry().find("edgeagent.inference").timers()) {
        out.put(t.getId().getTag("model"), t.totalTime(TimeUnit.MILLISECONDS));
      }
      return out;
    }

    @Override
    public void close() {
      components.close();
      if (srModel != null) {
        srModel.close();
      }
    }
  }

  /**
   * @param rounds passes over all frames per side
   * @return the figures of both sides and the after / before ratios
   */
  public static ObjectNode run(AgentConfig base, List<Mat> frames, int warmup, int rounds) throws Exception {
    AgentConfig beforeCfg = base.with(Map.of("inference.reuse_buffers", false, "inference.max_batch", 1), null);
    AgentConfig afterCfg = base.with(Map.of("inference.reuse_buffers", true), null);
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    try (Side before = new Side("before", beforeCfg); Side after = new Side("after", afterCfg)) {
      for (Side s : List.of(before, after)) {
        for (int i = 0; i < warmup; i++) {
          s.frame(frames.get(i % frames.size()), false);
        }
        s.modelMillisAtStart = s.modelMillis();
      }
      long directBefore0 = before.directBytes();
      long directAfter0 = after.directBytes();
      for (int r = 0; r < rounds; r++) {
        for (int f = 0; f < frames.size(); f++) {
          // Frame by frame, alternating which side goes first: a burst of load on the shared
          // machine, or the other side's garbage, falls on both alike.
          List<Side> order = (r + f) % 2 == 0 ? List.of(before, after) : List.of(after, before);
          for (Side s : order) {
            long gc0 = gcCount();
            long gcMs0 = gcMillis();
            long heap0 = threads.getCurrentThreadAllocatedBytes();
            long t0 = System.nanoTime();
            s.frame(frames.get(f), true);
            s.nanos += System.nanoTime() - t0;
            s.heapBytes += threads.getCurrentThreadAllocatedBytes() - heap0;
            s.gcCount += gcCount() - gc0;
            s.gcMillis += gcMillis() - gcMs0;
            s.frames++;
          }
        }
      }
      ObjectNode out = new ObjectMapper().createObjectNode();
      out.put("frames", frames.size()).put("rounds", rounds).put("warmup", warmup)
          .put("max_batch", afterCfg.integer("inference.max_batch"));
      ObjectNode b = report(out, before, before.directBytes() - directBefore0);
      ObjectNode a = report(out, after, after.directBytes() - directAfter0);
      ObjectNode ratio = out.putObject("after_over_before");
      ratio.put("ms_per_frame", ratio(a, b, "ms_per_frame"));
      ratio.put("heap_bytes_per_frame", ratio(a, b, "heap_bytes_per_frame"));
      ratio.put("gc_count", ratio(a, b, "gc_count"));
      return out;
    }
  }

  private static ObjectNode report(ObjectNode out, Side s, long directBytes) {
    ObjectNode o = out.putObject(s.name);
    o.put("ms_per_frame", round(s.nanos / 1e6 / s.frames));
    ObjectNode det = o.putObject("detector_ms_per_frame");
    s.detectorNanos.forEach((k, v) -> det.put(k, round(v / 1e6 / s.frames)));
    ObjectNode models = o.putObject("model_run_ms_per_frame");
    s.modelMillis().forEach((k, v) -> models.put(k, round((v - s.modelMillisAtStart.getOrDefault(k, 0.0)) / s.frames)));
    o.put("heap_bytes_per_frame", s.heapBytes / s.frames);
    o.put("direct_bytes_per_frame", directBytes / s.frames);
    o.put("gc_count", s.gcCount);
    o.put("gc_ms", s.gcMillis);
    return o;
  }

  /** Prints the comparison as a table on stderr. */
  public static void print(ObjectNode r) {
    System.err.printf("%-34s %14s %14s %8s%n", "hot path (" + r.get("frames") + " frames x " + r.get("rounds")
        + " rounds)", "before", "after", "ratio");
    row("ms/frame", r, "ms_per_frame");
    row("heap bytes/frame", r, "heap_bytes_per_frame");
    row("direct bytes/frame", r, "direct_bytes_per_frame");
    row("GC collections", r, "gc_count");
    row("GC ms", r, "gc_ms");
    r.get("before").get("detector_ms_per_frame").fieldNames().forEachRemaining(n ->
        pair("  " + n + ": detector ms/frame", r, "detector_ms_per_frame", n));
    r.get("before").get("model_run_ms_per_frame").fieldNames().forEachRemaining(n ->
        pair("  " + n + ": model runs ms/frame", r, "model_run_ms_per_frame", n));
  }

  private static void pair(String label, ObjectNode r, String group, String name) {
    double b = r.get("before").get(group).path(name).asDouble();
    double a = r.get("after").get(group).path(name).asDouble();
    System.err.printf("%-34s %14.2f %14.2f %8s%n", label, b, a, b == 0 ? "-" : String.format("%.3f", a / b));
  }

  private static void row(String label, ObjectNode r, String key) {
    double b = r.get("before").get(key).asDouble();
    double a = r.get("after").get(key).asDouble();
    System.err.printf("%-34s %14s %14s %8s%n", label, fmt(b), fmt(a), b == 0 ? "-" : String.format("%.3f", a / b));
  }

  private static String fmt(double v) {
    return v == Math.rint(v) && Math.abs(v) >= 1000 ? String.format("%,d", (long) v) : String.format("%.2f", v);
  }

  private static long gcCount() {
    long n = 0;
    for (GarbageCollectorMXBean g : ManagementFactory.getGarbageCollectorMXBeans()) {
      n += Math.max(0, g.getCollectionCount());
    }
    return n;
  }

  private static long gcMillis() {
    long n = 0;
    for (GarbageCollectorMXBean g : ManagementFactory.getGarbageCollectorMXBeans()) {
      n += Math.max(0, g.getCollectionTime());
    }
    return n;
  }

}
