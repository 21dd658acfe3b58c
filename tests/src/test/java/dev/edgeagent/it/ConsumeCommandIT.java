package dev.edgeagent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeagent.capture.FrameSource;
import dev.edgeagent.capture.RawFrame;
import dev.edgeagent.capture.Sources;
import dev.edgeagent.cli.EdgeAgentCli;
import dev.edgeagent.cli.ExitCodes;
import dev.edgeagent.pipeline.CameraPipeline;
import dev.edgeagent.protocol.FrameRecordCodec;
import dev.edgeagent.protocol.RecordId;
import dev.edgeagent.protocol.v1.FrameRecord;
import dev.edgeagent.publish.KafkaPublishing;
import dev.edgeagent.publish.KafkaSinkConfig;
import dev.edgeagent.publish.KafkaTopics;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code edge-agent consume} against a real broker: 10 frames from the pipeline, then one
 * replayed record (same id) and one record that is not a FrameRecord, as a fleet topic may hold.
 */
class ConsumeCommandIT {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  private static final String TOPIC = "frames-consume";
  private static final int FRAMES = 10;
  private static List<ConsumerRecord<String, byte[]>> published;

  @BeforeAll
  static void publish() throws Exception {
    KafkaSinkConfig cfg = KafkaSinkConfig.defaults(KAFKA.bootstrapServers(), TOPIC, "van-it");
    KafkaTopics.ensure(cfg);
    try (PipelineHarness h = new PipelineHarness(FRAMES, false, List.of());
         KafkaPublishing k = h.publishing(cfg.bootstrapServers(), TOPIC, 1)) {
      CameraPipeline.Result r = h.camera("front", k.sink()).run();
      assertThat(r.sinkFailure()).isNull();
      assertThat(k.drain(java.time.Duration.ofSeconds(60))).isTrue();
    }
    published = TopicReader.readAll(KAFKA.bootstrapServers(), TOPIC);
    assertThat(published).hasSize(FRAMES);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      // a replay of frame 4 (what a retry after a crash looks like) and a record from something else
      raw.send(new ProducerRecord<>(TOPIC, "front", published.get(4).value())).get();
      raw.send(new ProducerRecord<>(TOPIC, "front", "not a frame".getBytes(StandardCharsets.UTF_8))).get();
    }
  }

  @Test
  void writesEveryFrameOnceAndReportsDuplicatesAndBadRecords(@TempDir Path out) throws Exception {
    Run run = consume("--bootstrap", KAFKA.bootstrapServers(), "--topic", TOPIC, "--output", out.toString(),
        "--from-beginning", "--timeout-seconds", "3");

    assertThat(run.exit).as("bad records make it exit 65").isEqualTo(ExitCodes.DATA_ERR);
    assertThat(run.summary.get("records").asLong()).isEqualTo(FRAMES + 2);
    assertThat(run.summary.get("written").asLong()).isEqualTo(FRAMES);
    assertThat(run.summary.get("duplicates").asLong()).isEqualTo(1);
    assertThat(run.summary.get("bad_records").asLong()).isEqualTo(1);
    assertThat(run.summary.get("gaps").asLong()).isZero();
    assertThat(run.summary.get("cameras").asInt()).isEqualTo(1);
    for (ConsumerRecord<String, byte[]> rec : published) {
      FrameRecord r = FrameRecordCodec.decode(rec.value());
      Path img = out.resolve("front").resolve(r.getSequence() + ".jpg");
      assertThat(img).exists();
      assertThat(Files.readAllBytes(img)).isEqualTo(r.getImage().toByteArray());
    }
    try (var files = Files.list(out.resolve("front"))) {
      assertThat(files.toList()).hasSize(FRAMES);
    }
  }

  @Test
  void stopsAfterMaxRecords(@TempDir Path out) throws Exception {
    Run run = consume("--bootstrap", KAFKA.bootstrapServers(), "--topic", TOPIC, "--output", out.toString(),
        "--from-beginning", "--max", "5", "--timeout-seconds", "5");

    assertThat(run.exit).isEqualTo(ExitCodes.OK);
    assertThat(run.summary.get("records").asLong()).isEqualTo(5);
    assertThat(run.summary.get("written").asLong()).isEqualTo(5);
    assertThat(run.summary.at("/per_camera/van-it~1front/last").asLong()).isEqualTo(4);
    RecordId first = RecordId.of(FrameRecordCodec.decode(published.get(0).value()));
    assertThat(out.resolve("front").resolve(first.sequence() + ".jpg")).exists();
  }

  @Test
  void writesOneVideoPerCameraInSequenceOrder(@TempDir Path out) throws Exception {
    Run run = consume("--bootstrap", KAFKA.bootstrapServers(), "--topic", TOPIC, "--output", out.toString(),
        "--from-beginning", "--max", Integer.toString(FRAMES), "--timeout-seconds", "5", "--video");
    assertThat(run.exit).isEqualTo(ExitCodes.OK);
    assertThat(run.summary.at("/videos/front").asInt()).isEqualTo(FRAMES);
    Path mp4 = out.resolve("front.mp4");
    assertThat(mp4).exists();
    try (FrameSource src = Sources.open("check", mp4.toString(), 2)) {
      int n = 0;
      for (RawFrame f = src.next(); f != null; f = src.next()) {
        assertThat(f.meta().width()).isEqualTo(720);
        f.close();
        n++;
      }
      assertThat(n).isEqualTo(FRAMES);
    }
  }

  /**
   * The packaged jar in a fresh JVM, as an operator runs it: in this JVM the pipeline has
   * already loaded OpenCV's native library, which hid that {@code consume --video} never did
   * (UnsatisfiedLinkError in Imgcodecs.imread, exit 1, no summary). The video is judged by
   * ffprobe, not by our own decoder.
   */
  @Test
  void videoInAFreshJvmHasEveryFrameAndTheSummaryIsPrinted(@TempDir Path out) throws Exception {
    Path ffprobe = Path.of("/usr/bin/ffprobe");
    assumeTrue(Files.isExecutable(ffprobe),
        "ffprobe is not installed (/usr/bin/ffprobe; Debian package ffmpeg, bin/install-test-tools installs it):"
            + " cannot judge the video consume --video writes");
    Path home = PipelineHarness.home();
    Path jar = home.resolve("agent/target/edge-agent.jar");
    assertThat(jar).as("the agent jar is built in the package phase before the ITs").exists();
    Path log = out.resolve("consume.log");
    Path stdout = out.resolve("consume.out");
    Path dir = out.resolve("fleet");
    Process p = new ProcessBuilder(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
        "-Xmx512m", "-Dedgeagent.home=" + home, "-jar", jar.toString(), "consume",
        "--bootstrap", KAFKA.bootstrapServers(), "--topic", TOPIC, "--output", dir.toString(),
        "--from-beginning", "--max", Integer.toString(FRAMES), "--timeout-seconds", "10", "--video")
        .redirectOutput(stdout.toFile()).redirectError(log.toFile()).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("consume finishes").isTrue();
    String err = Files.readString(log);
    assertThat(p.exitValue()).as("exit code; stderr:%n%s", err).isEqualTo(ExitCodes.OK);
    assertThat(err).doesNotContain("UnsatisfiedLinkError").doesNotContain("internal error");

    List<String> lines = Files.readAllLines(stdout);
    assertThat(lines).as("stdout ends with the JSON summary").isNotEmpty();
    JsonNode summary = new ObjectMapper().readTree(lines.get(lines.size() - 1));
    assertThat(summary.get("records").asLong()).isEqualTo(FRAMES);
    assertThat(summary.get("written").asLong()).isEqualTo(FRAMES);
    assertThat(summary.at("/videos/front").asInt()).isEqualTo(FRAMES);

    Path mp4 = dir.resolve("front.mp4");
    assertThat(mp4).exists().isNotEmptyFile();
    Process probe = new ProcessBuilder(ffprobe.toString(), "-v", "error", "-count_frames", "-select_streams", "v:0",
        "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", mp4.toString())
        .redirectErrorStream(true).start();
    String counted = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(probe.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(probe.exitValue()).as("ffprobe: %s", counted).isZero();
    assertThat(counted).as("frames ffprobe decodes in %s", mp4).isEqualTo(Integer.toString(FRAMES));
  }

  @Test
  void aMissingTopicIsAnInputErrorNotAnEmptySuccess(@TempDir Path out) throws Exception {
    Run run = consume("--bootstrap", KAFKA.bootstrapServers(), "--topic", "no-such-topic", "--output",
        out.toString(), "--timeout-seconds", "3");
    assertThat(run.exit).isEqualTo(ExitCodes.NO_INPUT);
  }

  private record Run(int exit, JsonNode summary) {}

  /** Runs the CLI in this JVM, capturing stdout; the summary is its last line. */
  private static Run consume(String... args) throws Exception {
    PrintStream saved = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int exit;
    try {
      System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
      exit = EdgeAgentCli.execute(args.length == 0 ? args : prepend("consume", args));
    } finally {
      System.setOut(saved);
    }
    List<String> lines = buf.toString(StandardCharsets.UTF_8).lines().toList();
    JsonNode summary = lines.isEmpty() ? null : new ObjectMapper().readTree(lines.get(lines.size() - 1));
    return new Run(exit, summary);
  }

  private static String[] prepend(String first, String[] rest) {
    String[] all = new String[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }
}
