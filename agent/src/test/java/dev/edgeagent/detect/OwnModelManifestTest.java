package dev.edgeagent.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgeagent.config.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class OwnModelManifestTest {

  @Test
  void everyPackagedPinMatchesItsCommittedFile() throws Exception {
    OwnModelManifest m = OwnModelManifest.load();
    assertThat(m.entries()).containsKeys("affine-stablesr-x2", "fsrcnn-x2");
    for (OwnModelManifest.Entry e : m.entries().values()) {
      assertThat(e.licence()).isNotBlank();
      assertThat(e.params()).as(e.name() + " params").isPositive();
      var file = ConfigLoader.home().resolve(e.path());
      assertThat(Files.isRegularFile(file)).as(file + " committed").isTrue();
      assertThat(OnnxModel.sha256(file)).as(e.name()).isEqualTo(e.sha256());
    }
  }

  @Test
  void aMalformedRowIsABuildDefectNotASilentSkip() {
    String tsv = "x\tmodels/x.onnx\tnot-a-hash\tMIT\t12\tdesc\n";
    assertThatThrownBy(() -> OwnModelManifest.parse(
        new ByteArrayInputStream(tsv.getBytes(StandardCharsets.UTF_8))))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("line 1");
  }
}
