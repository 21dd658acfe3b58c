package dev.edgeagent.pipeline;

import dev.edgeagent.config.AgentConfig;
import dev.edgeagent.config.CameraConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a configuration reload changes, worked out before anything is touched.
 * <ul>
 *   <li>Cameras are matched by id: a new id is started, a missing one stopped, one whose input
 *       or sequence flag changed is restarted; the others run on undisturbed.</li>
 *   <li>Settings of the stages (models, detection, inference, tracking, redaction,
 *       enhancement, crop inspection, encoding, capture limits) rebuild the stages, with their models loaded
 *       before anything stops, and restart every camera on them.</li>
 *   <li>Settings of how a camera runs ({@link #CAMERA_SETTINGS}) restart every camera.</li>
 *   <li>Everything else (the Kafka link, the spool, the sink, the HTTP server, the vehicle id,
 *       the drain and watchdog limits) is held by parts that live as long as the process: such a
 *       change is reported as needing a restart and not applied, so the spool, the link and
 *       their records are never touched by a reload.</li>
 * </ul>
 */
public record ReloadPlan(SortedSet<String> start, SortedSet<String> stop, SortedSet<String> restart,
    boolean rebuildStages, SortedSet<String> changedSettings, SortedSet<String> needsRestart) {

  /** Prefixes of the settings the stages ({@link Components}) are built from. */
  static final List<String> STAGE_PREFIXES = List.of("models.", "detect.", "inference.", "track.", "redact.",
      "enhance.", "inspect.", "encode.", "capture.");
  /** Settings each camera's verticle and pipeline read when it starts. */
  static final Set<String> CAMERA_SETTINGS = Set.of("pipeline.live_buffer_frames", "pipeline.sink_queue_frames",
      "pipeline.max_frames", "pipeline.overlap", "pipeline.stop_timeout_s", "pipeline.camera_retry_attempts",
      "pipeline.camera_retry_initial_ms", "pipeline.camera_retry_max_ms");

  public static ReloadPlan between(AgentConfig running, AgentConfig next) {
    Map<String, CameraConfig> before = byId(running.cameras());
    Map<String, CameraConfig> after = byId(next.cameras());
    SortedSet<String> start = new TreeSet<>();
    SortedSet<String> stop = new TreeSet<>();
    SortedSet<String> restart = new TreeSet<>();
    for (String id : after.keySet()) {
      if (!before.containsKey(id)) {
        start.add(id);
      } else if (!before.get(id).equals(after.get(id))) {
        restart.add(id);
      }
    }
    for (String id : before.keySet()) {
      if (!after.containsKey(id)) {
        stop.add(id);
      }
    }
    SortedSet<String> changed = running.differences(next);
    SortedSet<String> needsRestart = new TreeSet<>();
    boolean stages = false;
    boolean cameras = false;
    for (String key : changed) {
      if (STAGE_PREFIXES.stream().anyMatch(key::startsWith)) {
        stages = true;
      } else if (CAMERA_SETTINGS.contains(key)) {
        cameras = true;
      } else {
        needsRestart.add(key);
      }
    }
    if (stages || cameras) {
      for (String id : after.keySet()) {
        if (before.containsKey(id)) {
          restart.add(id);
        }
      }
    }
    return new ReloadPlan(start, stop, restart, stages, changed, needsRestart);
  }

  /** Nothing to start, stop, restart or rebuild (settings needing a restart aside). */
  public boolean appliesNothing() {
    return start.isEmpty() && stop.isEmpty() && restart.isEmpty() && !rebuildStages;
  }

  private static Map<String, CameraConfig> byId(List<CameraConfig> cameras) {
    Map<String, CameraConfig> m = new LinkedHashMap<>();
    cameras.forEach(c -> m.put(c.id(), c));
    return m;
  }
}
