package dev.edgeagent.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.edgeagent.config.ConfigLoader;
import dev.edgeagent.detect.DropReason;
import dev.edgeagent.publish.KafkaPublishing;
import dev.edgeagent.spool.SpoolException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator's Prometheus gets from the real {@code /metrics} endpoint before the first
 * frame: every series present at zero with help text, true labels, a dozen buckets per
 * histogram, Vert.x's own pool metrics, and text that {@code promtool check metrics} (Debian's
 * prometheus package) accepts without a warning.
 */
class MetricsExpositionTest {
  private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

  @TempDir
  Path tmp;

  @Test
  void everySeriesIsThereAtZeroBeforeTheFirstFrameAndPromtoolAcceptsIt() throws Exception {
    String text = scrapeBeforeAnyFrame();

    for (DropReason r : DropReason.values()) {
      for (String cam : List.of("front", "rear")) {
        assertThat(text).contains("edgeagent_frames_dropped_total{camera=\"" + cam + "\",reason=\"" + r.label()
            + "\"} 0.0");
      }
    }
    assertThat(text).contains("edgeagent_frames_dropped_total{camera=\"front\",reason=\"spool_full\"} 0.0")
        .contains("edgeagent_frames_captured_total{camera=\"rear\"} 0.0")
        .contains("edgeagent_publish_acked_total{camera=\"front\"} 0.0")
        .contains("edgeagent_publish_bytes_total 0.0")
        .contains("edgeagent_publish_latency_seconds_count 0")
        .contains("edgeagent_frame_latency_seconds_bucket{le=\"0.005\"} 0")
        .contains("edgeagent_regions_redacted_total{class=\"plate\"} 0.0")
        .contains("edgeagent_spool_bytes{dir=\"" + tmp.resolve("spool") + "\"} 0.0")
        .contains("edgeagent_spool_pending{dir=\"" + tmp.resolve("spool") + "\"} 0.0")
        .contains("edgeagent_spool_dropped_oldest_total 0.0")
        .contains("# HELP edgeagent_frames_dropped_total Frames not published, by reason")
        .as("Vert.x event loops and worker pools, through the same registry")
        .contains("netty_eventexecutor_tasks_pending{name=\"vert.x-eventloop-thread-0\"}")
        .contains("vertx_pool_in_use{pool_name=\"vert.x-worker-thread\",pool_type=\"worker\"}");
    assertThat(text).doesNotContain("dir=\"spool\"");
    assertThat(buckets(text, "edgeagent_frame_latency_seconds_bucket")).isEqualTo(12); // 11 bounds and +Inf
    assertThat(buckets(text, "edgeagent_publish_latency_seconds_bucket")).isEqualTo(14);
    assertThat(text).as("every edgeagent series has help text").doesNotContainPattern("# HELP edgeagent_\\w+ \\n");

    assumeTrue(Files.isExecutable(PROMTOOL),
        "promtool is not installed (Debian package prometheus; bin/install-test-tools installs it): "
            + "the exposition format check is skipped, the series checks above ran");
    Process p = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics").redirectErrorStream(true).start();
    p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.getInputStream().transferTo(out);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String verdict = out.toString(StandardCharsets.UTF_8);
    assertThat(verdict).as("promtool check metrics says").isEmpty();
    assertThat(p.exitValue()).as("promtool check metrics: " + verdict).isZero();
  }

  /** The health server on a metrics-reporting Vert.x, with the spool side open, as {@code run} builds them. */
  private String scrapeBeforeAnyFrame() throws Exception {
    AgentMetrics metrics = new AgentMetrics();
    metrics.declareCameras(List.of("front", "rear"));
    metrics.declareDropReasons(List.of("front", "rear"), SpoolException.REASONS);
    Vertx vertx = MetricsVertx.create(metrics);
    // a broker nobody answers on: the spool opens and its series exist, nothing is ever sent
    try (KafkaPublishing publishing = KafkaPublishing.open(ConfigLoader.defaults().with(Map.of(
        "kafka.bootstrap", "127.0.0.1:9", "spool.dir", tmp.resolve("spool").toString()), null), metrics)) {
      HealthServer server = new HealthServer(vertx, metrics, () -> new HealthServer.Readiness(true, "UP",
          new JsonObject()));
      int port = server.start("127.0.0.1", 0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      HealthServerTest.get(port, "/health/ready"); // one request, so the HTTP server series have a sample
      return HealthServerTest.get(port, "/metrics").body();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static int buckets(String text, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + "\\{").matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
