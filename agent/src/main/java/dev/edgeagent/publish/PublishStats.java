package dev.edgeagent.publish;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * What the publishing side did with the frames it accepted: counters that only grow, updated
 * from the producer's I/O thread and read from anywhere (metrics, health, summaries).
 * accepted = sent + oversize refused; sent = acked + failed + in flight.
 */
public final class PublishStats {
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong acked = new AtomicLong();
  private final AtomicLong reencoded = new AtomicLong();
  private final AtomicLong oversizeRefused = new AtomicLong();
  private final AtomicLong errorsSinceAck = new AtomicLong();
  private final ConcurrentHashMap<String, AtomicLong> errors = new ConcurrentHashMap<>();
  private final LongSupplier nanoTime;
  private final long stallNanos;
  /** When the broker last made progress for us: an ack, or a send into an empty pipe. */
  private volatile long lastProgress;
  /** Set while a broker is expected but has not answered yet (see {@link #awaitFirstContact}). */
  private volatile boolean awaitingContact;
  /** The type of the latest failure since the last acknowledgement, or null. */
  private volatile String lastError;

  /**
   * @param nanoTime the monotonic clock (tests pass their own)
   * @param stallMillis in-flight records with no ack for this long mean the broker is not keeping up
   */
  public static PublishStats create(long stallMillis) {
    return new PublishStats(System::nanoTime, stallMillis);
  }

  PublishStats(LongSupplier nanoTime, long stallMillis) {
    this.nanoTime = nanoTime;
    this.stallNanos = stallMillis * 1_000_000L;
    this.lastProgress = nanoTime.getAsLong();
  }

  /**
   * From now until the broker first answers ({@link #contacted}, or an acknowledgement), the
   * link counts as degraded: a broker that is down at start must not look healthy for the
   * request timeout (30 s) before the first error arrives.
   */
  void awaitFirstContact() {
    awaitingContact = true;
  }

  /** The broker answered (the topic check succeeded). */
  void contacted() {
    awaitingContact = false;
  }

  /** True until a broker that is expected has answered once. */
  public boolean connecting() {
    return awaitingContact;
  }

  void accepted() {
    accepted.incrementAndGet();
  }

  void sent() {
    if (inFlight() == 0) {
      lastProgress = nanoTime.getAsLong();
    }
    sent.incrementAndGet();
  }

  void acked() {
    acked.incrementAndGet();
    lastProgress = nanoTime.getAsLong();
    errorsSinceAck.set(0);
    lastError = null;
    awaitingContact = false;
  }

  void reencoded() {
    reencoded.incrementAndGet();
  }

  void oversizeRefused() {
    oversizeRefused.incrementAndGet();
  }

  /** @return how many errors of this type so far, including this one */
  long error(String type) {
    errorsSinceAck.incrementAndGet();
    lastError = type;
    return errors.computeIfAbsent(type, k -> new AtomicLong()).incrementAndGet();
  }

  public long acceptedCount() {
    return accepted.get();
  }

  public long sentCount() {
    return sent.get();
  }

  /** Records the broker acknowledged (acks=all). */
  public long ackedCount() {
    return acked.get();
  }

  /** Frames that fitted only after re-encoding at a lower JPEG quality. */
  public long reencodedCount() {
    return reencoded.get();
  }

  /** Frames not sent because even the minimum JPEG quality exceeded max.request.size. */
  public long oversizeRefusedCount() {
    return oversizeRefused.get();
  }

  /** Records that failed for good, by exception simple name (TimeoutException, ...). */
  public Map<String, Long> errorsByType() {
    Map<String, Long> out = new TreeMap<>();
    errors.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /**
   * Why publishing fails now: the exception type of the latest failure since the last
   * acknowledgement (SslAuthenticationException, SaslAuthenticationException,
   * TopicAuthorizationException, TimeoutException, ...), or null while it works.
   */
  public String lastError() {
    return lastError;
  }

  public long errorCount() {
    return errors.values().stream().mapToLong(AtomicLong::get).sum();
  }

  /** Sent but neither acknowledged nor failed yet. */
  public long inFlight() {
    return sent.get() - acked.get() - errorCount();
  }

  /**
   * True while the latest outcome was a failure, or records are in flight and none was
   * acknowledged for the stall time: the broker is unreachable, refusing or far behind. The
   * producer retries silently until delivery.timeout.ms, so waiting for errors alone would
   * report a dead broker minutes late. The agent reports "degraded" health while this holds;
   * the next acknowledgement clears it.
   */
  public boolean degraded() {
    return awaitingContact || errorsSinceAck.get() > 0 || (inFlight() > 0 && nanoTime.getAsLong() - lastProgress > stallNanos);
  }

  @Override
  public String toString() {
    return "accepted=" + accepted + " sent=" + sent + " acked=" + acked + " reencoded=" + reencoded
        + " oversize_refused=" + oversizeRefused + " errors=" + errorsByType() + " in_flight=" + inFlight();
  }
}
