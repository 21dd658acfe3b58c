package dev.edgeagent.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The notify messages reach a real Unix datagram socket, by file path and by abstract name. */
class SystemdNotifierTest {
  @TempDir
  Path tmp;

  @BeforeAll
  static void needsPython() {
    assumeTrue(NotifyReceiver.available(), "python3 is not installed: it binds the receiving datagram socket");
  }

  @Test
  void readyWatchdogAndStoppingArriveOnASocketFile() throws Exception {
    try (NotifyReceiver systemd = NotifyReceiver.onPath(tmp)) {
      sendAll(new SystemdNotifier(systemd.address()));
      await().atMost(Duration.ofSeconds(10)).until(() -> systemd.received().size() == 3);
      assertThat(systemd.received()).containsExactly("READY=1|STATUS=running 2 camera(s)",
          "WATCHDOG=1|STATUS=4.0 frames/s", "STOPPING=1|STATUS=stopping: finishing frames in flight");
    }
  }

  @Test
  void anAbstractSocketNameWorksToo() throws Exception {
    try (NotifyReceiver systemd = NotifyReceiver.onAbstractName()) {
      sendAll(SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", systemd.address())));
      await().atMost(Duration.ofSeconds(10)).until(() -> systemd.received().size() == 3);
      assertThat(systemd.received()).extracting(m -> m.split("\\|")[0]).containsExactly("READY=1", "WATCHDOG=1",
          "STOPPING=1");
    }
  }

  @Test
  void withoutNotifySocketNothingIsSentAndNothingFails() {
    SystemdNotifier none = SystemdNotifier.fromEnvironment(Map.of());
    assertThat(none.enabled()).isFalse();
    sendAll(none); // would throw or log if it tried a socket
  }

  @Test
  void aSocketThatIsGoneIsNotTheAgentsProblem() {
    SystemdNotifier gone = new SystemdNotifier(tmp.resolve("no-such.sock").toString());
    assertThat(gone.enabled()).isTrue();
    sendAll(gone); // ENOENT is logged once, never thrown into the agent
  }

  @Test
  void socketAddressesAreLaidOutAsTheKernelExpects() {
    byte[] path = UnixDatagram.sockaddr("/run/systemd/notify");
    assertThat(path).hasSize(2 + "/run/systemd/notify".length() + 1);
    assertThat(path[path.length - 1]).as("a path ends with NUL").isZero();
    byte[] abstractName = UnixDatagram.sockaddr("@abc");
    assertThat(abstractName).hasSize(2 + 1 + 3).as("an abstract name starts with NUL and has none after it");
    assertThat(abstractName[2]).isZero();
    assertThat(abstractName[5]).isEqualTo((byte) 'c');
  }

  private static void sendAll(SystemdNotifier n) {
    n.ready("running 2 camera(s)");
    n.watchdog("4.0 frames/s");
    n.stopping();
  }
}
