package dev.edgeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every command's --help, as a user runs it: exit 0, a usage text, and no picocli warning on
 * stderr (a bare '%' in a description made eval --help print "[picocli WARN] Could not format").
 * The text is wrapped by picocli to one width for all commands.
 */
class CliHelpTest {
  static Stream<String> commands() {
    return Stream.concat(Stream.of(""), EdgeAgentCli.commandLine().getSubcommands().keySet().stream());
  }

  @Test
  void everySubcommandIsCovered() {
    assertThat(commands().toList()).contains("anonymize", "run", "validate-config", "consume", "bench", "eval",
        "eval-video", "upscale", "eval-sr", "help").hasSizeGreaterThan(10);
  }

  @ParameterizedTest(name = "edge-agent {0} --help")
  @MethodSource("commands")
  void helpExitsZeroWithoutPicocliWarnings(String command) {
    CliRunner.Run r = command.isEmpty() ? CliRunner.run("--help") : CliRunner.run(command, "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.err()).doesNotContain("[picocli WARN]").doesNotContain("Could not format");
    assertThat(r.out()).contains("Usage: edge-agent" + (command.isEmpty() ? "" : " " + command));
    assertThat(r.out()).doesNotContain("%n").doesNotContain("${");
    List<String> lines = r.out().lines().toList();
    assertThat(lines).as("wrapped to %d columns (no terminal here)", EdgeAgentCli.USAGE_WIDTH)
        .allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(EdgeAgentCli.USAGE_WIDTH));
  }

  @Test
  void helpSubcommandShowsTheSameText() {
    CliRunner.Run viaHelp = CliRunner.run("help", "eval");
    assertThat(viaHelp.exit()).isZero();
    assertThat(viaHelp.err()).doesNotContain("[picocli WARN]");
    assertThat(viaHelp.out()).isEqualTo(CliRunner.run("eval", "--help").out()).contains("90% of it");
  }
}
