package dev.edgeagent.it;

import dev.edgeagent.capture.FrameSource;
import dev.edgeagent.capture.Sources;
import dev.edgeagent.config.AgentConfig;
import dev.edgeagent.config.ConfigLoader;
import dev.edgeagent.detect.Detector;
import dev.edgeagent.encode.FrameSink;
import dev.edgeagent.health.AgentMetrics;
import dev.edgeagent.pipeline.CameraPipeline;
import dev.edgeagent.pipeline.Components;
import dev.edgeagent.publish.KafkaPublishing;
import dev.edgeagent.track.TrackOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The in-process pipeline the agent's {@code Agent} builds, with a sink of the test's choosing:
 * the real models and the real test video from {@code <edgeagent.home>/.cache}.
 */
final class PipelineHarness implements AutoCloseable {
  final AgentConfig cfg;
  final AgentMetrics metrics = new AgentMetrics();
  final Components components;
  private final List<Path> spools = new java.util.ArrayList<>();

  /**
   * @param plates whether the (slow, about 0.1-0.2 s a frame here) plate detector runs too
   * @param extra detectors placed before the configured ones (fault injection)
   */
  PipelineHarness(long maxFrames, boolean plates, List<Detector> extra) throws Exception {
    this(maxFrames, plates, extra, Map.of());
  }

  /** As above, with more settings given as {@code --set} would. */
  PipelineHarness(long maxFrames, boolean plates, List<Detector> extra, Map<String, Object> more) throws Exception {
    Map<String, Object> o = new HashMap<>();
    o.put("models.dir", home().resolve(".cache/models").toString());
    o.put("pipeline.max_frames", maxFrames);
    o.put("detect.plates", plates);
    o.putAll(more);
    this.cfg = ConfigLoader.defaults().with(o, null);
    this.components = Components.build(cfg, metrics, extra);
  }

  static Path home() {
    return ConfigLoader.home();
  }

  static Path video() {
    Path v = home().resolve(".cache/media/Megamind.avi");
    if (!Files.isRegularFile(v)) {
      throw new IllegalStateException(v + " is missing: run tests/media/fetch-media.sh (edgeagent.home="
          + home() + ")");
    }
    return v;
  }

  /** A pipeline for one camera reading the test video; the caller runs it (it closes the sink). */
  CameraPipeline camera(String cameraId, FrameSink sink) throws Exception {
    return camera(cameraId, sink, video().toString());
  }

  /** As above, reading {@code input} (a video or a folder of images). */
  CameraPipeline camera(String cameraId, FrameSink sink, String input) throws Exception {
    FrameSource source = Sources.open(cameraId, input, cfg.integer("pipeline.live_buffer_frames"));
    return new CameraPipeline(source, components, sink, TrackOptions.from(cfg),
        cfg.integer("pipeline.sink_queue_frames"), cfg.longValue("pipeline.max_frames"), null)
        .overlap(cfg.bool("pipeline.overlap"));
  }

  /**
   * The publishing side {@code run} uses (spool, sequences, publisher) against {@code bootstrap},
   * with its spool in a fresh temporary folder.
   */
  KafkaPublishing publishing(String bootstrap, String topic, int partitions) throws Exception {
    return publishing(bootstrap, topic, partitions, Map.of());
  }

  /** As above, with more settings (link security, vehicle id, ...) given as {@code --set} would. */
  KafkaPublishing publishing(String bootstrap, String topic, int partitions, Map<String, Object> more)
      throws Exception {
    Path spool = Files.createTempDirectory("edgeagent-it-spool-");
    spools.add(spool);
    Map<String, Object> o = new HashMap<>();
    o.put("kafka.bootstrap", bootstrap);
    o.put("kafka.topic", topic);
    o.put("kafka.partitions", partitions);
    o.put("kafka.compression", "lz4");
    o.put("agent.vehicle_id", "van-it");
    o.put("spool.dir", spool.toString());
    o.put("spool.min_free_bytes", 0);
    o.putAll(more);
    return KafkaPublishing.open(cfg.with(o, null), metrics);
  }

  @Override
  public void close() {
    components.close();
    for (Path dir : spools) {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      } catch (java.io.IOException e) {
        // a leftover temporary folder is harmless
      }
    }
  }
}
