package dev.edgeagent.cli;

import dev.edgeagent.config.AgentConfig;
import dev.edgeagent.doctor.Doctor;
import dev.edgeagent.doctor.DoctorReport;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What this box has for the agent, and whether the profile can run on it as configured. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
    header = "Report what this box has (CPU, memory, GPU, CUDA/TensorRT libraries, providers, model timings, disk, cameras).",
    description = {"Reports the architecture, CPU cores and memory; the GPU and its driver if visible (NVIDIA driver,"
        + " nvidia-smi, /dev/nvidia*, a Jetson's /etc/nv_tegra_release); the CUDA, cuDNN and TensorRT libraries the"
        + " loader can find; the ONNX Runtime in use and the providers it has; for each model the profile uses, its"
        + " input shape and one frame's time on every provider that loads it; free disk under spool.dir; the camera"
        + " devices. Exit 0, or 78 when the profile cannot run as configured here (a model file missing,"
        + " inference.require_gpu with no GPU provider loading, an ONNX Runtime native library that does not load"
        + " or match)."})
public final class DoctorCommand implements Callable<Integer> {
  @Mixin
  CommonOptions common;

  @Option(names = "--json", description = "One JSON object instead of text.")
  boolean json;

  @Option(names = "--no-timing", description = "Skip loading and timing the models (faster; providers unchecked).")
  boolean noTiming;

  @Override
  public Integer call() throws Exception {
    AgentConfig cfg = common.config().with(common.overrides(), null);
    DoctorReport report = Doctor.examine(cfg, !noTiming);
    System.out.println(json ? report.toJson() : report.toText().stripTrailing());
    return report.ok() ? ExitCodes.OK : ExitCodes.CONFIG;
  }
}
