package dev.edgeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The video out is the video in, anonymized: judged by ffprobe (Debian's ffmpeg, installed by
 * bin/install-test-tools; skipped with a message when absent) on inputs FFmpeg makes here with
 * audio, metadata, a variable frame rate and a rotation matrix.
 */
class VideoFidelityTest {
  private static final String FFMPEG = "/usr/bin/ffmpeg";
  private static final String FFPROBE = "/usr/bin/ffprobe";

  @TempDir
  static Path dir;

  @BeforeAll
  static void needsFfmpeg() {
    assumeThat(Files.isExecutable(Path.of(FFMPEG)) && Files.isExecutable(Path.of(FFPROBE)))
        .as("ffmpeg/ffprobe not installed: run bin/install-test-tools").isTrue();
  }

  private static String sh(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(String.join(" ", cmd) + "\n" + out).isZero();
    return out;
  }

  private static String probe(Path f, String entries, String stream) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(FFPROBE, "-v", "error"));
    if (stream != null) {
      cmd.addAll(List.of("-select_streams", stream));
    }
    cmd.addAll(List.of("-show_entries", entries, "-of", "compact=p=0", f.toString()));
    return sh(cmd.toArray(String[]::new)).trim();
  }

  private static String audioMd5(Path f) throws Exception {
    return sh(FFMPEG, "-v", "error", "-i", f.toString(), "-map", "0:a", "-c", "copy", "-f", "md5", "-").trim();
  }

  private static String ptsList(Path f) throws Exception {
    return sh(FFPROBE, "-v", "error", "-select_streams", "v:0", "-show_entries", "frame=pts_time", "-of", "csv=p=0",
        f.toString()).replace(",", "").replaceAll("(?m)^\\s*$\\n?", "");
  }

  @Test
  void a30SecondFullHdClipWithAudioKeepsStreamsFramesDurationAudioAndMetadata() throws Exception {
    Path in = dir.resolve("drive.mp4");
    // 30 s of 1080p at 5 frames/s (150 frames keep the test short), AAC stereo, tagged
    sh(FFMPEG, "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=5", "-f", "lavfi",
        "-i", "sine=frequency=440:sample_rate=48000", "-t", "30", "-c:v", "libx264", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-ac", "2", "-metadata", "creation_time=2026-06-01T10:00:00Z", "-metadata", "title=drive 7",
        in.toString());
    Path out = dir.resolve("drive-anon.mp4");
    CliRunner.Run r = CliRunner.run("anonymize", "--input", in.toString(), "--output", out.toString(), "--no-plates");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode s = new ObjectMapper().readTree(r.out().strip().lines().reduce((a, b) -> b).orElseThrow());
    assertThat(s.get("complete").asBoolean()).isTrue();
    assertThat(s.get("streams_copied").get("audio").asInt()).isEqualTo(1);
    assertThat(s.get("streams_skipped")).as("the anonymized video stream is not a skipped one").isEmpty();
    assertThat(s.get("decode_errors").asLong()).isZero();

    String streams = "stream=codec_type,width,height,r_frame_rate,avg_frame_rate,time_base,nb_frames";
    assertThat(probe(out, streams, null)).isEqualTo(probe(in, streams, null));
    String counted = "stream=nb_read_frames";
    assertThat(sh(FFPROBE, "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries", counted, "-of",
        "csv=p=0", out.toString()).trim()).isEqualTo("150");
    double inDur = Double.parseDouble(probe(in, "format=duration", null).replace("duration=", ""));
    double outDur = Double.parseDouble(probe(out, "format=duration", null).replace("duration=", ""));
    assertThat(Math.abs(outDur - inDur)).isLessThanOrEqualTo(1.0 / 5);
    assertThat(audioMd5(out)).isEqualTo(audioMd5(in));
    assertThat(probe(out, "format_tags=creation_time,title", null)).isEqualTo(probe(in, "format_tags=creation_time,title", null));
  }

  @Test
  void variableFrameRateAndRotationAreKept() throws Exception {
    Path vfr = dir.resolve("vfr.mp4");
    sh(FFMPEG, "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30", "-f", "lavfi",
        "-i", "sine=frequency=300:sample_rate=44100", "-t", "4", "-vf",
        "setpts='if(lt(N,40),N/(30*TB),(40/30+(N-40)/12)/TB)'", "-fps_mode", "vfr", "-c:v", "libx264", "-bf", "0",
        "-c:a", "aac", vfr.toString());
    Path in = dir.resolve("vfr-rotated.mp4");
    sh(FFMPEG, "-v", "error", "-y", "-i", vfr.toString(), "-c", "copy", "-metadata:s:v:0", "rotate=90", in.toString());
    Path out = dir.resolve("vfr-anon.mp4");
    CliRunner.Run r = CliRunner.run("anonymize", "--input", in.toString(), "--output", out.toString(), "--no-plates");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(ptsList(out)).isEqualTo(ptsList(in));
    String v = "stream=width,height,avg_frame_rate,duration,nb_frames:stream_side_data=rotation";
    assertThat(probe(out, v, "v:0")).isEqualTo(probe(in, v, "v:0")).contains("rotation=90");
    assertThat(audioMd5(out)).isEqualTo(audioMd5(in));
  }

  @Test
  void noAudioLeavesTheAudioOut() throws Exception {
    Path in = dir.resolve("short.mp4");
    sh(FFMPEG, "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=10", "-f", "lavfi",
        "-i", "sine", "-t", "2", "-c:v", "libx264", "-c:a", "aac", in.toString());
    Path out = dir.resolve("short-anon.mkv");
    CliRunner.Run r = CliRunner.run("anonymize", "--input", in.toString(), "--output", out.toString(), "--no-plates",
        "--no-audio", "--codec", "vp9");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(probe(out, "stream=codec_type,codec_name", null)).isEqualTo("codec_name=vp9|codec_type=video");
  }

  @Test
  void aRunLimitedToItsFirstFramesCutsTheAudioWithThem() throws Exception {
    Path in = dir.resolve("long.mp4");
    sh(FFMPEG, "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=10", "-f", "lavfi",
        "-i", "sine=sample_rate=48000", "-t", "5", "-c:v", "libx264", "-c:a", "aac", in.toString());
    Path out = dir.resolve("first-second.mp4");
    CliRunner.Run r = CliRunner.run("anonymize", "--input", in.toString(), "--output", out.toString(), "--no-plates",
        "--set", "pipeline.max_frames=10");
    assertThat(r.exit()).as(r.err()).isZero();
    double audio = Double.parseDouble(probe(out, "stream=duration", "a:0").replace("duration=", ""));
    assertThat(audio).as("audio of the first second, not of all five").isBetween(0.9, 1.1);
    double whole = Double.parseDouble(probe(out, "format=duration", null).replace("duration=", ""));
    assertThat(whole).isBetween(0.9, 1.1);
  }

  @Test
  void aVideoDamagedInTheMiddleIsReportedEvenThoughEveryFrameDecodes() throws Exception {
    Path clean = dir.resolve("to-damage.avi");
    sh(FFMPEG, "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=12", "-t", "2", "-c:v", "mpeg4",
        "-g", "6", "-q:v", "4", clean.toString());
    byte[] bytes = Files.readAllBytes(clean);
    for (int i = bytes.length / 3; i < bytes.length / 3 + 3000; i++) {
      bytes[i] = (byte) (bytes[i] * 7 + 13); // scrambled payload, headers intact
    }
    Path damaged = dir.resolve("damaged.avi");
    Files.write(damaged, bytes);
    CliRunner.Run r = CliRunner.run("anonymize", "--input", damaged.toString(), "--output",
        dir.resolve("damaged-anon.mp4").toString(), "--no-plates");
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.DATA_ERR);
    assertThat(r.err()).contains("partly damaged");
    JsonNode s = new ObjectMapper().readTree(r.out().strip().lines().reduce((a, b) -> b).orElseThrow());
    assertThat(s.get("decode_errors").asLong()).isPositive();
    assertThat(s.get("complete").asBoolean()).isFalse();
    assertThat(s.get("written").asLong()).as("concealed frames are still anonymized and written").isEqualTo(24);
  }

  @Test
  void aHalfCutAviIsReportedAsTruncatedWithExit65AndWhatCouldBeDecodedIsWritten() throws Exception {
    Path full = dir.resolve("full.avi");
    sh(FFMPEG, "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=12", "-t", "2", "-c:v", "mpeg4",
        "-g", "1", "-q:v", "4", full.toString());
    byte[] bytes = Files.readAllBytes(full);
    Path half = dir.resolve("half.avi");
    Files.write(half, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    Path out = dir.resolve("half-anon.mp4");
    CliRunner.Run r = CliRunner.run("anonymize", "--input", half.toString(), "--output", out.toString(), "--no-plates");
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.DATA_ERR);
    assertThat(r.err()).contains("cut short").contains("declares 24 frames");
    JsonNode s = new ObjectMapper().readTree(r.out().strip().lines().reduce((a, b) -> b).orElseThrow());
    assertThat(s.get("truncated").asBoolean()).isTrue();
    assertThat(s.get("complete").asBoolean()).isFalse();
    assertThat(s.get("declared_frames").asLong()).isEqualTo(24);
    long decoded = s.get("frames").asLong();
    assertThat(decoded).isBetween(1L, 20L);
    assertThat(s.get("written").asLong()).isEqualTo(decoded);
    assertThat(sh(FFPROBE, "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
        "stream=nb_read_frames", "-of", "csv=p=0", out.toString()).trim()).isEqualTo(Long.toString(decoded));
  }
}
