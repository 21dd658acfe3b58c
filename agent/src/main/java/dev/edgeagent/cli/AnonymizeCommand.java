package dev.edgeagent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeagent.capture.FrameSource;
import dev.edgeagent.capture.ImageFolderSource;
import dev.edgeagent.capture.ImageLimits;
import dev.edgeagent.capture.Sources;
import dev.edgeagent.config.AgentConfig;
import dev.edgeagent.encode.FrameSink;
import dev.edgeagent.encode.ImageFileWriter;
import dev.edgeagent.encode.VideoCodec;
import dev.edgeagent.encode.VideoFileWriter;
import dev.edgeagent.encode.VideoOptions;
import dev.edgeagent.health.AgentMetrics;
import dev.edgeagent.pipeline.CameraPipeline;
import dev.edgeagent.pipeline.Components;
import dev.edgeagent.review.BatchReview;
import dev.edgeagent.review.InputFingerprint;
import dev.edgeagent.review.KeepList;
import dev.edgeagent.review.KeepListException;
import dev.edgeagent.track.TrackOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Batch anonymization of a video, an image or a folder of images. */
@Command(name = "anonymize", mixinStandardHelpOptions = true,
    header = "Remove faces and plates from a video, an image or an image folder.",
    description = {"Removes faces and licence plates from a video file, an image or a folder of images.",
        "A video in gives a video out (.mp4, .avi, .mkv or .mov) or, for any other --output, a folder",
        "of JPEG frames; a folder in gives a folder out with one file per input image (same name,",
        "same size). A frame the detectors fail on is retried, then --on-failure decides (abort or black).",
        "Redactions are held across frames (track.hold_frames) of a video; a folder's images are",
        "redacted each on its own unless --sequence declares them frames of one sequence.",
        "The last line on stdout is a JSON summary."})
public final class AnonymizeCommand implements Callable<Integer> {
  private static final Set<String> VIDEO_EXT = Set.of("mp4", "avi", "mkv", "mov", "webm");

  @Option(names = "--input", required = true, paramLabel = "<video|image|dir>", description = "What to anonymize.")
  String input;

  @Option(names = "--output", required = true, paramLabel = "<file|dir>", description = "Where to write the result.")
  Path output;

  @Option(names = "--mode", paramLabel = "inpaint|blur|pixelate|solid",
      description = "How regions are removed (default: from config, else inpaint).")
  String mode;

  // Boolean, not boolean: only a flag the user gave overrides detect.faces / detect.plates from
  // the config or --set; an unset flag must not silently turn a configured-off detector back on.
  @Option(names = "--faces", negatable = true, fallbackValue = "true",
      description = "Redact faces (default: detect.faces from config, on; --no-faces to skip).")
  Boolean faces;

  @Option(names = "--plates", negatable = true, fallbackValue = "true",
      description = "Redact licence plates (default: detect.plates from config, on; --no-plates to skip).")
  Boolean plates;

  @Option(names = "--sequence",
      description = "The folder's images are frames of one sequence (e.g. extracted from a video): hold "
          + "redactions across them like a video's. Default: unrelated photos, each redacted on its own.")
  boolean sequence;

  @Option(names = "--codec", paramLabel = "h264|mpeg4|vp9|av1|ffv1|mjpeg",
      description = "Video encoder of a video output (default: h264 for .mp4/.mov/.mkv, mpeg4 for .avi, vp9 for .webm).")
  String codec;

  @Option(names = "--crf", paramLabel = "0-51", defaultValue = "" + VideoOptions.DEFAULT_CRF,
      description = "Video quality on x264's CRF scale, lower is better (default: ${DEFAULT-VALUE}; 18 is visually "
          + "lossless, 28 small). Mapped onto each encoder's own quality control.")
  int crf;

  @Option(names = "--no-audio", description = "Leave the source's audio out of a video output (default: copied unchanged).")
  boolean noAudio;

  @Option(names = "--no-subtitles",
      description = "Leave the source's subtitle streams out (default: copied; drone telemetry often rides in one).")
  boolean noSubtitles;

  @Option(names = "--on-failure", paramLabel = "abort|black", defaultValue = "abort",
      description = "A frame the detectors fail on is first retried without the live time limit (up to "
          + "--retry-timeout-ms); if it fails again: abort stops with exit 70, names the frame and removes a "
          + "partial video (a folder gets INCOMPLETE.txt); black writes the frame fully black, keeping timing, "
          + "counted in the summary. Default: ${DEFAULT-VALUE}.")
  String onFailure;

  @Option(names = "--retry-timeout-ms", paramLabel = "<ms>", defaultValue = "600000",
      description = "Time limit of the retry of a frame whose detectors failed or timed out (default: ${DEFAULT-VALUE}).")
  long retryTimeoutMs;

  @Option(names = "--boxes",
      description = "Tuning only: outline each region found with its class and score instead of removing it. The "
          + "output is NOT anonymized (it can never be published); the summary says so.")
  boolean boxes;

  @Option(names = "--review", paramLabel = "<dir>",
      description = "Also write a review folder: index.html, one self-contained page with a thumbnail of every "
          + "redacted region (class, score, frame, track) to tick false positives on, and keep.txt. The thumbnails "
          + "are unredacted crops: the folder is private (owner only); delete it after review.")
  Path reviewDir;

  @Option(names = "--keep", paramLabel = "<keep.txt>",
      description = "Leave exactly the regions this keep list names unredacted (from --review, for this same "
          + "input; refused for any other). Everything else is redacted; kept regions are listed in the summary.")
  Path keepFile;

  @Option(names = "--report", paramLabel = "<file.json>", description = "Also write the JSON summary to this file.")
  Path report;

  @Mixin
  CommonOptions common;

  @Override
  public Integer call() throws Exception {
    Map<String, Object> overrides = new HashMap<>(common.overrides());
    if (faces != null) {
      overrides.put("detect.faces", faces);
    }
    if (plates != null) {
      overrides.put("detect.plates", plates);
      if (!plates) {
        overrides.put("detect.plate_map", false);
      }
    }
    if (mode != null) {
      overrides.put("redact.mode", mode);
    }
    AgentConfig cfg = common.config().with(overrides, null);
    if (!cfg.bool("detect.faces") && !cfg.bool("detect.plates") && !cfg.bool("detect.plate_map")) {
      throw new CliFailure(ExitCodes.USAGE, "faces and plates are both off (--no-faces/--no-plates or "
          + "detect.faces/detect.plates/detect.plate_map = false): nothing to redact");
    }
    if (boxes && mode != null) {
      throw new CliFailure(ExitCodes.USAGE, "--boxes draws the regions instead of removing them; it cannot be "
          + "combined with --mode " + mode);
    }
    AgentMetrics metrics = new AgentMetrics();
    long t0 = System.nanoTime();
    try (Components components = boxes ? Components.buildDrawingBoxes(cfg, metrics) : Components.build(cfg, metrics);
         FrameSource source = Sources.open("input", input, cfg.integer("pipeline.live_buffer_frames"), sequence,
             ImageLimits.from(cfg));
         BatchReview review = openReview(cfg, source.continuous())) {
      FrameSink sink = sinkFor(source, cfg.longValue("pipeline.max_frames"));
      if (boxes) {
        System.err.println("edge-agent: warning: --boxes: " + output + " shows what was found and is NOT anonymized;"
            + " use it for tuning only");
      }
      ProgressBar bar = ProgressBar.forStderr();
      CameraPipeline.Result r;
      try {
        CameraPipeline pipeline = new CameraPipeline(source, components, sink, TrackOptions.from(cfg),
            cfg.integer("pipeline.sink_queue_frames"), cfg.longValue("pipeline.max_frames"), bar)
            .onDetectorFailure(failurePolicy(), retryTimeoutMs).overlap(cfg.bool("pipeline.overlap"));
        r = (review != null ? pipeline.review(review) : pipeline).run();
      } finally {
        bar.finish();
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      long unreadable = r.unreadable();
      List<String> unreadableWhy = source instanceof ImageFolderSource f ? f.unreadableReasons() : List.of();
      long declared = Sources.declaredFrames(source);
      boolean cut = cutShort(r, declared, cfg.longValue("pipeline.max_frames"));
      long damaged = Sources.decodeErrors(source);
      ObjectNode summary = summary(r, metrics, secs, unreadable);
      if (unreadable > 0) {
        unreadableWhy.forEach(summary.putArray("unreadable_files")::add);
      }
      if (sink instanceof VideoFileWriter v) {
        ObjectNode streams = summary.putObject("streams_copied");
        streams.put("audio", v.copiedAudioStreams()).put("subtitles", v.copiedSubtitleStreams());
        summary.putPOJO("streams_skipped", v.skippedStreams());
        summary.put("timestamps_repaired", v.repairedTimestamps());
      }
      if (declared > 0) {
        summary.put("declared_frames", declared);
      }
      summary.put("truncated", cut);
      summary.put("decode_errors", damaged);
      summary.put("complete", r.aborted() == null && !cut && damaged == 0 && r.captureFailure() == null
          && unreadable == 0 && r.dropped() + r.sinkErrors() == 0);
      if (r.aborted() != null) {
        summary.put("aborted", r.aborted());
      }
      summary.put("anonymized", !boxes);
      if (review != null) {
        reviewSummary(summary, review, r.aborted());
      }
      String json = new ObjectMapper().writeValueAsString(summary);
      if (report != null) {
        Files.writeString(report, new ObjectMapper().writerWithDefaultPrettyPrinter()
            .writeValueAsString(summary) + System.lineSeparator());
      }
      System.out.println(json);
      return exitCode(r, unreadable, unreadableWhy, cut, declared, damaged);
    }
  }

  /** The keep list and review folder asked for, or null when neither was. */
  private BatchReview openReview(AgentConfig cfg, boolean tracked) throws CliFailure, IOException {
    if (reviewDir == null && keepFile == null) {
      return null;
    }
    if (reviewDir != null && reviewDir.toAbsolutePath().normalize().startsWith(output.toAbsolutePath().normalize())) {
      throw new CliFailure(ExitCodes.USAGE, "--review " + reviewDir + " is inside --output " + output + ": the review "
          + "folder holds unredacted crops and must stay apart from what is shared; give another folder");
    }
    Path in = Path.of(input);
    if (!Files.exists(in)) {
      throw new CliFailure(ExitCodes.NO_INPUT, "--input " + input + " does not exist (--review and --keep need a "
          + "local file or folder)");
    }
    InputFingerprint fingerprint = InputFingerprint.of(in);
    KeepList keep = null;
    if (keepFile != null) {
      if (!Files.isReadable(keepFile)) {
        throw new CliFailure(ExitCodes.NO_INPUT, "--keep " + keepFile + " cannot be read");
      }
      try {
        keep = KeepList.load(keepFile, fingerprint);
      } catch (KeepListException e) {
        throw new CliFailure(ExitCodes.DATA_ERR, e.getMessage());
      }
    }
    String settings = "mode " + (boxes ? "boxes" : cfg.string("redact.mode")) + ", margin " + cfg.decimal("redact.margin")
        + ", face threshold " + cfg.decimal("detect.face_threshold") + (keepFile != null ? ", keep list " + keepFile : "");
    try {
      return BatchReview.open(keep, reviewDir, fingerprint, settings, tracked);
    } catch (IOException e) {
      throw new CliFailure(ExitCodes.CANT_CREATE, "cannot create the review folder " + reviewDir + ": " + e.getMessage());
    }
  }

  /** Completes the review folder and says what the keep list kept, in the summary and on stderr. */
  private void reviewSummary(ObjectNode summary, BatchReview review, String aborted) throws CliFailure {
    KeepList keep = review.keepList();
    if (keep != null) {
      summary.put("keep_list", keepFile.toString());
      summary.put("kept", keep.matches().size());
      com.fasterxml.jackson.databind.node.ArrayNode regions = summary.putArray("kept_regions");
      for (KeepList.Match m : keep.matches()) {
        ObjectNode o = regions.addObject().put("frame", m.entry().frame()).put("class", m.detection().cls().label())
            .put("score", Math.round(m.detection().score() * 1000) / 1000.0).put("reason", m.reason());
        o.putArray("box").add(Math.round(m.detection().box().x())).add(Math.round(m.detection().box().y()))
            .add(Math.round(m.detection().box().w())).add(Math.round(m.detection().box().h()));
      }
      com.fasterxml.jackson.databind.node.ArrayNode unmatched = summary.putArray("keep_unmatched");
      keep.unmatched().forEach(e -> unmatched.add(keep.where(e)));
      System.err.println("edge-agent: left " + keep.matches().size() + " region(s) unredacted, as the keep list "
          + keepFile + " asks" + (keep.unmatched().isEmpty() ? "" : "; " + keep.unmatched().size()
          + " of its entries matched no region and kept nothing (keep_unmatched in the summary)"));
    }
    if (reviewDir != null) {
      try {
        review.finish(aborted);
      } catch (IOException e) {
        throw new CliFailure(ExitCodes.IO_ERR, e.getMessage());
      }
      summary.put("review", review.pageFile().toString());
      summary.put("reviewed_regions", review.reviewed());
      System.err.println("edge-agent: review page " + review.pageFile() + " (" + review.reviewed() + " region(s)); it "
          + "holds unredacted crops: delete " + reviewDir + " after review");
    }
  }

  private CameraPipeline.OnFailure failurePolicy() throws CliFailure {
    return switch (onFailure.toLowerCase(Locale.ROOT)) {
      case "abort" -> CameraPipeline.OnFailure.ABORT;
      case "black" -> CameraPipeline.OnFailure.BLACK;
      default -> throw new CliFailure(ExitCodes.USAGE, "--on-failure must be abort or black, not '" + onFailure + "'");
    };
  }

  /**
   * Whether a video decoded fewer frames than its header declares, beyond the small slack an
   * edit list can explain (2 frames or 1%), when the run was not limited by max_frames.
   */
  private static boolean cutShort(CameraPipeline.Result r, long declared, long maxFrames) {
    if (declared <= 0 || r.aborted() != null || (maxFrames > 0 && r.captured() >= maxFrames)) {
      return false;
    }
    return r.captured() < declared - Math.max(2, declared / 100);
  }

  private static int exitCode(CameraPipeline.Result r, long unreadable, List<String> unreadableWhy, boolean cut,
      long declared, long damaged) throws CliFailure {
    if (r.aborted() != null) {
      throw new CliFailure(ExitCodes.SOFTWARE, "stopped at " + r.aborted() + "; no partial video was kept (a folder "
          + "output holds " + dev.edgeagent.encode.ImageFileWriter.INCOMPLETE_NOTE + "). Rerun with --on-failure black "
          + "to write such frames black, or a larger inference.timeout_ms");
    }
    if (r.sinkFailure() != null) {
      throw new CliFailure(ExitCodes.IO_ERR, "writing the output failed: " + r.sinkFailure().getMessage());
    }
    if (r.captureFailure() != null && r.captured() == 0) {
      throw CliFailure.of(r.captureFailure());
    }
    if (r.captured() == 0 && unreadable == 0) {
      throw new CliFailure(ExitCodes.DATA_ERR, "the input holds no decodable frames");
    }
    if (r.dropped() + r.sinkErrors() > 0) {
      throw new CliFailure(ExitCodes.SOFTWARE, (r.dropped() + r.sinkErrors()) + " frame(s) could not be anonymized and "
          + "were left out (see dropped_by_reason in the summary)");
    }
    if (cut) {
      System.err.println("edge-agent: warning: the input was cut short: its header declares " + declared
          + " frames, " + r.captured() + " could be decoded; those were anonymized");
      return ExitCodes.DATA_ERR;
    }
    if (damaged > 0) {
      System.err.println("edge-agent: warning: the input is partly damaged: FFmpeg reported " + damaged + " decoding "
          + "error(s) (decode_errors; see the ffmpeg_error log lines); the damaged frames were decoded by concealment "
          + "and anonymized, and may show artefacts");
      return ExitCodes.DATA_ERR;
    }
    if (unreadable > 0 && r.captured() == 0) {
      // The summary is on stdout already; the exit code and this line say why nothing was written.
      System.err.println("edge-agent: error: no input image could be read (" + unreadable + " unreadable): "
          + String.join("; ", unreadableWhy));
      return ExitCodes.DATA_ERR;
    }
    if (unreadable > 0 || r.captureFailure() != null) {
      System.err.println("edge-agent: warning: " + (unreadable > 0 ? unreadable + " input image(s) could not be read ("
          + String.join("; ", unreadableWhy) + (unreadableWhy.size() < unreadable ? "; ..." : "") + ")"
          : "decoding stopped early: " + r.captureFailure().getMessage()) + "; the rest was anonymized");
      return ExitCodes.DATA_ERR;
    }
    return ExitCodes.OK;
  }

  private FrameSink sinkFor(FrameSource source, long maxFrames) throws IOException, CliFailure {
    boolean videoOut = VIDEO_EXT.contains(extension(output));
    boolean imageIn = source instanceof ImageFolderSource;
    if (videoOut) {
      if (imageIn) {
        throw new CliFailure(ExitCodes.USAGE, "--output " + output + " is a video file but --input is an image or folder;"
            + " give a folder (or an image file for a single image)");
      }
      Path sourceVideo = Sources.isVideoFile(source) ? Path.of(input) : null;
      try {
        return new VideoFileWriter(output, videoOptions(), sourceVideo, Sources.frameRate(source))
            .limitedTo(maxFrames);
      } catch (IOException e) {
        throw new CliFailure(ExitCodes.USAGE, e.getMessage());
      }
    }
    boolean singleImage = imageIn && !Files.isDirectory(Path.of(input)) && !extension(output).isEmpty();
    if (Files.exists(output) && !Files.isDirectory(output) && !singleImage) {
      throw new CliFailure(ExitCodes.USAGE, "--output " + output + " is an existing file; give a folder"
          + " or a video file name (.mp4, .avi, .mkv, .mov)");
    }
    try {
      return new ImageFileWriter(output, singleImage);
    } catch (IOException e) {
      throw new CliFailure(ExitCodes.CANT_CREATE, "cannot create " + output + ": " + e.getMessage());
    }
  }

  private VideoOptions videoOptions() throws CliFailure {
    try {
      return new VideoOptions(codec == null ? null : VideoCodec.parse(codec), crf, !noAudio, !noSubtitles);
    } catch (IllegalArgumentException e) {
      throw new CliFailure(ExitCodes.USAGE, (codec != null && e.getMessage().contains("codec") ? "--codec: " : "--crf: ")
          + e.getMessage());
    }
  }

  private static String extension(Path p) {
    String n = p.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot > 0 ? n.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
  }

  private ObjectNode summary(CameraPipeline.Result r, AgentMetrics m, double secs, long unreadable) {
    ObjectNode s = new ObjectMapper().createObjectNode();
    s.put("input", input);
    s.put("output", output.toString());
    s.put("frames", r.captured());
    s.put("written", r.anonymized());
    s.put("faces", m.total("regions.face"));
    s.put("plates", m.total("regions.plate"));
    s.put("plates_inside_faces", m.total("plates.inside_faces"));
    s.put("dropped", r.dropped() + r.sinkErrors());
    ObjectNode reasons = s.putObject("dropped_by_reason");
    for (dev.edgeagent.detect.DropReason reason : dev.edgeagent.detect.DropReason.values()) {
      long n = m.total("dropped." + reason.label());
      if (n > 0) {
        reasons.put(reason.label(), n);
      }
    }
    s.put("unreadable", unreadable);
    s.put("retried", m.total("edgeagent.frames.detector_retried"));
    s.put("blacked_out", m.total("edgeagent.frames.blacked_out"));
    double[] latency = m.frameLatencyMillis();
    if (!Double.isNaN(latency[0])) {
      s.putObject("latency_ms").put("p50", Math.round(latency[0])).put("p99", Math.round(latency[1]));
    }
    s.put("seconds", Math.round(secs * 1000) / 1000.0);
    s.put("fps", secs > 0 ? Math.round(r.captured() / secs * 100) / 100.0 : 0);
    return s;
  }
}
