package dev.edgeagent.detect;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's ONNX Runtime: its native libraries loaded once, from the jar or from a folder the
 * operator brings ({@value #NATIVE_PATH_PROPERTY}, which bin/edge-agent sets from {@value
 * #LIB_DIR_ENV}), and checked to be the release of the Java API before any model loads. A folder
 * without the libraries, or libraries of another release, stop the agent with exit 78 and a
 * message saying which, instead of a linkage error or a crash inside the first model run.
 */
public final class OrtRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(OrtRuntime.class);
  /** ONNX Runtime Java's own property: a folder holding its native libraries. */
  public static final String NATIVE_PATH_PROPERTY = "onnxruntime.native.path";
  /** What bin/edge-agent turns into {@value #NATIVE_PATH_PROPERTY}. */
  public static final String LIB_DIR_ENV = "EDGE_AGENT_ORT_LIB_DIR";
  /** The two libraries ONNX Runtime Java needs from such a folder (Linux names). */
  static final List<String> REQUIRED_LIBRARIES = List.of("libonnxruntime.so", "libonnxruntime4j_jni.so");

  private static OrtEnvironment environment;
  private static ModelLoadException failure;

  private OrtRuntime() {}

  /** The shared environment; the first call loads and checks the native libraries. */
  public static synchronized OrtEnvironment environment() throws ModelLoadException {
    if (environment != null) {
      return environment;
    }
    if (failure != null) {
      throw failure;
    }
    try {
      environment = load();
      return environment;
    } catch (ModelLoadException e) {
      failure = e;
      throw e;
    }
  }

  private static OrtEnvironment load() throws ModelLoadException {
    Optional<Path> dir = libraryDir();
    if (dir.isPresent()) {
      checkFolder(dir.get());
    }
    OrtEnvironment env;
    try {
      env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
    } catch (RuntimeException | LinkageError e) {
      throw new ModelLoadException("cannot load ONNX Runtime's native library "
          + dir.map(d -> "from " + d + " (" + LIB_DIR_ENV + ")").orElse("from the onnxruntime jar") + ": "
          + rootMessage(e) + (dir.isPresent() ? "; check that the folder holds a build for this machine ("
          + System.getProperty("os.arch") + ") and that the libraries it needs (CUDA, cuDNN, TensorRT) are on"
          + " LD_LIBRARY_PATH" : ""), e);
    }
    OrtVersions versions = new OrtVersions(javaApiVersion(), env.getVersion());
    versions.check(dir.map(Path::toString).orElse(null));
    LOG.info("event=onnxruntime_loaded version={} java_api={} from={} providers={}", versions.nativeLibrary(),
        versions.javaApi(), loadedFrom().map(Path::toString).orElse("jar"), OrtEnvironment.getAvailableProviders());
    return env;
  }

  /** The folder the operator named for the native libraries, if any. */
  public static Optional<Path> libraryDir() {
    String d = System.getProperty(NATIVE_PATH_PROPERTY);
    return d == null || d.isBlank() ? Optional.empty() : Optional.of(Path.of(d).toAbsolutePath());
  }

  /** The version of the onnxruntime jar on the class path (its manifest), or null when unknown. */
  public static String javaApiVersion() {
    return OrtEnvironment.class.getPackage().getImplementationVersion();
  }

  /**
   * Where the loaded libonnxruntime.so lives, as the kernel maps it into this process (Linux), so
   * an operator sees which library is really in use, not which was meant.
   */
  public static Optional<Path> loadedFrom() {
    try {
      return Files.readAllLines(Path.of("/proc/self/maps")).stream()
          .map(l -> l.replace(" (deleted)", ""))
          .filter(l -> l.endsWith("/libonnxruntime.so"))
          .map(l -> Path.of(l.substring(l.indexOf('/'))))
          .findFirst();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static void checkFolder(Path dir) throws ModelLoadException {
    if (!Files.isDirectory(dir)) {
      throw new ModelLoadException(LIB_DIR_ENV + " (-D" + NATIVE_PATH_PROPERTY + "): " + dir + " is not a folder;"
          + " point it at the folder holding " + String.join(" and ", REQUIRED_LIBRARIES) + ", or unset it to use"
          + " the libraries inside the onnxruntime jar");
    }
    for (String lib : REQUIRED_LIBRARIES) {
      if (!Files.isRegularFile(dir.resolve(lib))) {
        throw new ModelLoadException(LIB_DIR_ENV + " (-D" + NATIVE_PATH_PROPERTY + "): " + dir + " has no " + lib
            + "; ONNX Runtime Java needs " + String.join(" and ", REQUIRED_LIBRARIES) + " there (a build with"
            + " --build_java puts both in its build folder), or unset it to use the libraries inside the jar");
      }
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }
}
