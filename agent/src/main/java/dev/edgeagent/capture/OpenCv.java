package dev.edgeagent.capture;

/** Loads the OpenCV native library once per process (the openpnp jar carries it per platform). */
public final class OpenCv {
  private static volatile boolean loaded;

  private OpenCv() {}

  public static void ensureLoaded() {
    if (!loaded) {
      synchronized (OpenCv.class) {
        if (!loaded) {
          nu.pattern.OpenCV.loadLocally();
          loaded = true;
        }
      }
    }
  }
}
