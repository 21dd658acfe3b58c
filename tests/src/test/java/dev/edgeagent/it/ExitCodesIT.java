package dev.edgeagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, cases 5 and 9, as a user meets them: the packaged jar's {@code run} on a read-only
 * filesystem (a real tmpfs remounted read-only; skipped without root), with its HTTP port taken
 * by another process or an address that does not resolve, and with an empty config file. Each
 * gives the documented exit code and a message that names what to fix, never a stack trace.
 */
class ExitCodesIT {
  @TempDir
  Path tmp;

  record Run(int exit, String out) {}

  Run agent(String... args) throws Exception {
    Path home = PipelineHarness.home();
    List<String> cmd = new ArrayList<>(List.of(System.getProperty("java.home") + File.separator + "bin" + File.separator
        + "java", "-Xmx512m", "-Dedgeagent.home=" + home, "-jar", home.resolve("agent/target/edge-agent.jar").toString()));
    cmd.addAll(List.of(args));
    Path log = Files.createTempFile(tmp, "run", ".log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("%s finishes", cmd).isTrue();
    return new Run(p.exitValue(), Files.readString(log));
  }

  Run runOnePhoto(String... settings) throws Exception {
    List<String> args = new ArrayList<>(List.of("run", "--input", PipelineHarness.home().resolve(".cache/media/messi5.jpg")
        .toString(), "--models-dir", PipelineHarness.home().resolve(".cache/models").toString(),
        "--set", "detect.plates=false"));
    for (String s : settings) {
      args.add("--set");
      args.add(s);
    }
    return agent(args.toArray(String[]::new));
  }

  @Test
  void aReadOnlySpoolOrOutputFolderIsAnIoErrorNamingTheFolder() throws Exception {
    try (SmallDisk disk = SmallDisk.mount(tmp.resolve("ro"), 1 << 20)) {
      Files.createDirectories(disk.mountPoint.resolve("spool"));
      Files.createDirectories(disk.mountPoint.resolve("out"));
      disk.readOnly();
      Run spool = runOnePhoto("http.port=0", "kafka.bootstrap=127.0.0.1:1", "spool.dir=" + disk.mountPoint.resolve("spool"));
      assertThat(spool.exit()).as(spool.out()).isEqualTo(74);
      assertThat(spool.out()).contains(disk.mountPoint.resolve("spool").toString()).doesNotContain("\tat ")
          .doesNotContain("internal error");
      Run out = runOnePhoto("http.port=0", "sink.type=directory", "sink.directory=" + disk.mountPoint.resolve("out"));
      assertThat(out.exit()).as(out.out()).isEqualTo(74);
      assertThat(out.out()).contains(disk.mountPoint.resolve("out").toString()).doesNotContain("\tat ");
    }
  }

  @Test
  void aTakenPortOrAnUnresolvableHostIsAConfigurationErrorNamingTheKey() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Run r = runOnePhoto("sink.type=directory", "sink.directory=" + tmp.resolve("out1"),
          "http.port=" + taken.getLocalPort());
      assertThat(r.exit()).as(r.out()).isEqualTo(78);
      assertThat(r.out()).contains("http.port:").contains("choose another http.port").doesNotContain("\tat ");
    }
    Run r = runOnePhoto("sink.type=directory", "sink.directory=" + tmp.resolve("out2"), "http.port=0",
        "http.host=no-such-host.invalid");
    assertThat(r.exit()).as(r.out()).isEqualTo(78);
    assertThat(r.out()).contains("http.host: 'no-such-host.invalid' does not resolve").doesNotContain("\tat ");
  }

  @Test
  void anEmptyConfigIsRefusedAlikeByValidateConfigAndRun() throws Exception {
    Path empty = Files.writeString(tmp.resolve("empty.yaml"), "");
    Run validate = agent("validate-config", "--config", empty.toString());
    Run run = agent("run", "--config", empty.toString());
    assertThat(validate.exit()).as(validate.out()).isEqualTo(78);
    assertThat(run.exit()).as(run.out()).isEqualTo(78);
    assertThat(validate.out()).contains("cameras: none configured");
    assertThat(run.out()).contains("cameras: none configured").doesNotContain("\tat ");
  }
}
