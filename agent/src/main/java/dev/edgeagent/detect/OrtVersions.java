package dev.edgeagent.detect;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ONNX Runtime Java API's version (the jar the agent was built with) and the native
 * library's (what was loaded, perhaps from {@code onnxruntime.native.path}). The Java classes call
 * into the JNI library by exact signatures and the JNI library into the C API of its own build, so
 * a native library of another release may crash or misbehave long after start: the versions
 * must agree on major.minor.patch (a suffix such as -dev or +jetpack is allowed).
 *
 * @param javaApi Implementation-Version of the onnxruntime jar, or null when not known
 *     (classes not from a jar)
 * @param nativeLibrary what the loaded native library reports
 */
public record OrtVersions(String javaApi, String nativeLibrary) {
  private static final Pattern RELEASE = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)");

  /** Whether the two name the same release; an unknown Java version cannot be checked and passes. */
  public boolean match() {
    return javaApi == null || release(javaApi).equals(release(nativeLibrary));
  }

  /**
   * @param libraryDir the folder the native library came from, or null for the one in the jar
   * @throws ModelLoadException (exit 78) naming both versions and what to change
   */
  public void check(String libraryDir) throws ModelLoadException {
    if (match()) {
      return;
    }
    String where = libraryDir == null ? "the ONNX Runtime native library" : "the ONNX Runtime native library in "
        + libraryDir + " (" + OrtRuntime.LIB_DIR_ENV + ", -D" + OrtRuntime.NATIVE_PATH_PROPERTY + ")";
    throw new ModelLoadException(where + " is version " + nativeLibrary + " but the agent's ONNX Runtime Java API is "
        + javaApi + "; they must be the same release. Bring libonnxruntime.so and libonnxruntime4j_jni.so built from"
        + " ONNX Runtime " + javaApi + ", or rebuild the agent for the library's release (mvn -Donnxruntime.version="
        + release(nativeLibrary) + " install)");
  }

  private static String release(String v) {
    Matcher m = RELEASE.matcher(v == null ? "" : v);
    return m.find() ? m.group() : String.valueOf(v);
  }
}
