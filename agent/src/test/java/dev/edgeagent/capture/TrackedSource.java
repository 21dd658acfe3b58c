package dev.edgeagent.capture;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

/**
 * A test camera whose frames count how often their pixels are released, so a test can tell a
 * frame leaked (never released) or released twice (a second owner) from one released once.
 * Non-live by default; {@link #next()} makes frame after frame up to {@code total}, then null.
 */
public class TrackedSource implements FrameSource {
  /** Pixels that count their releases. */
  static final class TrackedMat extends Mat {
    private final AtomicInteger releases;

    TrackedMat(AtomicInteger releases) {
      super(48, 64, CvType.CV_8UC3, new Scalar(90, 120, 150));
      this.releases = releases;
    }

    @Override
    public void release() {
      releases.incrementAndGet();
      super.release();
    }
  }

  private final long total;
  private final Map<Long, AtomicInteger> releases = new ConcurrentHashMap<>();
  /** Calls of {@link #next()}, the one that found the end included. */
  public final AtomicLong calls = new AtomicLong();
  public final AtomicInteger closes = new AtomicInteger();
  private final AtomicLong made = new AtomicLong();

  public TrackedSource(long total) {
    OpenCv.ensureLoaded();
    this.total = total;
  }

  @Override
  public RawFrame next() throws CaptureException, InterruptedException {
    calls.incrementAndGet();
    long seq = made.get();
    if (seq >= total) {
      return null;
    }
    return make(seq);
  }

  /** A new frame {@code seq}, counted. */
  protected RawFrame make(long seq) {
    made.incrementAndGet();
    AtomicInteger r = new AtomicInteger();
    releases.put(seq, r);
    return new RawFrame(new FrameMeta(cameraId(), seq, 0, System.nanoTime(), 64, 48, "tracked"), new TrackedMat(r));
  }

  /** Frames made so far. */
  public long made() {
    return made.get();
  }

  /** Frames made and not released yet. */
  public long alive() {
    return releases.values().stream().filter(r -> r.get() == 0).count();
  }

  /** How often each frame made so far was released, by sequence. */
  public Map<Long, Integer> releases() {
    Map<Long, Integer> out = new java.util.TreeMap<>();
    releases.forEach((seq, r) -> out.put(seq, r.get()));
    return out;
  }

  @Override
  public String cameraId() {
    return "cam";
  }

  @Override
  public boolean live() {
    return false;
  }

  @Override
  public void close() {
    closes.incrementAndGet();
  }
}
