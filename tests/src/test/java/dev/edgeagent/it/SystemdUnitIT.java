package dev.edgeagent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * systemd/edge-agent.service as systemd itself judges it: {@code systemd-analyze security
 * --offline=true} must score it at most 2.0 (it was 8.5 EXPOSED before the hardening), and
 * {@code systemd-analyze verify} must load it without a word of complaint in an installed
 * layout. Skipped, saying why, where systemd-analyze is not installed (Debian package systemd;
 * bin/install-test-tools installs it). Runs without systemd as PID 1 (containers, CI).
 */
class SystemdUnitIT {
  private static final double MAX_EXPOSURE = 2.0;
  private static final Path UNIT = PipelineHarness.home().resolve("systemd/edge-agent.service");

  @TempDir
  Path tmp;

  @BeforeAll
  static void needsSystemdAnalyze() {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-analyze")) || Files.isExecutable(Path.of("/bin/systemd-analyze")),
        "systemd-analyze is not installed (Debian package systemd): the unit file checks are skipped");
  }

  @Test
  void theUnitScoresAtMostTwoInSystemdsSecurityReview() throws Exception {
    Run r = run(List.of("systemd-analyze", "security", "--offline=true", "--no-pager", UNIT.toString()));
    Matcher m = Pattern.compile("Overall exposure level for edge-agent\\.service: (\\d+\\.\\d+)").matcher(r.out);
    assertThat(m.find()).as("systemd-analyze security printed a score:%n%s", r.out).isTrue();
    double score = Double.parseDouble(m.group(1));
    assertThat(score).as("exposure of edge-agent.service (lower is better):%n%s", r.out).isLessThanOrEqualTo(MAX_EXPOSURE);
  }

  /**
   * verify checks that ExecStart= and ExecStartPre= name executables, so it runs against a root
   * where the unit is installed as the header comment says: /opt/edge-agent/bin/edge-agent
   * present and executable, the unit in /etc/systemd/system, and copies of the host's own
   * targets (what the unit is ordered against and wanted by) under /usr/lib/systemd/system.
   * Copies, not a link: inside --root, systemd resolves a link to /usr/lib/... within the root.
   */
  @Test
  void theUnitVerifiesCleanlyInAnInstalledLayout() throws Exception {
    Path hostUnits = Files.isDirectory(Path.of("/usr/lib/systemd/system")) ? Path.of("/usr/lib/systemd/system")
        : Path.of("/lib/systemd/system");
    assumeTrue(Files.exists(hostUnits.resolve("multi-user.target")),
        "no systemd units on this host (" + hostUnits + "/multi-user.target): systemd-analyze verify is skipped");
    Path root = tmp.resolve("root");
    Path bin = Files.createDirectories(root.resolve("opt/edge-agent/bin")).resolve("edge-agent");
    Files.writeString(bin, "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
    // ExecReload= sends SIGHUP with the OS's own kill (procps), which every installed system has
    Path hostKill = Files.isExecutable(Path.of("/bin/kill")) ? Path.of("/bin/kill") : Path.of("/usr/bin/kill");
    assumeTrue(Files.isExecutable(hostKill), "no kill(1) on this host: systemd-analyze verify is skipped");
    Files.copy(hostKill, Files.createDirectories(root.resolve("bin")).resolve("kill"));
    Path units = Files.createDirectories(root.resolve("etc/systemd/system"));
    Files.copy(UNIT, units.resolve("edge-agent.service"));
    Path targets = Files.createDirectories(root.resolve("usr/lib/systemd/system"));
    try (var host = Files.list(hostUnits)) {
      for (Path t : host.filter(f -> f.getFileName().toString().endsWith(".target") && Files.isRegularFile(f,
          java.nio.file.LinkOption.NOFOLLOW_LINKS)).toList()) {
        Files.copy(t, targets.resolve(t.getFileName()));
      }
    }

    Run r = run(List.of("systemd-analyze", "verify", "--root=" + root, "--man=no", "--generators=no",
        "edge-agent.service"));
    assertThat(r.exit).as("systemd-analyze verify exit; it said:%n%s", r.out).isZero();
    assertThat(r.out).as("systemd-analyze verify output (unknown keys, bad values, missing executables)").isBlank();

    // the check has teeth: the same layout without the executable fails
    Files.delete(bin);
    Run broken = run(List.of("systemd-analyze", "verify", "--root=" + root, "--man=no", "--generators=no",
        "edge-agent.service"));
    assertThat(broken.exit).isNotZero();
    assertThat(broken.out).contains("/opt/edge-agent/bin/edge-agent");
  }

  private record Run(int exit, String out) {}

  private Run run(List<String> argv) throws IOException, InterruptedException {
    Path log = Files.createTempFile(tmp, "analyze", ".log");
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finishes", argv).isTrue();
    return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }
}
