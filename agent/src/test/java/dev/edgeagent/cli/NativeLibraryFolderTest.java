package dev.edgeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnxruntime.OrtEnvironment;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeagent.TestAssets;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX Runtime's native libraries from a folder (what EDGE_AGENT_ORT_LIB_DIR gives on a Jetson),
 * tried with the CPU jar's own libraries extracted into a temporary folder. A child JVM, because
 * a process loads the libraries once: this test's JVM already has those from the jar.
 */
class NativeLibraryFolderTest {
  @TempDir
  Path tmp;
  private Path libs;

  @BeforeEach
  void extractTheJarsLibraries() throws Exception {
    String platform = switch (System.getProperty("os.arch")) {
      case "amd64", "x86_64" -> "linux-x64";
      case "aarch64" -> "linux-aarch64";
      default -> null;
    };
    assumeTrue(platform != null && System.getProperty("os.name").startsWith("Linux"), "Linux x86-64 or aarch64 only");
    libs = Files.createDirectories(tmp.resolve("ort-libs"));
    Path jar = Path.of(OrtEnvironment.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    try (JarFile j = new JarFile(jar.toFile())) {
      for (String lib : List.of("libonnxruntime.so", "libonnxruntime4j_jni.so")) {
        try (InputStream in = j.getInputStream(j.getEntry("ai/onnxruntime/native/" + platform + "/" + lib))) {
          Files.copy(in, libs.resolve(lib));
        }
      }
    }
  }

  private record Child(int exit, String out) {}

  private Child doctor(Path libDir) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Donnxruntime.native.path=" + libDir, "-Dedgeagent.home=" + TestAssets.home(),
        "-cp", System.getProperty("java.class.path"), EdgeAgentCli.class.getName(),
        "doctor", "--json", "--set", "detect.plates=false", "--set", "spool.dir=" + tmp.resolve("spool")));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(false).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Child(p.exitValue(), out.strip());
  }

  @Test
  void theAgentRunsOnLibrariesFromTheFolderAndSaysSo() throws Exception {
    Child c = doctor(libs);
    assertThat(c.exit()).as(c.out()).isEqualTo(ExitCodes.OK);
    JsonNode j = new ObjectMapper().readTree(c.out().lines().reduce((a, b) -> b).orElseThrow());
    assertThat(j.at("/onnxruntime/library_dir").asText()).isEqualTo(libs.toString());
    assertThat(j.at("/onnxruntime/native_library").asText()).isEqualTo(libs.resolve("libonnxruntime.so").toString());
    assertThat(j.at("/models/configured/0/providers/cpu/loads").asBoolean()).isTrue();
  }

  @Test
  void aFolderWithoutTheJniLibraryExits78NamingIt() throws Exception {
    Files.delete(libs.resolve("libonnxruntime4j_jni.so"));
    Child c = doctor(libs);
    assertThat(c.exit()).isEqualTo(ExitCodes.CONFIG);
    JsonNode j = new ObjectMapper().readTree(c.out().lines().reduce((a, b) -> b).orElseThrow());
    assertThat(j.get("problems")).singleElement().extracting(JsonNode::asText).asString()
        .startsWith("EDGE_AGENT_ORT_LIB_DIR (-Donnxruntime.native.path): " + libs + " has no libonnxruntime4j_jni.so");
  }
}
