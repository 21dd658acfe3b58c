package dev.edgeagent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeagent.config.AgentConfig;
import dev.edgeagent.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReloadPlanTest {
  @TempDir
  Path tmp;

  AgentConfig load(String yaml) throws Exception {
    Path f = Files.createTempFile(tmp, "agent", ".yaml");
    Files.writeString(f, yaml);
    return new ConfigLoader().load(f);
  }

  static final String CAMERAS = "cameras:\n  - id: front\n    input: /dev/video0\n  - id: side\n    input: rtsp://10.0.0.2/s\n";

  @Test
  void camerasAreMatchedByIdOnlyTheChangedOnesAreTouched() throws Exception {
    AgentConfig before = load(CAMERAS);
    AgentConfig after = load("cameras:\n  - id: front\n    input: /dev/video0\n  - id: side\n    input: rtsp://10.0.0.3/s\n"
        + "  - id: rear\n    input: rtsp://10.0.0.4/r\n");
    ReloadPlan plan = ReloadPlan.between(before, after);
    assertThat(plan.start()).containsExactly("rear");
    assertThat(plan.restart()).containsExactly("side");
    assertThat(plan.stop()).isEmpty();
    assertThat(plan.rebuildStages()).isFalse();
    assertThat(plan.changedSettings()).isEmpty();

    ReloadPlan removed = ReloadPlan.between(after, before);
    assertThat(removed.stop()).containsExactly("rear");
    assertThat(removed.start()).isEmpty();
  }

  @Test
  void aStageSettingRebuildsTheStagesAndRestartsEveryCamera() throws Exception {
    ReloadPlan plan = ReloadPlan.between(load(CAMERAS), load(CAMERAS + "redact:\n  mode: pixelate\n"));
    assertThat(plan.rebuildStages()).isTrue();
    assertThat(plan.restart()).containsExactly("front", "side");
    assertThat(plan.changedSettings()).containsExactly("redact.mode");
    assertThat(plan.needsRestart()).isEmpty();
  }

  @Test
  void aCameraSettingRestartsTheCamerasButKeepsTheStages() throws Exception {
    ReloadPlan plan = ReloadPlan.between(load(CAMERAS), load(CAMERAS + "pipeline:\n  live_buffer_frames: 4\n"));
    assertThat(plan.rebuildStages()).isFalse();
    assertThat(plan.restart()).containsExactly("front", "side");
  }

  @Test
  void theLinkTheSpoolAndTheServerAreNotTouchedTheirChangesWaitForARestart() throws Exception {
    ReloadPlan plan = ReloadPlan.between(load(CAMERAS),
        load(CAMERAS + "kafka:\n  topic: other\nspool:\n  max_bytes: 2GiB\nhttp:\n  port: 9000\n"));
    assertThat(plan.appliesNothing()).isTrue();
    assertThat(plan.needsRestart()).containsExactly("http.port", "kafka.topic", "spool.max_bytes");
  }

  @Test
  void theSameConfigChangesNothing() throws Exception {
    ReloadPlan plan = ReloadPlan.between(load(CAMERAS), load(CAMERAS));
    assertThat(plan.appliesNothing()).isTrue();
    assertThat(plan.changedSettings()).isEmpty();
  }
}
