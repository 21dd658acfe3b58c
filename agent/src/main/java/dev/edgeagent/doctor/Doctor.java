package dev.edgeagent.doctor;

import dev.edgeagent.config.AgentConfig;
import dev.edgeagent.config.ConfigException;
import dev.edgeagent.detect.InferenceConfig;
import dev.edgeagent.pipeline.ConfiguredModels;

/** Runs every probe for one loaded profile. */
public final class Doctor {
  private Doctor() {}

  /**
   * @param timeModels load each model on each provider and time one frame (seconds on a CPU)
   * @throws ConfigException when the profile itself is invalid (doctor exits 78 like run would)
   */
  public static DoctorReport examine(AgentConfig cfg, boolean timeModels) throws ConfigException {
    DoctorReport report = new DoctorReport();
    InferenceConfig inference = InferenceConfig.from(cfg);
    HostProbe.probe(report);
    GpuProbe.probe(report);
    GpuLibraryProbe.probe(report);
    ProviderProbe.probe(report, inference, timeModels ? ConfiguredModels.of(cfg) : java.util.List.of());
    MachineProbe.spool(report, cfg.path("spool.dir"), cfg.longValue("spool.min_free_bytes"));
    MachineProbe.cameras(report);
    return report;
  }
}
