package dev.edgeagent.detect;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the large arrays of model runs live: the direct buffers ONNX Runtime reads inputs from
 * (or writes pinned outputs into) and the heap arrays pre- and post-processing use.
 *
 * <p>Each use of such an array in the code is a {@link Slot}. A detector call opens a
 * {@link Scope}, takes what its runs need from it and closes it when done. With
 * {@link #reused()} a scope takes buffers from its slot's pool, growing one only when a run
 * needs more, and closing the scope hands them back: a camera's frames all have one size, so
 * after the first frame no run allocates them again. A buffer belongs to one open scope at a
 * time, so two concurrent calls (the inference pool runs them on different threads), or a call
 * that uses a slot again inside itself, never share one. A slot's pool holds as many buffers as
 * calls have used it at once, not one per thread: one camera keeps one set, whichever pool
 * thread runs its detectors.
 *
 * <p>{@link #perCall()} allocates every buffer afresh, as the detectors did before (issue 18,
 * item 4); it is kept so one bench run can measure both on the same frames
 * ({@code inference.reuse_buffers: false}).
 *
 * <p>A reused buffer holds the previous run's values: code that relies on zeros (padding) must
 * write them ({@link Scope#zeroed}, {@link RgbPlanes#clearPadding}). Nothing may keep a buffer,
 * or a tensor over it, past its scope's close.
 */
public final class TensorBuffers {
  private final boolean reuse;
  private final AtomicLong directBytes = new AtomicLong();
  private final AtomicLong heapBytes = new AtomicLong();

  private TensorBuffers(boolean reuse) {
    this.reuse = reuse;
  }

  /**
   * Pooled buffers, reused across runs: the agent's default. Every instance draws on the same
   * pools (they belong to the slots); each counts only what it allocated.
   */
  public static TensorBuffers reused() {
    return new TensorBuffers(true);
  }

  /** Fresh buffers on every call (the old allocation per call; for the before/after bench). */
  public static TensorBuffers perCall() {
    return new TensorBuffers(false);
  }

  /** {@link #reused()} or {@link #perCall()}, as {@code inference.reuse_buffers} says. */
  public static TensorBuffers of(boolean reuse) {
    return reuse ? reused() : perCall();
  }

  public boolean reuses() {
    return reuse;
  }

  /** One use of a buffer in the code (an input, an output, a scratch array), with its pools. */
  public static final class Slot {
    private final String name;
    private final Queue<FloatBuffer> direct = new ConcurrentLinkedQueue<>();
    private final Queue<float[]> floats = new ConcurrentLinkedQueue<>();
    private final Queue<byte[]> bytes = new ConcurrentLinkedQueue<>();

    private Slot(String name) {
      this.name = name;
    }

    /** Buffers waiting in this slot's pools (tests check that scopes give them back). */
    int pooled() {
      return direct.size() + floats.size() + bytes.size();
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** A new slot; a use site keeps it in a static field. */
  public static Slot slot(String name) {
    return new Slot(name);
  }

  /** Buffers for one call; close it when the call's runs (and their tensors) are done. */
  public Scope open() {
    return new Scope();
  }

  /** The buffers one call holds; closing hands them back to their slots (reused) or drops them. */
  public final class Scope implements AutoCloseable {
    private final List<Runnable> giveBack = new ArrayList<>();
    private boolean closed;

    private Scope() {}

    /**
     * A direct, native-order buffer of {@code floats} floats (position 0, limit {@code floats}),
     * which ONNX Runtime uses in place, without a copy. Reused, it holds what an earlier run left.
     */
    public FloatBuffer direct(Slot slot, int floats) {
      FloatBuffer b = take(slot.direct);
      if (b == null || b.capacity() < floats) {
        b = ByteBuffer.allocateDirect(Math.multiplyExact(floats, 4)).order(ByteOrder.nativeOrder()).asFloatBuffer();
        directBytes.addAndGet(4L * floats);
      }
      keep(slot.direct, b);
      b.clear();
      b.limit(floats);
      return b;
    }

    /** As {@link #direct}, every float set to 0 (fresh direct memory already is). */
    public FloatBuffer zeroed(Slot slot, int floats) {
      FloatBuffer b = direct(slot, floats);
      if (reuse) {
        zero(b, 0, floats);
      }
      return b;
    }

    /** A heap array of at least {@code floats} floats; reused, it holds what an earlier run left. */
    public float[] floats(Slot slot, int floats) {
      float[] a = take(slot.floats);
      if (a == null || a.length < floats) {
        a = new float[floats];
        heapBytes.addAndGet(4L * floats);
      }
      keep(slot.floats, a);
      return a;
    }

    /** A heap array of at least {@code n} bytes; reused, it holds what an earlier run left. */
    public byte[] bytes(Slot slot, int n) {
      byte[] a = take(slot.bytes);
      if (a == null || a.length < n) {
        a = new byte[n];
        heapBytes.addAndGet(n);
      }
      keep(slot.bytes, a);
      return a;
    }

    private <T> T take(Queue<T> pool) {
      if (closed) {
        throw new IllegalStateException("buffers taken from a closed scope");
      }
      return reuse ? pool.poll() : null;
    }

    private <T> void keep(Queue<T> pool, T buffer) {
      if (reuse) {
        giveBack.add(() -> pool.offer(buffer));
      }
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        giveBack.forEach(Runnable::run);
        giveBack.clear();
      }
    }
  }

  /** Bytes of direct memory this policy has allocated so far (the bench reports it per frame). */
  public long directBytesAllocated() {
    return directBytes.get();
  }

  /** Bytes of large heap arrays this policy has allocated so far. */
  public long heapBytesAllocated() {
    return heapBytes.get();
  }

  private static final float[] ZEROS = new float[1 << 14];

  /** Sets {@code count} floats of {@code b} from index {@code from} to 0 (its position is left alone). */
  public static void zero(FloatBuffer b, int from, int count) {
    for (int at = 0; at < count; at += ZEROS.length) {
      b.put(from + at, ZEROS, 0, Math.min(ZEROS.length, count - at));
    }
  }
}
