package dev.edgeagent.doctor;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;

/**
 * The GPU as the operating system shows it: the NVIDIA kernel driver, nvidia-smi's view, the
 * device nodes, and on a Jetson its L4T release (Jetsons have no nvidia-smi of this kind and no
 * /proc/driver/nvidia; /etc/nv_tegra_release names the JetPack base).
 */
final class GpuProbe {
  private GpuProbe() {}

  static void probe(DoctorReport report) {
    ObjectNode s = report.section("gpu");
    s.put("driver", Shell.read(Path.of("/proc/driver/nvidia/version"))
        .map(t -> t.lines().findFirst().orElse(t)).orElse(null));
    s.put("nvidia_smi", Shell.run("nvidia-smi", "--query-gpu=index,name,driver_version,memory.total",
        "--format=csv,noheader").orElse(null));
    var nodes = s.putArray("devices");
    Shell.list(Path.of("/dev"), "nvidia").forEach(p -> nodes.add(p.toString()));
    Shell.list(Path.of("/dev"), "nvhost-gpu").forEach(p -> nodes.add(p.toString()));
    s.put("jetson_l4t", Shell.read(Path.of("/etc/nv_tegra_release"))
        .map(t -> t.lines().findFirst().orElse(t)).orElse(null));
    s.put("visible", !s.get("devices").isEmpty() || !s.get("driver").isNull() || !s.get("jetson_l4t").isNull());
  }
}
