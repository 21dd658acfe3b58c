package dev.edgeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.edgeagent.TestAssets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** validate-config as the README uses it: a profile checked on a machine that is not the vehicle. */
class ValidateConfigCommandTest {
  @TempDir
  Path tmp;

  static Path profile(String name) {
    return TestAssets.home().resolve("edge-config").resolve(name + ".yaml");
  }

  @Test
  void everyUnsetVariableIsNamedInOneMessage() throws Exception {
    Path cfg = tmp.resolve("c.yaml");
    Files.writeString(cfg, "agent:\n  vehicle_id: ${EDGEAGENT_TEST_UNSET_VID}\nkafka:\n  bootstrap: ${EDGEAGENT_TEST_UNSET_BS}\n"
        + "  topic: ${EDGEAGENT_TEST_UNSET_TOPIC:-t}\ncameras:\n  - id: front\n    input: ${EDGEAGENT_TEST_UNSET_CAM}\n");
    assumeTrue(System.getenv("EDGEAGENT_TEST_UNSET_VID") == null && System.getenv("EDGEAGENT_TEST_UNSET_BS") == null
        && System.getenv("EDGEAGENT_TEST_UNSET_CAM") == null, "the test's variables must be unset");
    CliRunner.Run r = CliRunner.run("validate-config", "--config", cfg.toString(), "--models-dir",
        TestAssets.modelsDir().toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.CONFIG);
    assertThat(r.err().lines().filter(l -> l.startsWith("edge-agent: error:"))).hasSize(1);
    assertThat(r.err()).contains("3 environment variables are not set")
        .contains("EDGEAGENT_TEST_UNSET_VID (agent.vehicle_id)")
        .contains("EDGEAGENT_TEST_UNSET_BS (kafka.bootstrap)")
        .contains("EDGEAGENT_TEST_UNSET_CAM (cameras[0].input)")
        .contains("export EDGEAGENT_TEST_UNSET_CAM=... EDGEAGENT_TEST_UNSET_VID=...")
        .contains("--set agent.vehicle_id=...").contains("--set kafka.bootstrap=...")
        .doesNotContain("EDGEAGENT_TEST_UNSET_TOPIC").doesNotContain("Exception");
  }

  @Test
  void theDroneProfileNamesBothOfItsRequiredVariables() {
    assumeTrue(System.getenv("EDGE_AGENT_VEHICLE_ID") == null && System.getenv("EDGE_AGENT_BOOTSTRAP") == null,
        "EDGE_AGENT_VEHICLE_ID / EDGE_AGENT_BOOTSTRAP are set in this environment");
    CliRunner.Run r = CliRunner.run("validate-config", "--config", profile("drone").toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.CONFIG);
    assertThat(r.err()).contains("EDGE_AGENT_VEHICLE_ID").contains("EDGE_AGENT_BOOTSTRAP");
  }

  @Test
  void setAndModelsDirMakeEveryProfileCheckableHere() {
    for (String p : new String[] {"demo", "vehicle", "drone"}) {
      CliRunner.Run r = CliRunner.run("validate-config", "--config", profile(p).toString(),
          "--set", "agent.vehicle_id=check-1", "--set", "kafka.bootstrap=broker-1:9092",
          "--models-dir", TestAssets.modelsDir().toString());
      assertThat(r.exit()).as(p + ": " + r.err()).isZero();
      assertThat(r.out()).contains("is valid").contains("verified");
    }
  }

  @Test
  void anOverrideIsCheckedLikeTheFileAndNamesTheKey() {
    CliRunner.Run r = CliRunner.run("validate-config", "--config", profile("demo").toString(),
        "--models-dir", TestAssets.modelsDir().toString(), "--set", "redact.margin=7");
    assertThat(r.exit()).isEqualTo(ExitCodes.CONFIG);
    assertThat(r.err()).contains("redact.margin").contains("out of range");
    CliRunner.Run unknown = CliRunner.run("validate-config", "--config", profile("demo").toString(),
        "--models-dir", TestAssets.modelsDir().toString(), "--set", "redact.margin_px=1");
    assertThat(unknown.exit()).isEqualTo(ExitCodes.CONFIG);
    assertThat(unknown.err()).contains("redact.margin_px").contains("unknown setting");
  }

  @Test
  void aMissingModelsFolderSaysHowToPointAtAnother() {
    CliRunner.Run r = CliRunner.run("validate-config", "--config", profile("demo").toString(),
        "--models-dir", tmp.resolve("no-models").toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.CONFIG);
    assertThat(r.err()).contains("models.dir").contains("does not exist").contains("--models-dir");
  }

  @Test
  void byteSizesAreAcceptedWithUnits() {
    CliRunner.Run r = CliRunner.run("validate-config", "--config", profile("demo").toString(),
        "--models-dir", TestAssets.modelsDir().toString(), "--set", "spool.max_bytes=2GiB");
    assertThat(r.exit()).as(r.err()).isZero();
  }

  @Test
  void listShowsWholeNumberRangesAndByteSizes() {
    CliRunner.Run r = CliRunner.run("validate-config", "--list");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).doesNotContain("E18").doesNotContain("E15").doesNotContain(".0..")
        .contains("pipeline.max_frames (long [0..] frames, default 0)")
        .contains("http.port (int [0..65535] port, default 8088)")
        .contains("spool.max_bytes (byte size [1 MiB..1 TiB], default 1 GiB)")
        .contains("kafka.max_request_bytes (byte size [16 KiB..100 MiB], default 1 MiB)");
    assertThat(r.out().lines().filter(l -> l.contains("_bytes (")))
        .isNotEmpty().allSatisfy(l -> assertThat(l).contains("(byte size ["));
  }

  /** Issue 14: an empty file passed here (0 cameras) and was then refused by run. */
  @Test
  void aProfileRunWouldRefuseIsRefusedHereNamingWhatIsMissing() throws Exception {
    Path empty = Files.writeString(tmp.resolve("empty.yaml"), "");
    CliRunner.Run check = CliRunner.run("validate-config", "--config", empty.toString(), "--models-dir",
        TestAssets.modelsDir().toString());
    assertThat(check.exit()).as(check.out()).isEqualTo(ExitCodes.CONFIG);
    assertThat(check.err()).contains("cameras: none configured").doesNotContain("Exception");
    assertThat(check.out()).doesNotContain("is valid");
    // The same rule, the same words, from run.
    CliRunner.Run run = CliRunner.run("run", "--config", empty.toString(), "--models-dir",
        TestAssets.modelsDir().toString(), "--set", "http.enabled=false");
    assertThat(run.exit()).isEqualTo(ExitCodes.CONFIG);
    assertThat(run.err()).contains("cameras: none configured");
  }

  @Test
  void kafkaSettingsTheSinkRefusesAreRefusedHereToo() throws Exception {
    Path cfg = Files.writeString(tmp.resolve("c.yaml"), "cameras:\n  - id: front\n    input: front.mp4\n"
        + "kafka:\n  client:\n    sasl.jaas.config: \"literal secret\"\n");
    CliRunner.Run r = CliRunner.run("validate-config", "--config", cfg.toString(), "--models-dir",
        TestAssets.modelsDir().toString());
    assertThat(r.exit()).as(r.out()).isEqualTo(ExitCodes.CONFIG);
    assertThat(r.err()).contains("sasl.jaas.config").contains(".file");
    Path ok = Files.writeString(tmp.resolve("ok.yaml"), "cameras:\n  - id: front\n    input: front.mp4\n");
    CliRunner.Run good = CliRunner.run("validate-config", "--config", ok.toString(), "--models-dir",
        TestAssets.modelsDir().toString());
    assertThat(good.exit()).as(good.err()).isZero();
    assertThat(good.out()).contains("1 camera(s)");
  }

  @Test
  void aGpuDemandedOfTheCpuProviderIsRefusedWithoutLoadingAnything() {
    CliRunner.Run r = CliRunner.run("validate-config", "--config", profile("demo").toString(), "--models-dir",
        TestAssets.modelsDir().toString(), "--set", "inference.require_gpu=true");
    assertThat(r.exit()).isEqualTo(ExitCodes.CONFIG);
    assertThat(r.err()).contains("edge-agent: error: inference.require_gpu: true cannot be met with"
        + " inference.provider: cpu");
  }
}
