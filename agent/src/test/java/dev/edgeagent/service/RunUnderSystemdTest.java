package dev.edgeagent.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.edgeagent.TestAssets;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code edge-agent run} in a child JVM, as systemd starts it with {@code Type=notify} and
 * {@code WatchdogSec=}: NOTIFY_SOCKET names a real datagram socket (abstract, as systemd may
 * choose), WATCHDOG_USEC asks for pings. READY=1 must come once cameras run, WATCHDOG=1 while
 * they make progress, STOPPING=1 after SIGTERM, and the agent still exits 0.
 */
class RunUnderSystemdTest {
  @TempDir
  Path tmp;

  @Test
  void readyThenWatchdogPingsThenStoppingOnSigterm() throws Exception {
    assumeTrue(NotifyReceiver.available(), "python3 is not installed: it binds the receiving datagram socket");
    try (NotifyReceiver systemd = NotifyReceiver.onAbstractName()) {
      ProcessBuilder pb = new ProcessBuilder(javaBin(), "-Xmx512m", "-Dedgeagent.home=" + TestAssets.home(),
          "-cp", System.getProperty("java.class.path"), "dev.edgeagent.cli.EdgeAgentCli", "run",
          "--input", TestAssets.media("Megamind.avi").toString(), "--output-dir", tmp.resolve("out").toString(),
          "--set", "models.dir=" + TestAssets.modelsDir(), "--set", "detect.plates=false",
          "--set", "detect.plate_map=false", "--set", "http.port=0")
          .redirectErrorStream(true).redirectOutput(tmp.resolve("agent.log").toFile());
      pb.environment().put("NOTIFY_SOCKET", systemd.address());
      pb.environment().put("WATCHDOG_USEC", "1000000"); // pings every 0.5 s
      pb.environment().remove("WATCHDOG_PID");
      Process agent = pb.start();
      try {
        // READY comes once the camera is deployed; it counts as running (and is watched) once its
        // input is open, which on a loaded machine can be after the first ping
        await().atMost(Duration.ofSeconds(90)).until(() -> !agent.isAlive() || systemd.received().stream()
            .anyMatch(m -> m.matches("WATCHDOG=1\\|STATUS=\\d+\\.\\d frames/s, 1 camera\\(s\\) running")));
        assertThat(agent.isAlive()).as("the agent is still running; its log:%n%s", log()).isTrue();
        List<String> before = systemd.received();
        assertThat(before.get(0)).as("READY=1 is the first message").startsWith("READY=1|STATUS=running 1 camera(s)");

        agent.destroy(); // SIGTERM, as systemctl stop sends
        assertThat(agent.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(agent.exitValue()).as("exit after SIGTERM; log:%n%s", log()).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> has(systemd, "STOPPING=1"));
      } finally {
        agent.destroyForcibly();
      }
    }
  }

  private static boolean has(NotifyReceiver r, String state) {
    return r.received().stream().anyMatch(m -> m.startsWith(state));
  }

  private String log() throws java.io.IOException {
    return Files.readString(tmp.resolve("agent.log"));
  }

  private static String javaBin() {
    return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
  }
}
