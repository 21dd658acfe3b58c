package dev.edgeagent.detect;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One shared ONNX Runtime session for one pinned model file. The file's sha256 is checked
 * against the manifest before the session is created; a mismatch refuses to load.
 * {@link OrtSession#run} is thread-safe, so cameras share the session.
 *
 * <p>Runs go through {@link #run}, which counts them: closing a session while a run is inside it
 * crashes the JVM, so {@link #close(long)} waits for the runs in flight (bounded) and, if one is
 * still running, leaves the session open (logged) rather than close it under that run. Once
 * closing has begun a new run is refused instead of reaching a closed session.
 */
public final class OnnxModel implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OnnxModel.class);

  private final ModelInfo info;
  private final OrtSession session;
  private final InferenceProvider provider;
  /** Guards {@link #inFlight} and {@link #closing}; close waits on it for the runs to end. */
  private final Object runs = new Object();
  private int inFlight;
  private boolean closing;
  private boolean closed;
  /** What {@link #close()} waits for runs in flight before it leaves the session open. */
  public static final long CLOSE_WAIT_MILLIS = 5_000;

  private OnnxModel(ModelInfo info, OrtSession session, InferenceProvider provider) {
    this.info = info;
    this.session = session;
    this.provider = provider;
  }

  /**
   * @param dir folder holding {@code <name>.onnx}
   * @param requested CPU, or a GPU provider (falls back to CPU with one warning when not available)
   */
  public static OnnxModel load(ModelManifest manifest, Path dir, String name,
      InferenceProvider requested, int intraOpThreads) throws ModelLoadException {
    return load(manifest, dir, name, InferenceConfig.of(requested, intraOpThreads));
  }

  /**
   * @param dir folder holding {@code <name>.onnx}
   * @param inference provider request, fallback rule and GPU options (inference.*)
   */
  public static OnnxModel load(ModelManifest manifest, Path dir, String name, InferenceConfig inference)
      throws ModelLoadException {
    ModelManifest.Entry entry = manifest.get(name).orElseThrow(() ->
        new ModelLoadException("model '" + name + "' is not in models/manifest.tsv"));
    Path file = dir.resolve(name + ".onnx");
    if (!Files.isRegularFile(file)) {
      throw new ModelLoadException("model file " + file + " is missing; run models/fetch-models.sh");
    }
    return open(name, file, entry.sha256(), "the manifest pins", "re-run models/fetch-models.sh", inference);
  }

  /** {@link #loadOwn(OwnModelManifest, Path, String, InferenceConfig)} for one provider. */
  public static OnnxModel loadOwn(OwnModelManifest manifest, Path home, String name,
      InferenceProvider requested, int intraOpThreads) throws ModelLoadException {
    return loadOwn(manifest, home, name, InferenceConfig.of(requested, intraOpThreads));
  }

  /**
   * Loads one of the project's own committed models (models/own-models.tsv), with the same
   * sha256 rule as fetched ones.
   *
   * @param home installation folder the manifest's relative paths resolve against
   */
  public static OnnxModel loadOwn(OwnModelManifest manifest, Path home, String name, InferenceConfig inference)
      throws ModelLoadException {
    OwnModelManifest.Entry entry = manifest.get(name).orElseThrow(() ->
        new ModelLoadException("model '" + name + "' is not in models/own-models.tsv (known: "
            + manifest.entries().keySet() + ")"));
    Path file = home.resolve(entry.path()).normalize();
    if (!Files.isRegularFile(file)) {
      throw new ModelLoadException("model file " + file + " is missing; it is committed at "
          + entry.path() + " in the repository");
    }
    return open(name, file, entry.sha256(), "models/own-models.tsv pins",
        "restore the committed file", inference);
  }

  private static OnnxModel open(String name, Path file, String pinned, String pinSource,
      String remedy, InferenceConfig inference) throws ModelLoadException {
    String actual = sha256(file);
    if (!actual.equalsIgnoreCase(pinned)) {
      throw new ModelLoadException("model file " + file + " has sha256 " + actual
          + " but " + pinSource + " " + pinned + "; refusing to run on unverified weights"
          + " (" + remedy + ")");
    }
    OpenedSession opened = SessionOpener.ofRuntime().open(name, file, inference);
    LOG.info("event=model_loaded model={} sha256={} provider={} requested={}", name, actual,
        opened.provider().label(), inference.request().label());
    return new OnnxModel(new ModelInfo(name, actual), opened.session(), opened.provider());
  }

  public static String sha256(Path file) throws ModelLoadException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n = in.read(buf); n > 0; n = in.read(buf)) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new ModelLoadException("cannot read model file " + file + ": " + e.getMessage(), e);
    }
  }

  public ModelInfo info() {
    return info;
  }

  public OrtSession session() {
    return session;
  }

  /**
   * One model run. Inside an {@link InferenceCall} (the detection stage's inference pool) the run
   * gets that call's run options, so a call that timed out can terminate it; elsewhere it runs
   * with defaults.
   */
  public OrtSession.Result run(java.util.Map<String, ? extends ai.onnxruntime.OnnxTensorLike> inputs)
      throws OrtException {
    enter();
    try {
      InferenceCall call = InferenceCall.current();
      if (call == null) {
        return session.run(inputs);
      }
      OrtSession.RunOptions options = call.begin();
      try {
        return session.run(inputs, options);
      } finally {
        call.end(options);
      }
    } finally {
      exit();
    }
  }

  /**
   * As {@link #run(java.util.Map)}, with the outputs in {@code pinned} written into their
   * buffers; when it is empty, exactly {@link #run(java.util.Map)}.
   */
  public OrtSession.Result run(java.util.Map<String, ? extends ai.onnxruntime.OnnxTensorLike> inputs,
      PinnedOutputs pinned) throws OrtException {
    if (pinned.isEmpty()) {
      return run(inputs);
    }
    enter();
    try {
      InferenceCall call = InferenceCall.current();
      if (call == null) {
        return session.run(inputs, java.util.Set.of(), pinned.tensors());
      }
      OrtSession.RunOptions options = call.begin();
      try {
        return session.run(inputs, java.util.Set.of(), pinned.tensors(), options);
      } finally {
        call.end(options);
      }
    } finally {
      exit();
    }
  }

  /**
   * As {@link #run(java.util.Map, PinnedOutputs)}, with {@code options} instead of the current
   * call's: a run shared by several calls ({@link RunBatcher}) belongs to none of them, so no one
   * call's terminate may stop it.
   */
  OrtSession.Result runShared(java.util.Map<String, ? extends ai.onnxruntime.OnnxTensorLike> inputs,
      PinnedOutputs pinned, OrtSession.RunOptions options) throws OrtException {
    enter();
    try {
      return session.run(inputs, java.util.Set.of(), pinned.tensors(), options);
    } finally {
      exit();
    }
  }

  private void enter() {
    synchronized (runs) {
      if (closing) {
        throw new IllegalStateException("model " + info.id() + " is closed (the agent is stopping)");
      }
      inFlight++;
    }
  }

  private void exit() {
    synchronized (runs) {
      inFlight--;
      runs.notifyAll();
    }
  }

  /** Runs inside the session now. */
  public int inFlight() {
    synchronized (runs) {
      return inFlight;
    }
  }

  /** Whether the session has been closed (not merely asked to close and left open for a run). */
  public boolean closed() {
    synchronized (runs) {
      return closed;
    }
  }

  public InferenceProvider provider() {
    return provider;
  }

  /** {@link #close(long)} with {@link #CLOSE_WAIT_MILLIS}. */
  @Override
  public void close() {
    close(CLOSE_WAIT_MILLIS);
  }

  /**
   * Refuses new runs, waits up to {@code waitMillis} for those in flight to return, then closes
   * the session. If one is still running (a native run that ignored terminate), the session is
   * left open for the process's exit to reclaim, logged; a later call may close it once idle.
   *
   * @return whether the session is closed
   */
  public boolean close(long waitMillis) {
    synchronized (runs) {
      closing = true;
      if (closed) {
        return true;
      }
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(waitMillis);
      try {
        for (long left = waitMillis; inFlight > 0 && left > 0; ) {
          runs.wait(left);
          left = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (inFlight > 0) {
        LOG.warn("event=model_left_open model={} runs_in_flight={} reason=\"still running {} ms after close;"
            + " closing the session under them would crash the process\"", info.id(), inFlight, waitMillis);
        return false;
      }
      try {
        session.close();
      } catch (OrtException e) {
        LOG.debug("event=model_close_failed model={}", info.id(), e);
      }
      closed = true;
      return true;
    }
  }
}
