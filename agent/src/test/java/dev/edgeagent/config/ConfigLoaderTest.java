package dev.edgeagent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {
  @TempDir
  Path dir;

  AgentConfig load(String yaml, Map<String, String> env) throws Exception {
    Path f = dir.resolve("c.yaml");
    Files.writeString(f, yaml);
    return new ConfigLoader(env::get).load(f);
  }

  AgentConfig load(String yaml) throws Exception {
    return load(yaml, Map.of());
  }

  @Test
  void defaultsFillEveryKeyAndRelativePathsResolveAgainstTheFile() throws Exception {
    AgentConfig c = load("cameras:\n  - id: front\n    input: clip.avi\nsink:\n  directory: out\n");
    assertThat(c.string("redact.mode")).isEqualTo("inpaint");
    assertThat(c.decimal("detect.face_threshold")).isEqualTo(0.05);
    assertThat(c.path("sink.directory")).isEqualTo(dir.resolve("out"));
    assertThat(c.cameras()).containsExactly(new CameraConfig("front", dir.resolve("clip.avi").toString()));
  }

  @Test
  void aCameraDeclaresAnImageFolderASequenceOnlyWhenItSaysSo() throws Exception {
    AgentConfig c = load("cameras:\n  - id: photos\n    input: in\n  - id: frames\n    input: in\n"
        + "    sequence: ${SEQ:-true}\n");
    assertThat(c.cameras()).containsExactly(new CameraConfig("photos", dir.resolve("in").toString(), false),
        new CameraConfig("frames", dir.resolve("in").toString(), true));
  }

  @Test
  void environmentVariablesAreSubstitutedWithDefaults() throws Exception {
    AgentConfig c = load("agent:\n  vehicle_id: ${VID}\nhttp:\n  port: ${PORT:-9000}\n", Map.of("VID", "truck-7"));
    assertThat(c.string("agent.vehicle_id")).isEqualTo("truck-7");
    assertThat(c.integer("http.port")).isEqualTo(9000);
  }

  @Test
  void aMissingVariableNamesTheKeyAndTheVariable() {
    assertThatThrownBy(() -> load("agent:\n  vehicle_id: ${NOPE}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("agent.vehicle_id").hasMessageContaining("NOPE");
  }

  @Test
  void everyMissingVariableIsReportedAtOnce() {
    assertThatThrownBy(() -> load("agent:\n  vehicle_id: ${A1}\nkafka:\n  bootstrap: ${B2}\n  client:\n"
        + "    sasl.jaas.config: ${A1}\ncameras:\n  - id: ${C3}\n    input: x\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("3 environment variables are not set")
        .hasMessageContaining("A1 (agent.vehicle_id, kafka.client.sasl.jaas.config)")
        .hasMessageContaining("B2 (kafka.bootstrap)").hasMessageContaining("C3 (cameras[0].id)");
  }

  @Test
  void anOverriddenKeyNeedsNoVariableAndIsNotCheckedFromTheFile() throws Exception {
    Path f = dir.resolve("o.yaml");
    Files.writeString(f, "agent:\n  vehicle_id: ${NOPE}\nredact:\n  margin: 9\nhttp:\n  port: 9001\n");
    AgentConfig c = new ConfigLoader(Map.<String, String>of()::get)
        .load(f, java.util.Set.of("agent.vehicle_id", "redact.margin"))
        .with(Map.of("agent.vehicle_id", "v-9", "redact.margin", "0.2"), null);
    assertThat(c.string("agent.vehicle_id")).isEqualTo("v-9");
    assertThat(c.decimal("redact.margin")).isEqualTo(0.2);
    assertThat(c.integer("http.port")).isEqualTo(9001);
  }

  @Test
  void byteSizesTakeBinaryUnits() throws Exception {
    AgentConfig c = load("spool:\n  max_bytes: 8GiB\n  min_free_bytes: 512 MiB\n  segment_bytes: 1048576\n");
    assertThat(c.longValue("spool.max_bytes")).isEqualTo(8L << 30);
    assertThat(c.longValue("spool.min_free_bytes")).isEqualTo(512L << 20);
    assertThat(c.longValue("spool.segment_bytes")).isEqualTo(1L << 20);
    assertThatThrownBy(() -> load("spool:\n  max_bytes: 1.5GiB\n")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("spool.max_bytes: expected a byte size").hasMessageContaining("[1 MiB..1 TiB]");
    assertThatThrownBy(() -> load("spool:\n  max_bytes: 2TiB\n")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("spool.max_bytes").hasMessageContaining("out of range");
    assertThatThrownBy(() -> load("spool:\n  max_bytes: 99999999999TiB\n")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("spool.max_bytes: expected a byte size");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "detect:\n  face_threshold: 1.5\n|detect.face_threshold",
      "detect:\n  face_treshold: 0.4\n|detect.face_threshold?",
      "redact:\n  mode: smudge\n|redact.mode",
      "detect:\n  faces: maybe\n|detect.faces",
      "detect:\n  plate_text_policy: signs\n|detect.plate_text_policy: 'signs' is not one of [plates, all_text]",
      "detect:\n  plate_read_confidence: 1.5\n|detect.plate_read_confidence: 1.5 is out of range [0..1]",
      "detect:\n  plate_keep_illegible: often\n|detect.plate_keep_illegible",
      "models:\n  plate_reader: tesseract\n|models.plate_reader: 'tesseract' is not one of [ppocr-v4-rec]",
      "http:\n  port: eighty\n|http.port",
      "cameras:\n  - id: a\n    input: x\n  - id: a\n    input: y\n|cameras[1].id",
      "cameras:\n  - id: 'bad id'\n    input: x\n|cameras[0].id",
      "cameras:\n  - id: a\n|cameras[0].input",
      "cameras: {}\n|cameras",
      "cameras:\n  - id: a\n    input: x\n    sequence: sometimes\n|cameras[0].sequence",
      "- just\n- a list\n|top level",
      "detect: [unclosed\n|not valid YAML"})
  void badValuesNameTheKey(String spec) {
    String[] parts = spec.split("\\|");
    assertThatThrownBy(() -> load(parts[0])).isInstanceOf(ConfigException.class)
        .hasMessageContaining(parts[1]);
  }

  @Test
  void platesAreReadByDefaultAndAllTextIsTheOldEraseEverythingChoice() throws Exception {
    AgentConfig d = ConfigLoader.defaults();
    assertThat(d.string("detect.plate_text_policy")).isEqualTo("plates");
    assertThat(d.string("models.plate_reader")).isEqualTo("ppocr-v4-rec");
    assertThat(d.decimal("detect.plate_read_min_px")).isEqualTo(6);
    assertThat(d.decimal("detect.plate_read_confidence")).isEqualTo(0.5);
    assertThat(d.bool("detect.plate_keep_illegible")).isTrue();
    assertThat(d.string("models.plate_verify")).isEqualTo("plate-cls");
    assertThat(d.decimal("detect.plate_map_verify_threshold")).isEqualTo(0.3);
    assertThat(Settings.BY_KEY.get("detect.plate_text_policy").choices()).containsExactly("plates", "all_text");
    AgentConfig c = load("detect:\n  plate_text_policy: ALL_TEXT\n  plate_read_min_px: 12\n");
    assertThat(c.string("detect.plate_text_policy")).isEqualTo("all_text");
    assertThat(c.decimal("detect.plate_read_min_px")).isEqualTo(12);
  }

  @ParameterizedTest
  @ValueSource(strings = {"demo", "vehicle", "drone"})
  void theShippedProfilesAreValid(String profile) throws Exception {
    Path file = ConfigLoader.home().resolve("edge-config").resolve(profile + ".yaml");
    AgentConfig c = new ConfigLoader(Map.of("EDGE_AGENT_VEHICLE_ID", "v-1", "EDGE_AGENT_BOOTSTRAP", "broker-1:9092")::get).load(file);
    assertThat(c.cameras()).isNotEmpty();
  }

  @Test
  void overridesAreValidatedLikeTheFile() throws IOException {
    assertThatThrownBy(() -> ConfigLoader.defaults().with(Map.of("redact.margin", "-1"), null))
        .isInstanceOf(ConfigException.class).hasMessageContaining("redact.margin");
    assertThatThrownBy(() -> ConfigLoader.defaults().with(Map.of("no.such", "1"), null))
        .isInstanceOf(ConfigException.class).hasMessageContaining("no.such");
  }

  @Test
  void overlapIsOnByDefaultAndOnlyTrueOrFalse() throws Exception {
    assertThat(ConfigLoader.defaults().bool("pipeline.overlap")).isTrue();
    assertThat(ConfigLoader.defaults().with(Map.of("pipeline.overlap", "false"), null).bool("pipeline.overlap")).isFalse();
    assertThatThrownBy(() -> ConfigLoader.defaults().with(Map.of("pipeline.overlap", "sometimes"), null))
        .isInstanceOf(ConfigException.class).hasMessageContaining("pipeline.overlap");
  }

  @Test
  void everySettingDocumentsItself() {
    assertThat(Settings.ALL).allSatisfy(s -> {
      assertThat(s.doc()).isNotBlank();
      assertThat(s.parse(s.defaultValue())).as(s.key() + " default is valid").isNotNull();
    });
  }
}
