package dev.edgeagent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeagent.protocol.FrameRecordCodec;
import dev.edgeagent.protocol.RecordId;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, end to end with the packaged agent: a decompression bomb among a folder camera's
 * images (items 3) on a real broker, and a broker that is down when the agent starts (item 7).
 */
class HostileInputIT {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @TempDir
  Path tmp;

  @Test
  void aPngClaiming50000x50000AmongAFolderCamerasImagesIsSkippedAndCountedAndTheRestReachTheBroker()
      throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    Path bomb = bombPng(in.resolve("a-bomb.png"), 50_000, 50_000);
    assertThat(Files.size(bomb)).isLessThan(1_000);
    Path home = PipelineHarness.home();
    Files.copy(home.resolve(".cache/media/messi5.jpg"), in.resolve("b-messi.jpg"));
    Files.copy(home.resolve(".cache/media/scenetext01.jpg"), in.resolve("c-text.jpg"));
    Path log = tmp.resolve("run.log");
    Process p = start(log, in, KAFKA.bootstrapServers(), "hostile");
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("the run ends by itself").isTrue();
    String text = Files.readString(log);
    assertThat(p.exitValue()).as(text).isZero();
    assertThat(text).contains("a-bomb.png").doesNotContain("\tat ").doesNotContain("OutOfMemoryError");
    JsonNode s = CameraIndependenceIT.summary(log);
    assertThat(s.get("unreadable").asInt()).isEqualTo(1);
    assertThat(s.get("anonymized").asInt()).as("%s", s).isEqualTo(2);
    assertThat(s.get("pending").asInt()).isZero();

    List<ConsumerRecord<String, byte[]>> records = TopicReader.readAll(KAFKA.bootstrapServers(), "hostile");
    assertThat(records).hasSize(2);
    for (ConsumerRecord<String, byte[]> r : records) {
      assertThat(RecordId.of(FrameRecordCodec.decode(r.value())).camera()).isEqualTo("folder");
    }
  }

  @Test
  void aBrokerThatIsDownAtStartIsNeverReportedOkAndTheFramesWaitInTheSpool() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort(); // free again once closed: nothing answers there
    }
    Path log = tmp.resolve("down.log");
    Process p = start(log, PipelineHarness.video(), "127.0.0.1:" + closed, "down");
    try {
      await().atMost(Duration.ofSeconds(90)).until(() -> !p.isAlive() || CameraIndependenceIT.httpPort(log) > 0);
      int port = CameraIndependenceIT.httpPort(log);
      assertThat(port).as(Files.readString(log)).isPositive();
      // from the first answer on, and for longer than a request timeout's first part, never "ok"
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
      int answers = 0;
      while (System.nanoTime() < until) {
        JsonNode ready = new ObjectMapper().readTree(CameraIndependenceIT.get(port, "/health/ready"));
        assertThat(ready.at("/details/kafka").asText()).as("%s", ready).isIn("connecting", "unreachable_or_refusing");
        assertThat(ready.at("/status").asText()).isIn("DEGRADED", "DOWN");
        answers++;
        Thread.sleep(500);
      }
      assertThat(answers).isGreaterThan(5);
      await().atMost(Duration.ofSeconds(60)).until(() -> new ObjectMapper()
          .readTree(CameraIndependenceIT.get(port, "/health/ready")).at("/details/spool_pending").asLong() > 0);
    } finally {
      new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(p.exitValue()).as(Files.readString(log)).isZero();
    JsonNode s = CameraIndependenceIT.summary(log);
    assertThat(s.get("pending").asLong()).as("frames wait in the spool for the broker: %s", s).isPositive();
    assertThat(s.get("drained").asBoolean()).isFalse();
  }

  private Process start(Path log, Path input, String bootstrap, String topic) throws Exception {
    Path home = PipelineHarness.home();
    Path config = tmp.resolve(topic + ".yaml");
    Files.writeString(config, "cameras:\n  - id: folder\n    input: \"" + input + "\"\n");
    List<String> cmd = new ArrayList<>(List.of(
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java", "-Xmx768m",
        "-Dedgeagent.home=" + home, "-jar", home.resolve("agent/target/edge-agent.jar").toString(), "run",
        "--config", config.toString(), "--bootstrap", bootstrap, "--topic", topic,
        "--spool-dir", tmp.resolve("spool-" + topic).toString(), "--drain-timeout", "60",
        "--models-dir", home.resolve(".cache/models").toString(), "--set", "detect.plates=false",
        "--set", "http.port=0", "--set", "spool.min_free_bytes=0", "--set", "pipeline.max_frames=400"));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /** A valid PNG signature and header claiming {@code w x h} pixels, one empty data chunk, the end. */
  static Path bombPng(Path file, int w, int h) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(ihdr);
    d.writeInt(w);
    d.writeInt(h);
    d.write(new byte[] {8, 2, 0, 0, 0}); // 8-bit RGB, deflate, no filter, no interlace
    chunk(out, "IHDR", ihdr.toByteArray());
    chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
    chunk(out, "IEND", new byte[0]);
    return Files.write(file, out.toByteArray());
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws Exception {
    DataOutputStream d = new DataOutputStream(out);
    d.writeInt(data.length);
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    d.write(t);
    d.write(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    d.writeInt((int) crc.getValue());
  }
}
