package dev.edgeagent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeagent.capture.CaptureException;
import dev.edgeagent.capture.FrameSource;
import dev.edgeagent.capture.ImageFolderSource;
import dev.edgeagent.capture.Sources;
import dev.edgeagent.config.AgentConfig;
import dev.edgeagent.detect.Box;
import dev.edgeagent.eval.DatasetException;
import dev.edgeagent.eval.LeakCounter;
import dev.edgeagent.eval.LeakScoringSink;
import dev.edgeagent.eval.MotSequence;
import dev.edgeagent.health.AgentMetrics;
import dev.edgeagent.pipeline.CameraPipeline;
import dev.edgeagent.pipeline.Components;
import dev.edgeagent.redact.Redaction;
import dev.edgeagent.track.TrackOptions;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Leaks on annotated video clips, through exactly the pipeline {@code anonymize} and {@code run} use. */
@Command(name = "eval-video", mixinStandardHelpOptions = true,
    header = "Measure leaked faces and plates on annotated video clips.",
    description = {"Runs each clip through the same pipeline as anonymize (detect, track, look-ahead, redact) and "
        + "scores every published frame against its ground truth: a box less than 90%% covered by the "
        + "redaction is a leaked object-frame. Reports leaked object-frames, leaked tracks, the longest run "
        + "of consecutive leaked frames of one track, precision, and leaks by speed.",
        "",
        "A clip is a folder in the MOT Challenge layout: seqinfo.ini, gt/gt.txt with rows "
        + "frame,id,x,y,w,h,conf,class,visibility (frame from 1; class 1 face, 2 licence plate; conf 0 = "
        + "ignore), frames in img1/ (or a video named by seqinfo.ini's source=, found in --media), and an "
        + "optional frames.txt listing the annotated frames of a sparse annotation. The last stdout line is "
        + "a JSON summary."})
public final class EvalVideoCommand implements Callable<Integer> {
  @Option(names = "--clips", required = true, paramLabel = "<dir>",
      description = "One clip folder, or a folder of clip folders.")
  Path clips;

  @Option(names = "--media", paramLabel = "<dir>",
      description = "Where the videos named by seqinfo.ini's source= are (default: the clip's folder).")
  Path media;

  @Option(names = "--report", paramLabel = "<file.json>", description = "Also write the summary here.")
  Path report;

  @Option(names = "--leaks", paramLabel = "<file.json>",
      description = "Write every leaked object-frame (clip, frame, track, class, box, covered fraction).")
  Path leaksFile;

  @Option(names = "--redactions", paramLabel = "<file.jsonl>",
      description = "Write every published frame's redactions, one JSON line per frame (clip, frame, and per"
          + " region its class, score, detected and redacted box), to see why a track leaked.")
  Path redactionsFile;

  @Mixin
  CommonOptions common;

  @Override
  public Integer call() throws Exception {
    Map<String, Object> overrides = new HashMap<>(common.overrides());
    // Scored in the input's pixels: super-resolution would only rescale what is measured.
    overrides.put("enhance.mode", "off");
    AgentConfig cfg = common.config().with(overrides, null);
    List<MotSequence> sequences;
    List<Path> inputs = new ArrayList<>();
    try {
      sequences = MotSequence.loadAll(clips);
      for (MotSequence s : sequences) {
        inputs.add(s.frames(media)); // every clip's frames checked before any work
      }
    } catch (DatasetException e) {
      throw new CliFailure(ExitCodes.DATA_ERR, e.getMessage());
    }
    LeakCounter total = new LeakCounter();
    ObjectNode byClip = new ObjectMapper().createObjectNode();
    AgentMetrics metrics = new AgentMetrics();
    long frames = 0;
    long dropped = 0;
    long t0 = System.nanoTime();
    try (Components c = Components.build(cfg, metrics);
         BufferedWriter perFrame = redactionsFile == null ? null : Files.newBufferedWriter(redactionsFile)) {
      for (int i = 0; i < sequences.size(); i++) {
        MotSequence clip = sequences.get(i);
        LeakCounter own = new LeakCounter();
        LeakScoringSink sink = new LeakScoringSink(clip, own,
            perFrame == null ? null : (frame, rs) -> writeRedactions(perFrame, clip.name(), frame, rs));
        CameraPipeline.Result r = runClip(cfg, c, clip, inputs.get(i), sink, i, sequences.size());
        total.addAll(own);
        frames += r.captured();
        dropped += r.dropped();
        ObjectNode n = own.toJson();
        n.put("frames", r.captured()).put("dropped", r.dropped());
        byClip.set(clip.name(), n);
      }
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    ObjectNode s = total.toJson();
    s.put("clips", sequences.size()).put("frames", frames).put("scored_frames", total.frames())
        .put("dropped", dropped)
        .put("seconds", Math.round(secs * 1000) / 1000.0)
        .put("fps", secs > 0 ? Math.round(frames / secs * 100) / 100.0 : 0)
        .put("face_model", cfg.string("detect.face_model"))
        .put("hold_frames", cfg.integer("track.hold_frames"))
        .put("lookahead_frames", cfg.integer("track.lookahead_frames"))
        .put("plate_every_frames", cfg.integer("detect.plate_every_frames"))
        .put("mode", cfg.string("redact.mode"));
    s.set("by_clip", byClip);
    if (leaksFile != null) {
      writeLeaks(total);
    }
    String pretty = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(s);
    if (report != null) {
      Files.writeString(report, pretty + System.lineSeparator());
    }
    System.out.println(new ObjectMapper().writeValueAsString(s));
    return ExitCodes.OK;
  }

  /** One clip through a fresh pipeline (its own tracker and look-ahead line), as a file is anonymized. */
  private CameraPipeline.Result runClip(AgentConfig cfg, Components c, MotSequence clip, Path input,
      LeakScoringSink sink, int index, int count) throws CliFailure, InterruptedException {
    System.err.printf(Locale.ROOT, "clip %d/%d: %s%n", index + 1, count, clip.name());
    ProgressBar bar = ProgressBar.forStderr();
    try (FrameSource source = Sources.open("eval", input.toString(), cfg.integer("pipeline.live_buffer_frames"),
        true, dev.edgeagent.capture.ImageLimits.from(cfg))) {
      CameraPipeline.Result r;
      try {
        r = new CameraPipeline(source, c, sink, TrackOptions.from(cfg),
            cfg.integer("pipeline.sink_queue_frames"), 0, bar).overlap(cfg.bool("pipeline.overlap")).run();
      } finally {
        bar.finish();
      }
      long unreadable = source instanceof ImageFolderSource f ? f.unreadable() : 0;
      if (unreadable > 0 || r.captureFailure() != null) {
        // A skipped frame would shift every later frame against its annotation: no score is better than a wrong one.
        throw new CliFailure(ExitCodes.DATA_ERR, clip.name() + ": " + (unreadable > 0 ? unreadable
            + " frame image(s) could not be read" : "decoding failed: " + r.captureFailure().getMessage())
            + "; the clip cannot be scored");
      }
      if (r.sinkFailure() != null) {
        throw new CliFailure(ExitCodes.SOFTWARE, clip.name() + ": scoring failed: " + r.sinkFailure().getMessage());
      }
      int declared = clip.declaredLength();
      if (declared > 0 && declared != r.captured()) {
        System.err.printf(Locale.ROOT, "edge-agent: warning: %s declares %d frames (seqLength) but %d were decoded%n",
            clip.name(), declared, r.captured());
      }
      return r;
    } catch (CaptureException e) {
      throw CliFailure.of(e);
    }
  }

  /** One JSON line; runs on the sink thread, whose IO failure becomes the clip's sink failure. */
  private static void writeRedactions(BufferedWriter out, String clip, int frame, List<Redaction> rs) {
    ObjectNode line = new ObjectMapper().createObjectNode().put("clip", clip).put("frame", frame);
    ArrayNode regions = line.putArray("regions");
    for (Redaction r : rs) {
      regions.addObject().put("class", r.cls().label())
          .put("score", Math.round(r.score() * 1000) / 1000.0)
          .putPOJO("detected", boxList(r.detected())).putPOJO("redacted", boxList(r.redacted()));
    }
    try {
      out.write(line.toString());
      out.newLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Double> boxList(Box b) {
    return List.of(round2(b.x()), round2(b.y()), round2(b.w()), round2(b.h()));
  }

  private static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }

  private void writeLeaks(LeakCounter total) throws IOException {
    ArrayNode arr = new ObjectMapper().createArrayNode();
    for (LeakCounter.Leak l : total.leaks()) {
      arr.addObject().put("clip", l.clip()).put("frame", l.frame()).put("track", l.track())
          .put("class", l.cls().label())
          .put("covered", Math.round(l.covered() * 1000) / 1000.0)
          .putPOJO("bbox", boxList(l.box()));
    }
    Files.writeString(leaksFile, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(arr)
        + System.lineSeparator());
  }
}
