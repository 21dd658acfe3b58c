package dev.edgeagent.detect;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads inference runs on, at most {@code maxConcurrent} calls at once across every camera
 * (inference.max_concurrent). A call holds its slot until its work has really returned, not until
 * its caller gave up on it: a call that timed out keeps its slot while its run is being
 * terminated, so under overload timed-out work cannot pile up on ever more threads. A call that
 * finds no free slot before its frame's deadline is refused ({@link DropReason#INFERENCE_BUSY}),
 * and the frame is dropped like one that timed out.
 */
public final class InferencePool implements AutoCloseable {
  private final int maxConcurrent;
  private final Semaphore slots;
  private final ExecutorService threads;
  private final java.util.Set<InferenceCall> running = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * A call in progress: its result, and the handle that terminates its model runs. Its task
   * always runs, even when abandoned before it started (it then skips the work), so the slot and
   * the call's cleanup are released exactly once, by the task.
   */
  public static final class Submitted<T> {
    private static final int QUEUED = 0;
    private static final int RUNNING = 1;
    private static final int ABANDONED = 2;

    private final InferenceCall call = new InferenceCall();
    private final AtomicInteger state = new AtomicInteger(QUEUED);
    private Future<T> future;

    private Submitted() {}

    public Future<T> future() {
      return future;
    }

    public InferenceCall call() {
      return call;
    }

    /** Gives up on the call: terminates its model runs and cancels it (a no-op once it is done). */
    public void abandon() {
      if (future.isDone()) {
        return;
      }
      call.terminate();
      if (!state.compareAndSet(QUEUED, ABANDONED)) {
        future.cancel(true); // running: interrupt it too (the task still ends through its finally)
      }
    }
  }

  public InferencePool(int maxConcurrent) {
    if (maxConcurrent < 1) {
      throw new IllegalArgumentException("inference.max_concurrent must be at least 1, not " + maxConcurrent);
    }
    this.maxConcurrent = maxConcurrent;
    this.slots = new Semaphore(maxConcurrent, true);
    AtomicInteger n = new AtomicInteger();
    java.util.concurrent.ThreadPoolExecutor pool = (java.util.concurrent.ThreadPoolExecutor)
        Executors.newFixedThreadPool(maxConcurrent, r -> {
          Thread t = new Thread(r, "inference-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    pool.prestartAllCoreThreads(); // a frame's time limit should not pay for starting a thread
    this.threads = pool;
  }

  public int maxConcurrent() {
    return maxConcurrent;
  }

  /** Slots held now (running calls, timed-out ones still ending included). */
  public int busy() {
    return maxConcurrent - slots.availablePermits();
  }

  /**
   * Starts {@code work} once a slot is free, waiting for one until {@code deadlineNanos}
   * ({@link System#nanoTime()} scale).
   *
   * @throws DetectorException {@link DropReason#INFERENCE_BUSY} when none freed up in time
   */
  public <T> Submitted<T> submit(String what, Callable<T> work, long deadlineNanos)
      throws DetectorException, InterruptedException {
    return submit(what, work, () -> { }, deadlineNanos);
  }

  /**
   * As {@link #submit(String, Callable, long)}, with {@code cleanup} run exactly once when the
   * call is over: after the work returned or threw, or instead of it when it was abandoned before
   * it started, or at once if the pool refused it. Whatever the work reads must stay valid until
   * then, however long after its caller gave up (the frame's pixels, for one).
   */
  public <T> Submitted<T> submit(String what, Callable<T> work, Runnable cleanup, long deadlineNanos)
      throws DetectorException, InterruptedException {
    if (!slots.tryAcquire(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
      cleanup.run();
      throw new DetectorException(DropReason.INFERENCE_BUSY, what + ": all " + maxConcurrent
          + " inference slots busy (inference.max_concurrent) until the frame's time limit");
    }
    Submitted<T> call = new Submitted<>();
    try {
      call.future = threads.submit(() -> {
        try {
          if (!call.state.compareAndSet(Submitted.QUEUED, Submitted.RUNNING)) {
            return null; // abandoned before it started: nothing to do but release
          }
          running.add(call.call);
          try {
            return call.call.within(work);
          } finally {
            running.remove(call.call);
          }
        } finally {
          try {
            cleanup.run();
          } finally {
            slots.release();
          }
        }
      });
      return call;
    } catch (RuntimeException e) { // rejected: the pool is shut down
      try {
        cleanup.run();
      } finally {
        slots.release();
      }
      throw e;
    }
  }

  /** Abandons every call in {@code calls} that has not finished. */
  public static void abandonAll(List<? extends Submitted<?>> calls) {
    calls.forEach(Submitted::abandon);
  }

  /**
   * Stops taking work, terminates the model runs of every call still running and interrupts its
   * thread; {@link #awaitIdle} then waits for them to return.
   */
  public void shutdown() {
    running.forEach(InferenceCall::terminate);
    threads.shutdownNow();
  }

  /** After {@link #shutdown}: whether every call ended within the wait. */
  public boolean awaitIdle(long millis) throws InterruptedException {
    return threads.awaitTermination(millis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    shutdown();
  }
}
