package dev.edgeagent.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OrtVersionsTest {

  @Test
  void aNativeLibraryOfAnotherReleaseIsRefusedNamingBothVersionsAndTheFix() {
    OrtVersions v = new OrtVersions("1.23.2", "1.20.0");
    assertThat(v.match()).isFalse();
    assertThatThrownBy(() -> v.check("/opt/ort/lib")).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("native library in /opt/ort/lib (EDGE_AGENT_ORT_LIB_DIR")
        .hasMessageContaining("is version 1.20.0 but the agent's ONNX Runtime Java API is 1.23.2")
        .hasMessageContaining("mvn -Donnxruntime.version=1.20.0");
  }

  @Test
  void theSameReleaseWithABuildSuffixMatches() throws Exception {
    new OrtVersions("1.23.2", "1.23.2+jetpack6").check("/opt/ort/lib");
    assertThat(new OrtVersions("1.23.2", "1.23.2").match()).isTrue();
    assertThat(new OrtVersions("1.23.2", "1.23.1").match()).isFalse();
  }

  @Test
  void anUnknownJavaVersionCannotBeCheckedAndPasses() {
    assertThat(new OrtVersions(null, "1.20.0").match()).isTrue();
  }

  @Test
  void theJarAndItsOwnNativeLibraryAgreeHere() throws Exception {
    assertThat(OrtRuntime.javaApiVersion()).isEqualTo(OrtRuntime.environment().getVersion());
  }
}
