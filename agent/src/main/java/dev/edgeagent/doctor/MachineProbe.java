package dev.edgeagent.doctor;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Free disk under the spool folder, and the cameras (V4L2 device nodes) this box has. */
final class MachineProbe {
  private MachineProbe() {}

  static void spool(DoctorReport report, Path spoolDir, long minFreeBytes) {
    ObjectNode s = report.section("spool");
    s.put("dir", spoolDir.toString());
    Path existing = spoolDir.toAbsolutePath();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    try {
      long free = Files.getFileStore(existing).getUsableSpace();
      s.put("free_bytes", free);
      s.put("min_free_bytes", minFreeBytes);
      // not a refusal: the spool's full policy handles a small disk, but the operator should know
      s.put("below_min_free", free < minFreeBytes);
    } catch (IOException | RuntimeException e) {
      s.put("free_bytes", (String) null);
    }
  }

  static void cameras(DoctorReport report) {
    var arr = report.section("cameras").putArray("devices");
    Shell.list(Path.of("/dev"), "video").forEach(p -> arr.add(p.toString()));
  }
}
