package dev.edgeagent.doctor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Small read-only helpers of the probes: a file's text, a folder's matching names, a tool's output. */
final class Shell {
  private Shell() {}

  static Optional<String> read(Path file) {
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip());
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Names in {@code dir} starting with {@code prefix}, sorted; empty when the folder is not there. */
  static List<Path> list(Path dir, String prefix) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList();
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  /**
   * A tool's stdout, when it is installed and answers within a few seconds (a hung driver must not
   * hang doctor); empty otherwise.
   */
  static Optional<String> run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return Optional.empty();
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      return p.exitValue() == 0 ? Optional.of(out) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  static List<String> lines(Optional<String> text) {
    return text.map(t -> new ArrayList<>(t.lines().toList())).map(List::copyOf).orElse(List.of());
  }
}
