package dev.edgeagent.bench;

import static dev.edgeagent.bench.Figures.processCpuNanos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeagent.capture.FrameMeta;
import dev.edgeagent.capture.FrameSource;
import dev.edgeagent.capture.RawFrame;
import dev.edgeagent.config.AgentConfig;
import dev.edgeagent.config.CameraConfig;
import dev.edgeagent.health.AgentMetrics;
import dev.edgeagent.pipeline.Agent;
import dev.edgeagent.pipeline.CameraVerticle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.opencv.core.Mat;

/**
 * {@code bench --cameras 1,2,4}: the whole agent (main verticle, camera verticles, pipeline,
 * directory sink writing JPEGs) with N cameras at once, each replaying the same frames from
 * memory. Per N it reports each camera's and the total frames/s, the CPU it took (cores busy)
 * and the peak resident memory, so the cost of several cameras on one box is a measurement.
 */
public final class CameraBench {
  private CameraBench() {}

  public static ObjectNode run(AgentConfig base, List<Mat> frames, List<Integer> counts, double bareMsPerFrame)
      throws Exception {
    ObjectNode out = new ObjectMapper().createObjectNode();
    ArrayNode rows = out.putArray("runs");
    for (int n : counts) {
      if (n < 1 || n > 64) {
        throw new IllegalArgumentException("--cameras: each count must be 1..64, got " + n);
      }
      rows.add(runWith(base, frames, n, bareMsPerFrame));
    }
    return out;
  }

  private static ObjectNode runWith(AgentConfig base, List<Mat> frames, int n, double bareMsPerFrame)
      throws Exception {
    Path scratch = Files.createTempDirectory("edgeagent-bench-cameras");
    List<CameraConfig> cams = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      cams.add(new CameraConfig("cam" + i, "memory:bench", true));
    }
    AgentConfig cfg = base.with(Map.of("sink.type", "directory", "sink.directory", scratch.toString(),
        "http.enabled", false, "pipeline.max_frames", frames.size()), cams);
    MemorySampler memory = new MemorySampler();
    try (Agent agent = Agent.start(cfg, new AgentMetrics(), r -> { }, (cam, c) -> new ReplaySource(cam.id(), frames))) {
      long cpu0 = processCpuNanos();
      long t0 = System.nanoTime();
      memory.start();
      List<CameraVerticle.Outcome> outcomes = agent.awaitCameras();
      double secs = (System.nanoTime() - t0) / 1e9;
      double cpuSecs = (processCpuNanos() - cpu0) / 1e9;
      memory.stop();
      ObjectNode row = new ObjectMapper().createObjectNode().put("cameras", n);
      long total = 0;
      ArrayNode per = row.putArray("per_camera_fps");
      for (CameraVerticle.Outcome o : outcomes) {
        per.add(round(o.result().anonymized() / secs));
        total += o.result().anonymized();
      }
      row.put("frames", total).put("seconds", round(secs)).put("total_fps", round(total / secs))
          .put("cores_busy", round(cpuSecs / secs)).put("peak_rss_mb", memory.peakRssMb())
          .put("bare_loop_fps", round(1000 / bareMsPerFrame))
          .put("total_over_bare_loop", round(total / secs / (1000 / bareMsPerFrame)));
      return row;
    } finally {
      memory.stop();
      deleteTree(scratch);
    }
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** One camera replaying the decoded frames once, as a file would (not live, one sequence). */
  private static final class ReplaySource implements FrameSource {
    private final String camera;
    private final List<Mat> frames;
    private int next;

    ReplaySource(String camera, List<Mat> frames) {
      this.camera = camera;
      this.frames = frames;
    }

    @Override
    public String cameraId() {
      return camera;
    }

    @Override
    public boolean live() {
      return false;
    }

    @Override
    public RawFrame next() {
      if (next >= frames.size()) {
        return null;
      }
      Mat m = frames.get(next).clone();
      return new RawFrame(FrameMeta.capturedNow(camera, next++, m.cols(), m.rows(), "bench"), m);
    }

    @Override
    public long expectedFrames() {
      return frames.size();
    }

    @Override
    public void close() {
      // the frames belong to the bench
    }
  }

  /** The process's resident memory (VmRSS), sampled every 100 ms; its peak over the run. */
  private static final class MemorySampler {
    private final AtomicLong peakKb = new AtomicLong();
    private volatile boolean running;
    private Thread thread;

    void start() {
      running = true;
      thread = new Thread(() -> {
        while (running) {
          peakKb.accumulateAndGet(rssKb(), Math::max);
          try {
            Thread.sleep(100);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "bench-memory");
      thread.setDaemon(true);
      thread.start();
    }

    void stop() {
      running = false;
    }

    double peakRssMb() {
      return Math.round(peakKb.get() / 102.4) / 10.0;
    }

    private static long rssKb() {
      try {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
          if (line.startsWith("VmRSS:")) {
            return Long.parseLong(line.replaceAll("\\D+", ""));
          }
        }
      } catch (IOException | NumberFormatException e) {
        // not Linux: no figure
      }
      return 0;
    }
  }
}
