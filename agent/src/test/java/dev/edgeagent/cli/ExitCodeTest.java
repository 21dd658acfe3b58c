package dev.edgeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeagent.TestAssets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gets a message that says what to fix and its sysexits code, never a bare stack trace. */
class ExitCodeTest {
  @TempDir
  Path tmp;

  CliRunner.Run anonymize(String input, String... extra) {
    String[] base = {"anonymize", "--input", input, "--output", tmp.resolve("o.mp4").toString()};
    String[] all = Arrays.copyOf(base, base.length + extra.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return CliRunner.run(all);
  }

  static String models() {
    return TestAssets.modelsDir().toString();
  }

  @Test
  void aMissingInputExits66() {
    CliRunner.Run r = anonymize(tmp.resolve("nope.mp4").toString(), "--models-dir", models());
    assertThat(r.exit()).isEqualTo(ExitCodes.NO_INPUT);
    assertThat(r.err()).contains("does not exist").doesNotContain("Exception");
  }

  @Test
  void aCorruptVideoExits65() throws Exception {
    Path bad = tmp.resolve("bad.avi");
    Files.write(bad, "this is not a video at all, just text pretending".repeat(100).getBytes());
    CliRunner.Run r = anonymize(bad.toString(), "--models-dir", models());
    assertThat(r.exit()).isEqualTo(ExitCodes.DATA_ERR);
    assertThat(r.err()).contains("cannot decode");
  }

  @Test
  void aTruncatedVideoIsAnonymizedAsFarAsItGoesOrRejected() throws Exception {
    byte[] all = Files.readAllBytes(TestAssets.media("Megamind.avi"));
    Path cut = tmp.resolve("cut.avi");
    Files.write(cut, Arrays.copyOf(all, all.length / 10));
    CliRunner.Run r = anonymize(cut.toString(), "--models-dir", models(), "--no-plates");
    // FFmpeg decodes what is there; the tool must finish cleanly either way, never crash.
    assertThat(r.exit()).isIn(ExitCodes.OK, ExitCodes.DATA_ERR);
    assertThat(r.err()).doesNotContain("internal error");
    if (r.exit() == ExitCodes.OK) {
      assertThat(r.lastLine()).contains("\"frames\":");
      assertThat(tmp.resolve("o.mp4")).exists();
    }
  }

  @Test
  void aMissingModelExits78() throws Exception {
    CliRunner.Run r = anonymize(TestAssets.media("messi5.jpg").toString(), "--models-dir",
        Files.createDirectories(tmp.resolve("empty")).toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.CONFIG);
    assertThat(r.err()).contains("missing").contains("fetch-models.sh");
  }

  @Test
  void aModelWithTheWrongSha256Exits78AndNothingIsWritten() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("models"));
    for (String m : new String[] {"blazeface-back-256.onnx", "ppocr-v4-det.onnx", "ppocr-v4-rec.onnx", "ppocr-keys-v1.txt"}) {
      Files.copy(TestAssets.modelsDir().resolve(m), dir.resolve(m));
    }
    byte[] b = Files.readAllBytes(dir.resolve("ppocr-v4-det.onnx"));
    b[b.length / 2] ^= 0x01;
    Files.write(dir.resolve("ppocr-v4-det.onnx"), b);
    Path out = tmp.resolve("out.jpg");
    CliRunner.Run r = CliRunner.run("anonymize", "--input", TestAssets.media("messi5.jpg").toString(),
        "--output", out.toString(), "--models-dir", dir.toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.CONFIG);
    assertThat(r.err()).contains("sha256").contains("refusing");
    assertThat(out).doesNotExist();
  }

  @Test
  void usageErrorsExit64() {
    assertThat(CliRunner.run("anonymize", "--output", "x").exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(CliRunner.run("frobnicate").exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(CliRunner.run().exit()).isEqualTo(ExitCodes.USAGE);
    CliRunner.Run nothing = anonymize(TestAssets.media("messi5.jpg").toString(), "--no-faces", "--no-plates",
        "--models-dir", models());
    assertThat(nothing.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(CliRunner.run("anonymize", "--input", "a", "--output", "b", "--mode", "smudge",
        "--models-dir", models()).exit()).isEqualTo(ExitCodes.CONFIG);
  }

  @Test
  void validateConfigNamesTheBadKey() throws Exception {
    Path cfg = tmp.resolve("bad.yaml");
    Files.writeString(cfg, "redact:\n  margin: 5\n");
    CliRunner.Run r = CliRunner.run("validate-config", "--config", cfg.toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.CONFIG);
    assertThat(r.err()).contains("redact.margin");
    Path good = tmp.resolve("good.yaml");
    Files.writeString(good, "models:\n  dir: " + models() + "\ncameras:\n  - id: front\n    input: front.mp4\n");
    assertThat(CliRunner.run("validate-config", "--config", good.toString()).exit()).isZero();
  }

  @Test
  void versionListsTheModelPins() {
    CliRunner.Run r = CliRunner.run("--version");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("427cbbe0fc41448d09e1dc9cfabe2423d997cf2faaeab91fadd09a510b63b8e2")
        .contains("30a86f5731181461d08021402766601e4302a9b9b9666be8aff402696339cdff");
  }

  private CliRunner.Run runOnePhoto(String... set) {
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("run", "--input",
        TestAssets.media("messi5.jpg").toString(), "--max-frames", "1", "--models-dir", models(),
        "--set", "sink.type=directory", "--set", "sink.directory=" + tmp.resolve("frames")));
    for (String kv : set) {
      args.add("--set");
      args.add(kv);
    }
    return CliRunner.run(args.toArray(String[]::new));
  }

  @Test
  void anHttpPortInUseOrAnUnresolvableHostIsAConfigurationErrorNamingTheKey() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      CliRunner.Run r = runOnePhoto("http.port=" + taken.getLocalPort());
      assertThat(r.exit()).isEqualTo(ExitCodes.CONFIG);
      assertThat(r.err()).contains("http.port:").contains("choose another http.port").doesNotContain("\tat ");
    }
    CliRunner.Run r = runOnePhoto("http.host=no-such-host.invalid", "http.port=0");
    assertThat(r.exit()).isEqualTo(ExitCodes.CONFIG);
    assertThat(r.err()).contains("http.host: 'no-such-host.invalid' does not resolve").doesNotContain("\tat ");
  }

  @Test
  void anOutputFolderThatCannotBeCreatedIsAnIoErrorNotAnInternalOne() throws Exception {
    Path file = Files.writeString(tmp.resolve("a-file"), "not a folder");
    CliRunner.Run r = runOnePhoto("http.port=0", "sink.directory=" + file.resolve("frames"));
    assertThat(r.exit()).isEqualTo(ExitCodes.IO_ERR);
    assertThat(r.err()).contains("cannot use " + file.resolve("frames")).doesNotContain("internal error")
        .doesNotContain("\tat ");
  }
}
