package dev.edgeagent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeagent.config.AgentConfig;
import dev.edgeagent.config.CameraConfig;
import dev.edgeagent.health.AgentMetrics;
import dev.edgeagent.pipeline.Agent;
import dev.edgeagent.pipeline.CameraPipeline;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The long-running agent: every configured camera through the pipeline to the sink. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Runs the agent: captures every configured camera, anonymizes, and hands only",
        "anonymized frames to the sink. Stops at the end of finite inputs, after --max-frames, or on",
        "SIGTERM/SIGINT (finishing frames in flight). The last line on stdout is a JSON summary."})
public final class RunCommand implements Callable<Integer> {
  @Option(names = "--input", paramLabel = "<file|dir|device|rtsp-url>",
      description = "One camera instead of the configured ones.")
  String input;

  @Option(names = "--camera-id", defaultValue = "cam0", description = "Camera id for --input (default: ${DEFAULT-VALUE}).")
  String cameraId;

  @Option(names = "--max-frames", paramLabel = "N", description = "Stop each camera after N frames.")
  Long maxFrames;

  @Option(names = "--output-dir", paramLabel = "<dir>", description = "Folder for the directory sink.")
  Path outputDir;

  @Mixin
  CommonOptions common;

  @Override
  public Integer call() throws Exception {
    if (common.config == null && input == null) {
      throw new CliFailure(ExitCodes.USAGE, "give --config <yaml> (e.g. edge-config/demo.yaml) or --input");
    }
    Map<String, Object> overrides = new HashMap<>(common.overrides());
    if (maxFrames != null) {
      overrides.put("pipeline.max_frames", maxFrames);
    }
    if (outputDir != null) {
      overrides.put("sink.directory", outputDir.toAbsolutePath().toString());
    }
    List<CameraConfig> cams = input == null ? null : List.of(new CameraConfig(cameraId, input));
    AgentConfig cfg = common.config().with(overrides, cams);
    if (cfg.cameras().isEmpty()) {
      throw new CliFailure(ExitCodes.CONFIG, "cameras: none configured (add a camera or pass --input)");
    }
    AgentMetrics metrics = new AgentMetrics();
    long t0 = System.nanoTime();
    try (Agent agent = Agent.start(cfg, metrics)) {
      Thread hook = new Thread(agent::stop, "shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      List<CameraPipeline.Result> results = agent.awaitCameras();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is already running: the JVM is stopping, which is what it asked for
      }
      System.out.println(new ObjectMapper().writeValueAsString(
          summary(results, metrics, (System.nanoTime() - t0) / 1e9, agent.httpPort())));
      return ExitCodes.OK;
    }
  }

  private static ObjectNode summary(List<CameraPipeline.Result> results, AgentMetrics m, double secs,
      int port) {
    ObjectNode s = new ObjectMapper().createObjectNode();
    long frames = results.stream().mapToLong(CameraPipeline.Result::captured).sum();
    s.put("frames", frames);
    s.put("published", results.stream().mapToLong(CameraPipeline.Result::anonymized).sum());
    s.put("dropped", m.totalWithPrefix("dropped."));
    s.put("faces", m.total("regions.face"));
    s.put("plates", m.total("regions.plate"));
    s.put("seconds", Math.round(secs * 1000) / 1000.0);
    s.put("fps", secs > 0 ? Math.round(frames / secs * 100) / 100.0 : 0);
    ArrayNode cams = s.putArray("cameras");
    for (CameraPipeline.Result r : results) {
      cams.addObject().put("camera", r.camera()).put("frames", r.captured())
          .put("published", r.anonymized()).put("dropped", r.dropped() + r.sinkErrors() + r.liveDropped());
    }
    if (port > 0) {
      s.put("http_port", port);
    }
    return s;
  }
}
