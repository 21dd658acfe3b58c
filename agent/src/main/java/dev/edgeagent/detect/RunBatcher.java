package dev.edgeagent.detect;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ObjLongConsumer;

/**
 * Model runs of several calls (cameras' frames searched at the same time) merged into one
 * batched run of a model with a dynamic batch dimension (issue 18 item 4, ADR 0023). On a GPU a
 * run's launch, copies and synchronisation cost about as much for one image as for four, so
 * cameras that each make a small run pay that once instead of each.
 *
 * <p>A call {@link #join}s with the shape of its images and gets a {@link Seat}: its slice of
 * the batch's input, which it fills in place (no copy). {@link Seat#await} then blocks until
 * the batch has run and returns the call's slice of the outputs. The first call of a batch opens
 * it; calls with the same {@link Layout} join it until it is full ({@code maxImages}, and
 * {@code maxFloats} input floats) or {@code window} has passed since it opened. The batch runs
 * once it is due and every seat's input is written (or its call gave up), on the thread of one
 * of its waiting calls: no thread of its own, so the inference pool's slot limit still bounds
 * the runs in progress, and a call waits only for other calls' pre-processing and the run, never
 * for a pool slot (no deadlock; with {@code inference.max_concurrent} 1 no two calls are ever in
 * flight together, so nothing is batched and the agent builds no batcher).
 *
 * <p>A shared run belongs to none of its calls. It runs with its own run options, so one
 * call's time limit or terminate ({@link InferenceCall}) never stops it for the others: that
 * call merely stops waiting (its images still run, their outputs unread). Only when every call
 * of the batch has given up is the run terminated. A run that fails fails every call in it with
 * a {@link DetectorException}: their frames are dropped (fail closed).
 *
 * <p>The batch's input and outputs come from {@code buffers} and go back when the last seat
 * closes: a call that gave up may still be writing its slice, and the others read theirs after
 * the run.
 */
public final class RunBatcher {
  /**
   * One image of a run, batch dimension left out: the input's name and shape, and each output's
   * shape. Calls share a batch only when their layouts are equal.
   */
  public record Layout(String input, List<Long> image, Map<String, List<Long>> outputs) {
    public Layout {
      image = List.copyOf(image);
      outputs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
    }

    long imageFloats() {
      return floats(image);
    }

    static long floats(List<Long> shape) {
      long n = 1;
      for (long d : shape) {
        n = Math.multiplyExact(n, d);
      }
      return n;
    }

    static long[] batched(int n, List<Long> shape) {
      long[] s = new long[shape.size() + 1];
      s[0] = n;
      for (int i = 0; i < shape.size(); i++) {
        s[i + 1] = shape.get(i);
      }
      return s;
    }
  }

  private enum State { GATHERING, RUNNING, DONE, FAILED, DROPPED }

  private static final TensorBuffers.Slot INPUT = TensorBuffers.slot("shared batch input");

  private final OnnxModel model;
  private final long windowNanos;
  private final int maxImages;
  private final long maxFloats;
  private final TensorBuffers buffers;
  private final ObjLongConsumer<String> timer;
  private final Map<String, TensorBuffers.Slot> outputSlots = new ConcurrentHashMap<>();
  /** One lock for every batch of this batcher: joins and hand-overs are short. */
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  /** Batches still taking calls (under {@link #lock}). */
  private final List<Batch> open = new ArrayList<>();
  private final java.util.concurrent.atomic.AtomicLong runs = new java.util.concurrent.atomic.AtomicLong();

  /**
   * @param windowNanos how long a batch waits for more calls after the first (inference.batch_window_ms)
   * @param maxImages most images in one run (inference.max_batch)
   * @param maxFloats most input floats in one run (a batch of large images would cost memory)
   * @param timer told each run's time, once per shared run, under the model's id
   */
  public RunBatcher(OnnxModel model, long windowNanos, int maxImages, long maxFloats, TensorBuffers buffers,
      ObjLongConsumer<String> timer) {
    if (windowNanos <= 0 || maxImages < 1 || maxFloats < 1) {
      throw new IllegalArgumentException("a batcher needs a window above 0 and room for an image, not window "
          + windowNanos + " ns, " + maxImages + " images, " + maxFloats + " floats");
    }
    this.model = model;
    this.windowNanos = windowNanos;
    this.maxImages = maxImages;
    this.maxFloats = maxFloats;
    this.buffers = buffers;
    this.timer = timer;
  }

  /** Shared runs made so far (tests, the bench). */
  public long runs() {
    return runs.get();
  }

  /** Calls waiting in batches that still take more (tests wait for these before acting). */
  int waiting() {
    lock.lock();
    try {
      return (int) open.stream().flatMap(b -> b.seats.stream()).filter(s -> s.ready && !s.abandoned).count();
    } finally {
      lock.unlock();
    }
  }

  /**
   * A seat for {@code images} images of {@code layout} in a batch: an open one with room, or a
   * new one. Close it when done with its outputs (try-with-resources), whatever happened.
   */
  public Seat join(Layout layout, int images) {
    Seat seat;
    lock.lock();
    try {
      long now = System.nanoTime();
      Batch batch = null;
      for (Batch b : open) {
        if (b.layout.equals(layout) && b.images + images <= b.capacity && now - b.due < 0) {
          batch = b;
          break;
        }
      }
      if (batch == null) {
        batch = new Batch(layout, capacity(layout, images), now + windowNanos);
        open.add(batch);
      }
      seat = batch.seat(images);
      if (batch.full()) {
        open.remove(batch);
        changed.signalAll(); // due now: its waiting calls need not wait out the window
      }
    } finally {
      lock.unlock();
    }
    InferenceCall call = InferenceCall.current();
    if (call != null) {
      call.onTerminate(seat::abandon); // after the lock: terminate may already have happened and run it now
    }
    return seat;
  }

  private int capacity(Layout layout, int images) {
    long byFloats = Math.max(1, maxFloats / layout.imageFloats());
    return (int) Math.max(images, Math.min(maxImages, byFloats));
  }

  /** One model run being gathered, running or done; every field under {@link #lock}. */
  private final class Batch {
    final Layout layout;
    final int capacity;
    final long due;
    final List<Seat> seats = new ArrayList<>();
    final TensorBuffers.Scope scope = buffers.open();
    final FloatBuffer input;
    int images;
    State state = State.GATHERING;
    OrtSession.RunOptions options;
    Map<String, FloatBuffer> outputs;
    String failure;
    Throwable cause;

    Batch(Layout layout, int capacity, long due) {
      this.layout = layout;
      this.capacity = capacity;
      this.due = due;
      this.input = scope.direct(INPUT, Math.toIntExact(capacity * layout.imageFloats()));
    }

    Seat seat(int n) {
      Seat s = new Seat(this, images, n);
      seats.add(s);
      images += n;
      return s;
    }

    boolean full() {
      return images >= capacity;
    }

    /** Whether it should run now: due, and no live call still writing its input. */
    boolean runnable(long now) {
      if (state != State.GATHERING || !(full() || now - due >= 0)) {
        return false;
      }
      return seats.stream().allMatch(s -> s.ready || s.abandoned);
    }

    boolean abandoned() {
      return seats.stream().allMatch(s -> s.abandoned);
    }

    /** A call left: with none left, a gathering batch is dropped and a running one terminated. */
    void left() {
      if (!abandoned()) {
        return;
      }
      if (state == State.GATHERING) {
        state = State.DROPPED;
        open.remove(this);
      } else if (state == State.RUNNING) {
        try {
          options.setTerminate(true);
        } catch (OrtException e) {
          // the run ends on its own; no one waits for it
        }
      }
    }
  }

  /** One call's place in a batch. */
  public final class Seat implements AutoCloseable {
    private final Batch batch;
    private final int first;
    private final int images;
    private boolean ready;
    private boolean abandoned;
    private boolean closed;

    private Seat(Batch batch, int first, int images) {
      this.batch = batch;
      this.first = first;
      this.images = images;
    }

    /** This call's images in the batch's input, position 0: fill all of them before {@link #await}. */
    public FloatBuffer input() {
      long per = batch.layout.imageFloats();
      return slice(batch.input, first * per, images * per);
    }

    /**
     * Waits until the batch has run (running it on this thread if it is this call's turn) and
     * returns this call's slice of each output, by name; valid until {@link #close}.
     *
     * @throws DetectorException the shared run failed ({@link DropReason#DETECTOR_ERROR}), or
     *     this call was terminated or interrupted while waiting ({@link DropReason#DETECTOR_TIMEOUT})
     */
    public Map<String, FloatBuffer> await() throws DetectorException {
      boolean runIt = false;
      lock.lock();
      try {
        ready = true;
        changed.signalAll();
        while (!runIt && !settled()) {
          long now = System.nanoTime();
          if (batch.runnable(now)) {
            batch.options = new OrtSession.RunOptions(); // its own: no single call's terminate reaches it
            batch.state = State.RUNNING;
            open.remove(batch);
            runIt = true;
          } else if (batch.state == State.GATHERING && now - batch.due < 0) {
            changed.awaitNanos(batch.due - now);
          } else {
            changed.await();
          }
        }
      } catch (InterruptedException | OrtException e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        giveUp();
        throw new DetectorException(DropReason.DETECTOR_TIMEOUT, model.info().id()
            + ": stopped waiting for a shared run (" + e.getMessage() + ")", e);
      } finally {
        lock.unlock();
      }
      if (runIt) {
        run(batch); // outside the lock: others may join other batches or give up meanwhile
      }
      lock.lock();
      try {
        return result();
      } finally {
        lock.unlock();
      }
    }

    /** Under the lock: whether this call is through waiting (given up, or the batch has ended). */
    private boolean settled() {
      return abandoned || batch.state == State.DONE || batch.state == State.FAILED || batch.state == State.DROPPED;
    }

    private Map<String, FloatBuffer> result() throws DetectorException {
      if (abandoned) {
        throw new DetectorException(DropReason.DETECTOR_TIMEOUT, model.info().id()
            + ": gave up waiting for a shared run (terminated)");
      }
      if (batch.state != State.DONE) {
        throw new DetectorException(DropReason.DETECTOR_ERROR, model.info().id() + " failed in a run shared by "
            + batch.seats.size() + " calls: " + batch.failure, batch.cause);
      }
      Map<String, FloatBuffer> mine = new LinkedHashMap<>();
      batch.layout.outputs().forEach((name, shape) -> {
        long per = Layout.floats(shape);
        mine.put(name, slice(batch.outputs.get(name), first * per, images * per));
      });
      return mine;
    }

    /** The call was terminated: it stops waiting; the batch goes on for the others. */
    void abandon() {
      lock.lock();
      try {
        if (!closed) {
          giveUp();
        }
      } finally {
        lock.unlock();
      }
    }

    private void giveUp() {
      if (!abandoned && (batch.state == State.GATHERING || batch.state == State.RUNNING)) {
        abandoned = true;
        batch.left();
        changed.signalAll();
      }
    }

    /** Done with the outputs, or leaving early: the buffers go back once every seat is closed. */
    @Override
    public void close() {
      boolean last;
      lock.lock();
      try {
        if (closed) {
          return;
        }
        giveUp(); // a no-op once the batch has ended
        closed = true;
        last = batch.seats.stream().allMatch(s -> s.closed);
        changed.signalAll();
      } finally {
        lock.unlock();
      }
      if (last) {
        batch.scope.close(); // no seat left to write the input or read the outputs
      }
    }
  }

  /** The batch's one model run; its outcome is handed to every seat. */
  private void run(Batch batch) {
    int n = batch.images;
    Map<String, FloatBuffer> outputs = new LinkedHashMap<>();
    String failure = null;
    Throwable cause = null;
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    long per = batch.layout.imageFloats();
    try (OnnxTensor tensor = OnnxTensor.createTensor(env, slice(batch.input, 0, n * per),
            Layout.batched(n, batch.layout.image()));
         PinnedOutputs pinned = PinnedOutputs.none()) {
      for (Map.Entry<String, List<Long>> o : batch.layout.outputs().entrySet()) {
        FloatBuffer b = batch.scope.direct(outputSlot(o.getKey()), Math.toIntExact(n * Layout.floats(o.getValue())));
        pinned.pin(o.getKey(), b, Layout.batched(n, o.getValue()));
        outputs.put(o.getKey(), b);
      }
      long t0 = System.nanoTime();
      model.runShared(Map.of(batch.layout.input(), tensor), pinned, batch.options).close();
      timer.accept(model.info().id(), System.nanoTime() - t0);
      runs.incrementAndGet();
    } catch (OrtException | RuntimeException e) {
      failure = e.getMessage();
      cause = e;
    }
    lock.lock();
    try {
      batch.options.close();
      batch.outputs = outputs;
      batch.failure = failure;
      batch.cause = cause;
      batch.state = failure == null && cause == null ? State.DONE : State.FAILED;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private TensorBuffers.Slot outputSlot(String name) {
    return outputSlots.computeIfAbsent(name, k -> TensorBuffers.slot("shared batch output " + k));
  }

  /** {@code length} floats of {@code all} from {@code from}, as a view from 0. */
  private static FloatBuffer slice(FloatBuffer all, long from, long length) {
    int f = Math.toIntExact(from);
    return all.duplicate().clear().position(f).limit(Math.toIntExact(f + length)).slice();
  }
}
