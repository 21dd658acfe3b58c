package dev.edgeagent.doctor;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;

/** The machine: OS, architecture, CPU cores, memory, Java. */
final class HostProbe {
  private HostProbe() {}

  static void probe(DoctorReport report) {
    ObjectNode s = report.section("host");
    s.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    s.put("arch", System.getProperty("os.arch"));
    s.put("cpu_cores", Runtime.getRuntime().availableProcessors());
    for (String line : Shell.lines(Shell.read(Path.of("/proc/meminfo")))) {
      if (line.startsWith("MemTotal:")) {
        s.put("memory_total_bytes", kib(line));
      } else if (line.startsWith("MemAvailable:")) {
        s.put("memory_available_bytes", kib(line));
      }
    }
    s.put("java", Runtime.version().toString());
  }

  private static long kib(String meminfoLine) {
    return Long.parseLong(meminfoLine.replaceAll("\\D", "")) * 1024;
  }
}
