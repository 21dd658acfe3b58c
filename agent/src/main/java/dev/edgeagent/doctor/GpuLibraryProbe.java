package dev.edgeagent.doctor;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The CUDA, cuDNN and TensorRT libraries the dynamic loader can find, which is what ONNX Runtime's
 * GPU providers need at session creation: the folders of LD_LIBRARY_PATH, /usr/local/cuda*
 * /lib64, the distribution's library folders (on a Jetson, /usr/lib/aarch64-linux-gnu), and the
 * loader cache (ldconfig -p).
 */
final class GpuLibraryProbe {
  /** Library file name prefixes, by what an operator installs. */
  private static final Map<String, String> LIBRARIES = Map.of(
      "cuda_runtime", "libcudart.so", "cublas", "libcublas.so", "cudnn", "libcudnn.so", "tensorrt", "libnvinfer.so");

  private GpuLibraryProbe() {}

  static void probe(DoctorReport report) {
    ObjectNode s = report.section("gpu_libraries");
    List<Path> dirs = searchFolders();
    List<String> cache = Shell.lines(Shell.run("ldconfig", "-p"));
    if (cache.isEmpty()) {
      cache = Shell.lines(Shell.run("/sbin/ldconfig", "-p"));
    }
    for (String name : List.of("cuda_runtime", "cublas", "cudnn", "tensorrt")) {
      String prefix = LIBRARIES.get(name);
      Set<String> found = new LinkedHashSet<>();
      for (Path d : dirs) {
        Shell.list(d, prefix).forEach(p -> found.add(p.toString()));
      }
      for (String line : cache) {
        int arrow = line.indexOf("=> ");
        if (line.strip().startsWith(prefix) && arrow > 0) {
          found.add(line.substring(arrow + 3).strip());
        }
      }
      var arr = s.putArray(name);
      found.forEach(arr::add);
    }
    var searched = s.putArray("searched");
    dirs.forEach(d -> searched.add(d.toString()));
  }

  private static List<Path> searchFolders() {
    List<Path> dirs = new ArrayList<>();
    String ld = System.getenv("LD_LIBRARY_PATH");
    if (ld != null) {
      for (String d : ld.split(":")) {
        if (!d.isBlank()) {
          dirs.add(Path.of(d));
        }
      }
    }
    for (Path cuda : Shell.list(Path.of("/usr/local"), "cuda")) {
      dirs.add(cuda.resolve("lib64"));
    }
    dirs.add(Path.of("/usr/lib/aarch64-linux-gnu"));
    dirs.add(Path.of("/usr/lib/x86_64-linux-gnu"));
    return dirs;
  }
}
