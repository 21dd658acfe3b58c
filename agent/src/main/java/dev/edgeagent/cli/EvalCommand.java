package dev.edgeagent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeagent.capture.FrameMeta;
import dev.edgeagent.capture.RawFrame;
import dev.edgeagent.config.AgentConfig;
import dev.edgeagent.eval.CocoDataset;
import dev.edgeagent.eval.DatasetException;
import dev.edgeagent.eval.RecallCounter;
import dev.edgeagent.health.AgentMetrics;
import dev.edgeagent.pipeline.Components;
import dev.edgeagent.pipeline.FrameProcessor;
import dev.edgeagent.redact.AnonymizedFrame;
import dev.edgeagent.track.BoxTracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Recall and precision of exactly the redaction the agent runs, on an annotated image set. */
@Command(name = "eval", mixinStandardHelpOptions = true,
    header = "Measure redaction recall and precision on a COCO-format dataset.",
    description = {"Measures redaction recall and precision on a COCO-format dataset (category 1 face, 2 licence "
        + "plate). A ground-truth box counts as found when >= 90%% of it is inside the redaction mask. Uses "
        + "the same config and redaction as run. The last stdout line is a JSON summary."})
public final class EvalCommand implements Callable<Integer> {
  @Option(names = "--dataset", required = true, paramLabel = "<dir>", description = "Folder with annotations.json and images.")
  Path dataset;

  @Option(names = "--report", paramLabel = "<file.json>", description = "Also write the summary here.")
  Path report;

  @Option(names = "--misses", paramLabel = "<file.json>",
      description = "Write every ground-truth box that was not found (image, class, box, covered fraction).")
  Path missesFile;

  @Option(names = "--detections", paramLabel = "<file.json>",
      description = "Write every redaction of every image (class, detected box, redacted box, score),"
          + " to study margins and misses offline.")
  Path detectionsFile;

  @Option(names = "--split", paramLabel = "<name>", split = ",",
      description = "Only images whose 'split' field is one of these (comma-separated).")
  java.util.Set<String> splits = new java.util.TreeSet<>();

  @Mixin
  CommonOptions common;

  @Override
  public Integer call() throws Exception {
    AgentConfig cfg = common.config().with(common.overrides(), null);
    CocoDataset data;
    try {
      data = CocoDataset.load(dataset).onlySplits(splits);
    } catch (DatasetException e) {
      throw new CliFailure(ExitCodes.DATA_ERR, e.getMessage());
    }
    RecallCounter counter = new RecallCounter();
    java.util.Map<String, RecallCounter> bySplit = new java.util.TreeMap<>();
    AgentMetrics metrics = new AgentMetrics();
    ProgressBar bar = ProgressBar.forStderr();
    long frames = 0;
    long dropped = 0;
    long t0 = System.nanoTime();
    com.fasterxml.jackson.databind.node.ArrayNode found = new ObjectMapper().createArrayNode();
    try (Components c = Components.build(cfg, metrics)) {
      FrameProcessor processor = new FrameProcessor(c);
      for (CocoDataset.Item item : data.items()) {
        Mat img = Imgcodecs.imread(item.file().toString(), Imgcodecs.IMREAD_COLOR);
        if (img.empty()) {
          throw new CliFailure(ExitCodes.DATA_ERR, "cannot decode " + item.file());
        }
        FrameMeta meta = FrameMeta.capturedNow("eval", frames, img.cols(), img.rows(),
            item.file().getFileName().toString());
        // Each image stands alone: a fresh tracker, so no box is held over from another image.
        FrameProcessor.Outcome o = processor.process(new RawFrame(meta, img), new BoxTracker(0));
        RecallCounter splitCounter = item.split().isEmpty() ? null
            : bySplit.computeIfAbsent(item.split(), k -> new RecallCounter());
        java.util.List<dev.edgeagent.redact.Redaction> redactions = java.util.List.of();
        if (o.frame() == null) {
          dropped++;
        } else {
          try (AnonymizedFrame f = o.frame()) {
            redactions = f.redactions();
          }
        }
        counter.add(item.file().getFileName().toString(), meta.width(), meta.height(), item.truths(),
            redactions);
        if (detectionsFile != null) {
          for (dev.edgeagent.redact.Redaction r : redactions) {
            found.addObject().put("image", item.file().getFileName().toString())
                .put("class", r.cls().label()).put("score", r.score())
                .putPOJO("detected", boxList(r.detected())).putPOJO("redacted", boxList(r.redacted()));
          }
        }
        if (splitCounter != null) {
          splitCounter.add(meta.width(), meta.height(), item.truths(), redactions);
        }
        frames++;
        bar.update(frames, data.items().size());
      }
    } finally {
      bar.finish();
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    ObjectNode s = counter.toJson();
    s.put("frames", frames).put("dropped", dropped)
        .put("seconds", Math.round(secs * 1000) / 1000.0)
        .put("fps", Math.round(frames / secs * 100) / 100.0)
        .put("face_model", cfg.string("detect.face_model"))
        .put("face_tiles", cfg.integer("detect.face_tiles"))
        .put("mode", cfg.string("redact.mode"));
    if (!bySplit.isEmpty()) {
      ObjectNode splitsNode = s.putObject("by_split");
      bySplit.forEach((name, c) -> splitsNode.set(name, c.toJson()));
    }
    if (missesFile != null) {
      com.fasterxml.jackson.databind.node.ArrayNode arr = new ObjectMapper().createArrayNode();
      for (RecallCounter.Miss m : counter.misses()) {
        arr.addObject().put("image", m.image()).put("class", m.cls().label())
            .put("covered", Math.round(m.covered() * 1000) / 1000.0)
            .putPOJO("bbox", boxList(m.box()));
      }
      Files.writeString(missesFile, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(arr) + "\n");
    }
    if (detectionsFile != null) {
      Files.writeString(detectionsFile, new ObjectMapper().writeValueAsString(found) + "\n");
    }
    if (report != null) {
      Files.writeString(report, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(s) + "\n");
    }
    System.out.println(new ObjectMapper().writeValueAsString(s));
    return ExitCodes.OK;
  }

  private static java.util.List<Double> boxList(dev.edgeagent.detect.Box b) {
    return java.util.List.of(b.x(), b.y(), b.w(), b.h());
  }
}
