package dev.edgeagent.detect;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * One detector's work on one frame, as the caller sees it: a handle that can stop the model runs
 * it makes. Cancelling a Java future does not stop native code, so a timed-out
 * {@link OrtSession#run} would go on using a core; {@link #terminate()} sets ONNX Runtime's
 * terminate flag on the {@link OrtSession.RunOptions} of every run the call has in progress (a
 * cascade or a tiled search makes several), and any run it starts afterwards fails at once.
 *
 * <p>The call is found through the thread that does the work ({@link #within}), so detectors
 * need not pass it along: {@link OnnxModel#run} picks it up.
 */
public final class InferenceCall {
  private static final ThreadLocal<InferenceCall> CURRENT = new ThreadLocal<>();

  private final List<OrtSession.RunOptions> running = new ArrayList<>();
  /** Told when the call is terminated: work it waits on that is not its own run (a shared batch). */
  private final List<Runnable> onTerminate = new ArrayList<>();
  private boolean terminated;
  private long runsStarted;

  /** Runs {@code work} on this thread as part of this call. */
  public <T> T within(Callable<T> work) throws Exception {
    InferenceCall outer = CURRENT.get();
    CURRENT.set(this);
    try {
      return work.call();
    } finally {
      CURRENT.set(outer);
    }
  }

  /** The call the current thread works for, or null (a benchmark, a tool, a test). */
  static InferenceCall current() {
    return CURRENT.get();
  }

  /** Run options for one model run of this call; already terminated if the call is. */
  synchronized OrtSession.RunOptions begin() throws OrtException {
    OrtSession.RunOptions o = new OrtSession.RunOptions();
    try {
      if (terminated) {
        o.setTerminate(true);
      }
    } catch (OrtException e) {
      o.close();
      throw e;
    }
    running.add(o);
    runsStarted++;
    return o;
  }

  /** The run has returned (or thrown): its options are closed, under the lock terminate takes. */
  synchronized void end(OrtSession.RunOptions o) {
    running.remove(o);
    o.close();
  }

  /** Stops every run in progress and every later one; idempotent. */
  public void terminate() {
    List<Runnable> tell;
    synchronized (this) {
      if (terminated) {
        return;
      }
      terminated = true;
      for (OrtSession.RunOptions o : running) {
        try {
          o.setTerminate(true);
        } catch (OrtException e) {
          // the run is ending anyway; nothing else can be done for it
        }
      }
      tell = List.copyOf(onTerminate);
      onTerminate.clear();
    }
    // Outside the lock: a listener takes its own lock (RunBatcher's), which must never be held
    // while waiting for this one.
    tell.forEach(Runnable::run);
  }

  /**
   * Runs {@code listener} when the call is terminated, or at once if it already is. For work the
   * call waits on but does not run itself: a {@link RunBatcher} batch shared with other cameras'
   * calls, which one call's terminate must not stop, stops waiting for it instead.
   */
  void onTerminate(Runnable listener) {
    synchronized (this) {
      if (!terminated) {
        onTerminate.add(listener);
        return;
      }
    }
    listener.run();
  }

  public synchronized boolean terminated() {
    return terminated;
  }

  /** Model runs this call has started (tests wait for the first before terminating). */
  public synchronized long runsStarted() {
    return runsStarted;
  }
}
