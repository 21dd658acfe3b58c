package dev.edgeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeagent.TestAssets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code anonymize --on-failure} from the command line, with detectors that really time out:
 * {@code inference.timeout_ms=10} is far below what the real models need on a 720p frame, so
 * every first search fails; {@code --retry-timeout-ms} decides whether the retry succeeds.
 */
class BatchFailureCliTest {
  private static final String FFMPEG = "/usr/bin/ffmpeg";
  private static final int FRAMES = 4;

  @TempDir
  static Path dir;
  static Path clip;

  @BeforeAll
  static void makeClip() throws Exception {
    assumeThat(Files.isExecutable(Path.of(FFMPEG))).as("ffmpeg not installed: run bin/install-test-tools").isTrue();
    clip = dir.resolve("clip.mp4");
    Process p = new ProcessBuilder(FFMPEG, "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=4",
        "-f", "lavfi", "-i", "sine", "-t", "1", "-c:v", "libx264", "-c:a", "aac", clip.toString())
        .redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(log).isZero();
  }

  private static CliRunner.Run anonymize(Path out, String... more) {
    String[] base = {"anonymize", "--input", clip.toString(), "--output", out.toString(), "--models-dir",
        TestAssets.modelsDir().toString(), "--set", "inference.timeout_ms=10"};
    return CliRunner.run(Stream.concat(Stream.of(base), Stream.of(more)).toArray(String[]::new));
  }

  private static JsonNode summary(CliRunner.Run r) throws IOException {
    return new ObjectMapper().readTree(r.lastLine());
  }

  @Test
  void aTimeoutRecoveredByThePatientRetryLosesNothing() throws Exception {
    Path out = dir.resolve("retried.mp4");
    CliRunner.Run r = anonymize(out);
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode s = summary(r);
    assertThat(s.get("written").asLong()).isEqualTo(FRAMES);
    assertThat(s.get("retried").asLong()).isEqualTo(FRAMES);
    assertThat(s.get("blacked_out").asLong()).isZero();
    assertThat(s.get("complete").asBoolean()).isTrue();
  }

  @Test
  void abortStopsWithExit70NamingTheFrameAndLeavesNoPartialVideo() throws Exception {
    Path out = dir.resolve("aborted.mp4");
    CliRunner.Run r = anonymize(out, "--retry-timeout-ms", "10");
    assertThat(r.exit()).isEqualTo(ExitCodes.SOFTWARE);
    assertThat(r.err()).contains("stopped at frame 0").contains("detector_timeout").contains("--on-failure black");
    assertThat(summary(r).get("aborted").asText()).startsWith("frame 0");
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("aborted.") || n.startsWith(".aborted."));
    }
  }

  @Test
  void abortIntoAFolderMarksItIncomplete() throws Exception {
    Path out = dir.resolve("aborted-frames");
    CliRunner.Run r = anonymize(out, "--retry-timeout-ms", "10");
    assertThat(r.exit()).isEqualTo(ExitCodes.SOFTWARE);
    assertThat(out.resolve(dev.edgeagent.encode.ImageFileWriter.INCOMPLETE_NOTE)).isRegularFile();
  }

  @Test
  void blackWritesEveryFrameBlackAndCountsThem() throws Exception {
    Path out = dir.resolve("black-frames");
    CliRunner.Run r = anonymize(out, "--retry-timeout-ms", "10", "--on-failure", "black");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode s = summary(r);
    assertThat(s.get("written").asLong()).isEqualTo(FRAMES);
    assertThat(s.get("blacked_out").asLong()).isEqualTo(FRAMES);
    try (Stream<Path> frames = Files.list(out)) {
      assertThat(frames.filter(p -> p.toString().endsWith(".jpg"))).hasSize(FRAMES).allSatisfy(p -> {
        org.opencv.core.Mat m = org.opencv.imgcodecs.Imgcodecs.imread(p.toString());
        assertThat(org.opencv.core.Core.mean(m).val[0]).as(p + " is black").isLessThan(2);
      });
    }
  }

  @Test
  void anUnknownPolicyIsAUsageError() {
    CliRunner.Run r = anonymize(dir.resolve("x.mp4"), "--on-failure", "skip");
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--on-failure must be abort or black, not 'skip'");
  }
}
