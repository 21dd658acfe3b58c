package dev.edgeagent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeagent.protocol.FrameRecordCodec;
import dev.edgeagent.protocol.RecordId;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, "reload without loss": the packaged agent on a real broker, its config file edited
 * and SIGHUP sent while cameras run. Only the cameras that changed are redeployed; an invalid
 * file keeps the old config running and is reported; no spooled record is lost or sent twice.
 */
class ReloadIT {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  static final String TOPIC = "reload";

  @TempDir
  Path tmp;

  static String cameras(String... idAndInput) {
    StringBuilder y = new StringBuilder("cameras:\n");
    for (int i = 0; i < idAndInput.length; i += 2) {
      y.append("  - id: ").append(idAndInput[i]).append("\n    input: \"").append(idAndInput[i + 1]).append("\"\n");
    }
    return y.toString();
  }

  static JsonNode ready(int port) throws Exception {
    return new ObjectMapper().readTree(CameraIndependenceIT.get(port, "/health/ready"));
  }

  static void hup(Process p) throws Exception {
    assertThat(new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start().waitFor()).isZero();
  }

  @Test
  void sighupRedeploysOnlyWhatChangedRefusesABadFileAndLosesNothing() throws Exception {
    Path home = PipelineHarness.home();
    String video = PipelineHarness.video().toString();
    Path config = tmp.resolve("agent.yaml");
    String settings = "pipeline:\n  max_frames: 90\n";
    Files.writeString(config, cameras("front", video, "side", video) + settings);
    Path log = tmp.resolve("run.log");
    List<String> cmd = List.of(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
        "-Xmx1g", "-Dedgeagent.home=" + home, "-jar", home.resolve("agent/target/edge-agent.jar").toString(), "run",
        "--config", config.toString(), "--bootstrap", KAFKA.bootstrapServers(), "--topic", TOPIC,
        "--spool-dir", tmp.resolve("spool").toString(), "--drain-timeout", "60",
        "--models-dir", home.resolve(".cache/models").toString(), "--set", "detect.plates=false",
        "--set", "http.port=0", "--set", "spool.min_free_bytes=0");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      await().atMost(Duration.ofSeconds(90)).until(() -> CameraIndependenceIT.httpPort(log) > 0);
      int port = CameraIndependenceIT.httpPort(log);
      await().atMost(Duration.ofSeconds(60)).until(() -> ready(port).at("/details/cameras_running").asInt() == 2);

      // side goes, rear comes, front is as it was
      Files.writeString(config, cameras("front", video, "rear", video) + settings);
      hup(p);
      await().atMost(Duration.ofSeconds(60)).until(() -> ready(port).at("/details/reload/status").asText().equals("applied"));
      JsonNode r = ready(port).at("/details/reload");
      assertThat(r.get("started").toString()).isEqualTo("[\"rear\"]");
      assertThat(r.get("stopped").toString()).isEqualTo("[\"side\"]");
      assertThat(r.get("restarted").toString()).isEqualTo("[]");
      assertThat(r.get("stages_rebuilt").asBoolean()).isFalse();
      await().atMost(Duration.ofSeconds(60)).until(() -> ready(port).at("/details/camera_states/rear/state").asText().equals("running"));
      JsonNode states = ready(port).at("/details/camera_states");
      assertThat(states.at("/front/state").asText()).isEqualTo("running");
      assertThat(states.at("/front/attempt").asInt()).as("front was not restarted").isEqualTo(1);
      assertThat(states.at("/side/state").asText()).isEqualTo("ended");

      // a file that does not validate: the running config stays, health says why
      Files.writeString(config, cameras("front", video, "rear", video) + "pipeline:\n  max_frames: -3\n");
      hup(p);
      await().atMost(Duration.ofSeconds(30)).until(() -> ready(port).at("/details/reload/status").asText().equals("rejected"));
      JsonNode bad = ready(port);
      assertThat(bad.at("/details/reload/error").asText()).contains("pipeline.max_frames");
      assertThat(bad.at("/status").asText()).isEqualTo("DEGRADED");
      assertThat(bad.at("/details/cameras_running").asInt()).isEqualTo(2);
      // the files run to their end and the run drains: everything spooled is acknowledged
      assertThat(p.waitFor(240, TimeUnit.SECONDS)).as("the run ends by itself").isTrue();
    } finally {
      if (p.isAlive()) {
        p.destroy();
        p.waitFor(60, TimeUnit.SECONDS);
      }
    }
    String text = Files.readString(log);
    assertThat(p.exitValue()).as(text).isZero();
    assertThat(text).contains("event=reload_applied").contains("event=reload_rejected");
    JsonNode summary = CameraIndependenceIT.summary(log);
    assertThat(summary.get("pending").asLong()).as("%s", summary).isZero();
    assertThat(summary.get("drained").asBoolean()).as("%s", summary).isTrue();

    Map<String, List<Long>> seqs = new HashMap<>();
    for (ConsumerRecord<String, byte[]> rec : TopicReader.readAll(KAFKA.bootstrapServers(), TOPIC)) {
      RecordId id = RecordId.of(FrameRecordCodec.decode(rec.value()));
      seqs.computeIfAbsent(id.camera(), k -> new ArrayList<>()).add(id.sequence());
    }
    assertThat(seqs).containsOnlyKeys("front", "side", "rear");
    long total = seqs.values().stream().mapToLong(List::size).sum();
    assertThat(total).as("every spooled record was acknowledged once: %s", summary)
        .isEqualTo(summary.get("spooled").asLong()).isEqualTo(summary.get("acked").asLong());
    for (Map.Entry<String, List<Long>> e : seqs.entrySet()) {
      List<Long> s = e.getValue();
      assertThat(s).as(e.getKey()).isSorted().doesNotHaveDuplicates();
      assertThat(s.get(s.size() - 1) - s.get(0) + 1).as("%s: no number skipped, none sent twice", e.getKey())
          .isEqualTo(s.size());
    }
    assertThat(seqs.get("front").size()).as("front ran through the reloads undisturbed")
        .isEqualTo(summary.at("/cameras/0/anonymized").asLong());
    assertThat(summary.at("/cameras/0/camera").asText()).as("cameras in the order they first started").isEqualTo("front");
    assertThat(summary.at("/cameras/1/camera").asText()).isEqualTo("side");
    assertThat(summary.at("/cameras/2/camera").asText()).isEqualTo("rear");
  }
}
