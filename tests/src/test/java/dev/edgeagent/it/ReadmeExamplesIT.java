package dev.edgeagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeagent.cli.EdgeAgentCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code edge-agent} commands in README.md's fenced examples. Those that run offline and
 * quickly (--help, --version, help, validate-config of a profile, validate-config --list) are run
 * exactly as written, through {@code bin/edge-agent} from the repository root, in an environment
 * without the profiles' EDGE_AGENT_* variables, and must exit 0. The others (run, anonymize,
 * consume, bench, eval-video: long jobs or a broker) are parsed by the CLI, without the optional
 * parts written in [brackets], so an option renamed in the code fails here. Every profile in
 * edge-config/ must have a validate-config example.
 */
class ReadmeExamplesIT {
  private static final List<String> OFFLINE = List.of("--help", "--version", "help", "validate-config");

  /** One command line per entry, comments and the "bin/" prefix removed. */
  static List<String> examples() throws Exception {
    List<String> out = new ArrayList<>();
    boolean fenced = false;
    for (String line : Files.readAllLines(PipelineHarness.home().resolve("README.md"))) {
      if (line.startsWith("```")) {
        fenced = !fenced;
        continue;
      }
      String cmd = line.replaceAll("\\s+#.*$", "").strip();
      if (fenced && (cmd.startsWith("bin/edge-agent ") || cmd.startsWith("edge-agent "))) {
        out.add(cmd.replaceFirst("^bin/", ""));
      }
    }
    return out;
  }

  static boolean offline(String cmd) {
    String[] words = cmd.split("\\s+");
    return OFFLINE.contains(words[1]) || cmd.endsWith(" --help");
  }

  static Stream<String> offlineExamples() throws Exception {
    return examples().stream().filter(ReadmeExamplesIT::offline);
  }

  static Stream<String> otherExamples() throws Exception {
    return examples().stream().filter(c -> !offline(c));
  }

  @Test
  void theReadmeHasExamplesOfEveryKindAndEveryProfile() throws Exception {
    List<String> all = examples();
    assertThat(all).contains("edge-agent --help", "edge-agent validate-config --list")
        .anyMatch(c -> c.startsWith("edge-agent --version"))
        .anyMatch(c -> c.startsWith("edge-agent run "));
    try (var profiles = Files.list(PipelineHarness.home().resolve("edge-config"))) {
      List<String> names = profiles.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList();
      assertThat(names).contains("demo.yaml", "vehicle.yaml", "drone.yaml");
      for (String n : names) {
        assertThat(all).as("a validate-config example for edge-config/" + n)
            .anyMatch(c -> c.startsWith("edge-agent validate-config --config edge-config/" + n));
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("offlineExamples")
  void runsAsWritten(String cmd, @TempDir Path tmp) throws Exception {
    Path home = PipelineHarness.home();
    List<String> argv = new ArrayList<>(List.of(home.resolve("bin/edge-agent").toString()));
    argv.addAll(Arrays.asList(cmd.split("\\s+")).subList(1, cmd.split("\\s+").length));
    ProcessBuilder pb = new ProcessBuilder(argv).directory(home.toFile())
        .redirectOutput(tmp.resolve("out").toFile()).redirectError(tmp.resolve("err").toFile());
    // as on a machine that is not the vehicle: none of the profiles' variables set
    pb.environment().keySet().removeIf(k -> k.startsWith("EDGE_AGENT_"));
    pb.environment().put("EDGE_AGENT_JAVA_OPTS", "-Xmx256m");
    Process p = pb.start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finishes", cmd).isTrue();
    String out = Files.readString(tmp.resolve("out"));
    String err = Files.readString(tmp.resolve("err"));
    assertThat(p.exitValue()).as("%s%nstderr: %s", cmd, err).isZero();
    assertThat(err).doesNotContain("[picocli WARN]").doesNotContain("Exception");
    assertThat(out).isNotBlank();
    if (cmd.contains("validate-config --config")) {
      assertThat(out).contains("is valid");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("otherExamples")
  void parsesAsWritten(String cmd) {
    String required = cmd.replaceAll("\\s*\\[[^\\]]*]", "");
    String[] words = required.split("\\s+");
    assertThat(words[0]).isEqualTo("edge-agent");
    var parsed = EdgeAgentCli.commandLine().parseArgs(Arrays.copyOfRange(words, 1, words.length));
    assertThat(parsed.hasSubcommand()).as(cmd).isTrue();
    assertThat(parsed.unmatched()).as(cmd).isEmpty();
  }
}
