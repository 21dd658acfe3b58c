package dev.edgeagent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeagent.protocol.FrameRecordCodec;
import dev.edgeagent.protocol.RecordId;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, "one dead camera stops all cameras": the packaged agent with a working camera (a
 * video file) beside an RTSP camera that does not answer (a closed port), on a real broker.
 * The dead one is retried with back-off and reported in health and metrics while the other's
 * frames all reach the topic; the run fails only when every camera failed.
 */
class CameraIndependenceIT {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  static final String DEAD = "rtsp://127.0.0.1:1/no-camera-here";

  @TempDir
  Path tmp;

  Process run(String topic, List<String[]> cameras, Path log, String... settings) throws Exception {
    Path home = PipelineHarness.home();
    StringBuilder yaml = new StringBuilder("cameras:\n");
    for (String[] c : cameras) {
      yaml.append("  - id: ").append(c[0]).append("\n    input: \"").append(c[1]).append("\"\n");
    }
    Path config = tmp.resolve(topic + ".yaml");
    Files.writeString(config, yaml);
    List<String> cmd = new ArrayList<>(List.of(
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java", "-Xmx768m",
        "-Dedgeagent.home=" + home, "-jar", home.resolve("agent/target/edge-agent.jar").toString(), "run",
        "--config", config.toString(), "--bootstrap", KAFKA.bootstrapServers(), "--topic", topic,
        "--spool-dir", tmp.resolve("spool-" + topic).toString(), "--drain-timeout", "60",
        "--models-dir", home.resolve(".cache/models").toString(),
        "--set", "detect.plates=false", "--set", "http.port=0", "--set", "spool.min_free_bytes=0",
        "--set", "pipeline.camera_retry_initial_ms=200", "--set", "pipeline.camera_retry_max_ms=800"));
    for (String s : settings) {
      cmd.add("--set");
      cmd.add(s);
    }
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  static String get(int port, String path) throws Exception {
    HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    return r.body();
  }

  static int httpPort(Path log) throws Exception {
    Matcher m = Pattern.compile("http_port=(\\d+)").matcher(Files.readString(log));
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  static JsonNode summary(Path log) throws Exception {
    List<String> lines = Files.readAllLines(log);
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).startsWith("{\"frames\"")) {
        return new ObjectMapper().readTree(lines.get(i));
      }
    }
    throw new AssertionError("no summary line in " + lines);
  }

  @Test
  void aDeadCameraIsRetriedAndReportedWhileTheOtherPublishesEveryFrame() throws Exception {
    Path log = tmp.resolve("two.log");
    Process p = run("two-cameras", List.of(new String[] {"front", PipelineHarness.video().toString()},
        new String[] {"rear", DEAD}), log, "pipeline.max_frames=24");
    try {
      await().atMost(Duration.ofSeconds(90)).until(() -> httpPort(log) > 0);
      int port = httpPort(log);
      // the working camera goes on while the dead one is retried (several attempts, backing off)
      await().atMost(Duration.ofSeconds(120)).until(() -> TopicReader.readAll(KAFKA.bootstrapServers(), "two-cameras").size() >= 24);
      JsonNode ready = new ObjectMapper().readTree(get(port, "/health/ready"));
      JsonNode rear = ready.at("/details/camera_states/rear");
      assertThat(rear.get("state").asText()).as("%s", ready).isEqualTo("retrying");
      assertThat(rear.get("attempt").asInt()).as("%s", ready).isGreaterThanOrEqualTo(2);
      assertThat(rear.get("detail").asText()).contains("127.0.0.1:1");
      assertThat(ready.at("/details/cameras_retrying").asInt()).isEqualTo(1);
      String metrics = get(port, "/metrics");
      assertThat(metrics).contains("edgeagent_camera_up{camera=\"rear\"} 0.0");
      assertThat(Pattern.compile("edgeagent_camera_failures_total\\{camera=\"rear\"} ([2-9]|\\d\\d+)").matcher(metrics).find())
          .as(metrics).isTrue();
      assertThat(metrics).contains("edgeagent_camera_failures_total{camera=\"front\"} 0.0");
    } finally {
      p.destroy(); // SIGTERM: the live camera would be retried for ever
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String text = Files.readString(log);
    assertThat(p.exitValue()).as("one camera worked: the run succeeded\n%s", text).isZero();
    JsonNode s = summary(log);
    assertThat(s.at("/cameras/0/camera").asText()).isEqualTo("front");
    assertThat(s.at("/cameras/0/state").asText()).isEqualTo("ended");
    assertThat(s.at("/cameras/0/anonymized").asLong()).isEqualTo(24);
    assertThat(s.at("/cameras/1/state").asText()).isEqualTo("failed");
    assertThat(s.at("/cameras/1/attempts").asInt()).isGreaterThanOrEqualTo(2);
    assertThat(s.get("pending").asLong()).isZero();
    List<Long> front = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> r : TopicReader.readAll(KAFKA.bootstrapServers(), "two-cameras")) {
      RecordId id = RecordId.of(FrameRecordCodec.decode(r.value()));
      assertThat(id.camera()).isEqualTo("front");
      front.add(id.sequence());
    }
    assertThat(front).as("every frame of the working camera, once, in order").hasSize(24).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void whenEveryCameraFailsTheRunSaysWhichAndExitsNonZero() throws Exception {
    Path log = tmp.resolve("dead.log");
    Process p = run("all-dead", List.of(new String[] {"a", DEAD}, new String[] {"b", tmp.resolve("missing.mp4").toString()}),
        log, "pipeline.camera_retry_attempts=3");
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the live camera is given up after 3 failures").isTrue();
    String text = Files.readString(log);
    assertThat(p.exitValue()).as(text).isEqualTo(65);
    assertThat(text).contains("every camera failed").contains("a: cannot decode " + DEAD).contains("(3 attempts)")
        .contains("b: input " + tmp.resolve("missing.mp4") + " does not exist").contains("(1 attempt)");
    assertThat(text).contains("event=camera_failed camera=b attempt=1").contains("why=file_inputs_are_not_retried");
    JsonNode s = summary(log);
    assertThat(s.at("/cameras/0/state").asText()).isEqualTo("failed");
    assertThat(s.at("/cameras/1/state").asText()).isEqualTo("failed");
    assertThat(s.get("spooled").asLong()).as("%s", s).isZero();
    assertThat(s.get("acked").asLong()).as("%s", s).isZero();
  }
}
