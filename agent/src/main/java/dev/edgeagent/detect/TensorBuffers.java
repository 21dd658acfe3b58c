package dev.edgeagent.detect;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the large arrays of one model run live: the direct buffer ONNX Runtime reads an input
 * from (or writes a pinned output into) and the heap arrays pre- and post-processing use.
 *
 * <p>{@link #reused()} keeps one of each per {@link Slot} per thread, grown when a run needs
 * more and never shrunk: a camera's frames all have one size, so after its first frame no run
 * allocates them again. Thread confinement is what makes sharing safe: the inference pool runs
 * concurrent calls on different threads, so two calls never hold the same buffer, and one
 * call's runs on its thread are sequential (a tensor over a buffer is closed before the next
 * run of that thread asks for it). Distinct slots keep buffers a call holds at the same time
 * apart (the plate map's input stays open while its candidates are read). The cost is memory
 * kept per inference thread: the largest input it has seen (17 MB for the text detector at
 * 1600 px), so {@code inference.max_concurrent} bounds it.
 *
 * <p>{@link #perCall()} allocates every buffer afresh on every call, as the detectors did
 * before (issue 18, item 4); it is kept so one bench run can measure both on the same frames
 * ({@code inference.reuse_buffers: false}).
 *
 * <p>A reused buffer holds the previous run's values: code that relies on zeros (padding) must
 * write them, which {@link #zeroed} does.
 */
public final class TensorBuffers {
  private final boolean reuse;
  private final AtomicLong directBytes = new AtomicLong();
  private final AtomicLong heapBytes = new AtomicLong();

  private TensorBuffers(boolean reuse) {
    this.reuse = reuse;
  }

  /**
   * Per-thread buffers, reused across runs: the agent's default. Every instance draws on the
   * same per-thread buffers (they belong to the slots); each counts only what it allocated.
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

  /**
   * One use of a buffer in the code (an input, an output, a scratch array): each holds its own
   * per-thread buffers, so buffers in use at the same time never alias.
   */
  public static final class Slot {
    private final String name;
    private final ThreadLocal<FloatBuffer> direct = new ThreadLocal<>();
    private final ThreadLocal<float[]> heap = new ThreadLocal<>();
    private final ThreadLocal<byte[]> bytes = new ThreadLocal<>();

    private Slot(String name) {
      this.name = name;
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

  /**
   * A direct, native-order buffer of {@code floats} floats (position 0, limit {@code floats}),
   * which ONNX Runtime uses in place, without a copy. Reused, it holds what the last run on this
   * thread left in it.
   */
  public FloatBuffer direct(Slot slot, int floats) {
    FloatBuffer b = reuse ? slot.direct.get() : null;
    if (b == null || b.capacity() < floats) {
      b = ByteBuffer.allocateDirect(Math.multiplyExact(floats, 4)).order(ByteOrder.nativeOrder()).asFloatBuffer();
      directBytes.addAndGet(4L * floats);
      if (reuse) {
        slot.direct.set(b);
      }
    }
    b.clear();
    b.limit(floats);
    return b;
  }

  /** As {@link #direct}, every float set to 0 (fresh direct memory already is). */
  public FloatBuffer zeroed(Slot slot, int floats) {
    FloatBuffer b = direct(slot, floats);
    if (reuse) {
      fillZero(b, floats);
    }
    return b;
  }

  /** A heap array of at least {@code floats} floats; its contents are left from earlier runs. */
  public float[] floats(Slot slot, int floats) {
    float[] a = reuse ? slot.heap.get() : null;
    if (a == null || a.length < floats) {
      a = new float[floats];
      heapBytes.addAndGet(4L * floats);
      if (reuse) {
        slot.heap.set(a);
      }
    }
    return a;
  }

  /** A heap array of at least {@code n} bytes; its contents are left from earlier runs. */
  public byte[] bytes(Slot slot, int n) {
    byte[] a = reuse ? slot.bytes.get() : null;
    if (a == null || a.length < n) {
      a = new byte[n];
      heapBytes.addAndGet(n);
      if (reuse) {
        slot.bytes.set(a);
      }
    }
    return a;
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

  private static void fillZero(FloatBuffer b, int floats) {
    zero(b, 0, floats);
  }

  /** Sets {@code count} floats of {@code b} from index {@code from} to 0 (its position is left alone). */
  public static void zero(FloatBuffer b, int from, int count) {
    for (int at = 0; at < count; at += ZEROS.length) {
      b.put(from + at, ZEROS, 0, Math.min(ZEROS.length, count - at));
    }
  }
}
