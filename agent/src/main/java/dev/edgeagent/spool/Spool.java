package dev.edgeagent.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable, bounded, append-only log of anonymized records between encoding and publishing.
 * Records get increasing offsets (so order per camera survives restarts), are fsynced per the
 * configured policy before {@link #append} returns, and leave the disk only when every record
 * of their segment is acknowledged by the broker. A checkpoint of the acknowledged low-water
 * mark limits re-sending after a restart; anything above it is sent again (at-least-once;
 * consumers de-duplicate by record id). Thread-safe.
 */
public final class Spool implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
  /** With a full disk and {@code pause}: how often to look whether space came back. */
  private static final long DISK_FULL_RETRY_MS = 200;
  /** A fully acknowledged segment being written is deleted once it holds this much. */
  private static final long ACKED_ACTIVE_RELEASE_BYTES = 1L << 20;

  private final SpoolConfig cfg;
  private final TreeMap<Long, SegmentFile> segments = new TreeMap<>();
  /** Unacknowledged records by offset: segment base offset and where in it. */
  private final TreeMap<Long, SegmentFile.Entry> unacked = new TreeMap<>();
  private final TreeMap<Long, Long> entrySegment = new TreeMap<>();
  private final java.util.TreeSet<Long> inFlight = new java.util.TreeSet<>();
  /** When each record appended by this process was captured (nanoTime), for latency figures. */
  private final java.util.HashMap<Long, Long> stamps = new java.util.HashMap<>();
  private final ScheduledExecutorService flusher;
  private long nextOffset;
  private long totalBytes;
  private AckCheckpoint checkpoint;
  private boolean dirty;
  /** The next append must start a new segment (after recovery, or to release the current one). */
  private boolean nextSegmentForced;
  private boolean closed;
  /** Out of disk space: see {@link #diskFull()}. */
  private boolean diskFull;

  private final AtomicLong appended = new AtomicLong();
  private final AtomicLong acked = new AtomicLong();
  private final AtomicLong droppedOldest = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong diskFullEvents = new AtomicLong();
  private long corruptOnOpen;
  private long tornBytesOnOpen;
  /** When this process opened the spool: records found on disk are at least this old. */
  private final long openedNanos = System.nanoTime();

  private Spool(SpoolConfig cfg) {
    this.cfg = cfg;
    this.flusher = cfg.fsyncIntervalMillis() > 0 ? Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "spool-fsync");
      t.setDaemon(true);
      return t;
    }) : null;
  }

  /** Opens (recovering torn tails and skipping corrupt records) or creates the spool in cfg.dir(). */
  public static Spool open(SpoolConfig cfg) throws IOException {
    Files.createDirectories(cfg.dir());
    checkWritable(cfg.dir());
    Spool s = new Spool(cfg);
    s.recover();
    if (s.flusher != null) {
      s.flusher.scheduleWithFixedDelay(s::flushQuietly, cfg.fsyncIntervalMillis(),
          cfg.fsyncIntervalMillis(), TimeUnit.MILLISECONDS);
    }
    return s;
  }

  /**
   * A folder that exists but cannot be written (read-only mount, wrong owner) would only show at
   * the first frame, which would then be dropped; refuse it at start instead (exit 74).
   */
  private static void checkWritable(java.nio.file.Path dir) throws IOException {
    java.nio.file.Path probe;
    try {
      probe = Files.createTempFile(dir, ".write-check", ".tmp");
    } catch (java.nio.file.AccessDeniedException e) {
      throw new java.nio.file.AccessDeniedException(dir.toString(), null,
          "the spool folder is not writable by this user; fix its owner or set spool.dir");
    } catch (java.nio.file.FileSystemException e) {
      throw new java.nio.file.FileSystemException(dir.toString(), null, "the spool folder is not writable ("
          + e.getReason() + "); set spool.dir to a writable folder or fix the mount");
    }
    Files.deleteIfExists(probe);
  }

  private synchronized void recover() throws IOException {
    checkpoint = new AckCheckpoint(cfg.dir());
    SpoolRecovery.State st = SpoolRecovery.recover(cfg.dir(), checkpoint.value());
    segments.putAll(st.segments());
    unacked.putAll(st.unacked());
    entrySegment.putAll(st.entrySegment());
    nextOffset = st.nextOffset();
    totalBytes = st.totalBytes();
    corruptOnOpen = st.corrupt();
    tornBytesOnOpen = st.tornBytes();
    // New records go to a fresh segment named by their first offset, so offsets implied by
    // position in a recovered segment never collide with new ones.
    nextSegmentForced = !segments.isEmpty();
    deleteAckedSegments(true);
    LOG.info("event=spool_opened dir={} segments={} pending={} corrupt_skipped={} torn_bytes={}",
        cfg.dir(), segments.size(), unacked.size(), corruptOnOpen, tornBytesOnOpen);
  }

  /**
   * Stores a record durably (per the fsync policy) and returns its offset.
   *
   * @throws SpoolException when full and the policy refuses, or the disk fails; the record is
   *     not stored and the caller counts it
   */
  public synchronized long append(String key, String recordId, byte[] value)
      throws SpoolException, InterruptedException {
    return append(key, recordId, value, System.nanoTime());
  }

  /**
   * Like {@link #append(String, String, byte[])}, remembering (in memory only) the
   * {@link System#nanoTime()} the record's frame was captured at; {@link #ack} returns it.
   */
  public synchronized long append(String key, String recordId, byte[] value, long capturedNanos)
      throws SpoolException, InterruptedException {
    ensureOpen();
    byte[] payload = SegmentFile.payload(key, recordId, value);
    makeRoom(payload.length + SegmentFile.HEADER);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(cfg.pauseMillis());
    for (boolean firstTry = true; ; firstTry = false) {
      try {
        long offset = write(payload, capturedNanos);
        // Still "full" while records only fit after dropping others, or while the next
        // segment would not fit: the space is back when a whole segment is free again.
        if (diskFull && firstTry && segmentFits()) {
          diskFull = false;
          LOG.info("event=spool_disk_space_back pending={}", unacked.size());
        }
        return offset;
      } catch (IOException e) {
        if (!DiskErrors.isOutOfSpace(e) && usableBytes() >= payload.length + 2L * SegmentFile.HEADER) {
          refused.incrementAndGet();
          throw new SpoolException("spool_disk_error", "spool write failed: " + e.getMessage(), e);
        }
        onDiskFull(e, deadline);
      }
    }
  }

  /**
   * The disk refused a write for want of space: the same full policy as the byte cap decides.
   * Segments already acknowledged go first (they cost nothing), then {@code drop_oldest} drops
   * unsent ones and {@code pause} waits for acknowledgements or for space to come back. Returns
   * to retry the write; throws when the record is refused.
   */
  private void onDiskFull(IOException e, long deadline) throws SpoolException, InterruptedException {
    if (!diskFull) {
      diskFull = true;
      diskFullEvents.incrementAndGet();
      LOG.warn("event=spool_disk_full dir={} pending={} policy={} reason=\"{}\"", cfg.dir(), unacked.size(),
          cfg.fullPolicy(), e.getMessage());
    }
    String message = "spool cannot take the record: the disk under " + cfg.dir() + " is full (" + e.getMessage()
        + "), " + unacked.size() + " record(s) pending";
    applyFullPolicy("spool_disk_full", message, deadline, e);
  }

  /**
   * One step of the full policy, shared by the byte cap, the free-space floor and a full disk:
   * acknowledged segments go first (they cost nothing), then {@code drop_oldest} drops the
   * oldest unsent segment (counted) and {@code pause} waits for an acknowledgement or, since
   * space freed by another program wakes nobody, at most {@value #DISK_FULL_RETRY_MS} ms before
   * the caller looks again. Returns when the caller should try again; throws, counted as
   * refused, when the policy gives up on the record.
   */
  private void applyFullPolicy(String reason, String message, long deadline, Throwable cause)
      throws SpoolException, InterruptedException {
    if (deleteAckedSegments(true)) {
      return;
    }
    if (cfg.fullPolicy() == SpoolConfig.FullPolicy.DROP_OLDEST && dropOldestSegment()) {
      return;
    }
    long left = deadline - System.nanoTime();
    if (cfg.fullPolicy() == SpoolConfig.FullPolicy.PAUSE && left > 0) {
      TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(DISK_FULL_RETRY_MS)));
      return;
    }
    refused.incrementAndGet();
    throw new SpoolException(reason, message, cause);
  }

  /** One record onto the end of the active segment, durable per the fsync policy, or nothing. */
  private long write(byte[] payload, long capturedNanos) throws IOException {
    SegmentFile seg = activeSegment(payload.length);
    long before = seg.size();
    long offset = nextOffset;
    long pos = seg.append(offset, payload);
    if (cfg.fsyncIntervalMillis() == 0) {
      try {
        seg.force();
      } catch (IOException e) {
        // some filesystems report a full disk only at fsync: the record is not durable, take it back
        seg.truncate(before);
        throw e;
      }
    } else {
      dirty = true;
    }
    nextOffset++;
    totalBytes += seg.size() - before;
    unacked.put(offset, new SegmentFile.Entry(offset, pos, payload.length));
    entrySegment.put(offset, seg.baseOffset);
    stamps.put(offset, capturedNanos);
    appended.incrementAndGet();
    notifyAll();
    return offset;
  }

  /** Applies the full policy until the record fits under the byte cap and above the free-space floor. */
  private void makeRoom(long need) throws SpoolException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(cfg.pauseMillis());
    while (totalBytes + need > cfg.maxBytes() || belowFloor()) {
      String reason = belowFloor() ? "spool_disk_floor" : "spool_full";
      applyFullPolicy(reason, "spool cannot take the record (" + reason + "): " + totalBytes + " bytes spooled, cap "
          + cfg.maxBytes(), deadline, null);
    }
  }

  private boolean segmentFits() {
    return usableBytes() >= cfg.segmentBytes();
  }

  private long usableBytes() {
    try {
      return Files.getFileStore(cfg.dir()).getUsableSpace();
    } catch (IOException e) {
      return 0;
    }
  }

  private boolean belowFloor() {
    try {
      return cfg.minFreeBytes() > 0 && Files.getFileStore(cfg.dir()).getUsableSpace() < cfg.minFreeBytes();
    } catch (IOException e) {
      return true;
    }
  }

  /** Drops the oldest segment that is not the one being written; false when there is none. */
  private boolean dropOldestSegment() {
    if (segments.size() < 2) {
      if (segments.isEmpty() || unacked.isEmpty()) {
        return false;
      }
      // Only the segment being written is left: the next append starts a fresh one, so this
      // one can be released.
      nextSegmentForced = true;
    }
    Map.Entry<Long, SegmentFile> oldest = segments.firstEntry();
    long lost = countUnackedIn(oldest.getKey());
    droppedOldest.addAndGet(lost);
    LOG.warn("event=spool_dropped_oldest segment={} records={}", oldest.getValue().path.getFileName(), lost);
    removeSegment(oldest.getKey());
    return true;
  }

  private SegmentFile activeSegment(int payloadLength) throws IOException {
    Map.Entry<Long, SegmentFile> last = segments.lastEntry();
    if (last != null && !nextSegmentForced
        && last.getValue().size() + payloadLength + SegmentFile.HEADER <= cfg.segmentBytes()) {
      return last.getValue();
    }
    if (last != null && cfg.fsyncIntervalMillis() > 0) {
      last.getValue().force();
    }
    nextSegmentForced = false;
    if (segments.containsKey(nextOffset)) {
      return segments.get(nextOffset); // an empty segment left by recovery
    }
    SegmentFile seg = new SegmentFile(cfg.dir().resolve(SegmentFile.name(nextOffset)), nextOffset);
    segments.put(nextOffset, seg);
    syncDirectory();
    return seg;
  }

  private long countUnackedIn(long base) {
    Long nextBase = segments.higherKey(base);
    return unacked.subMap(base, true, nextBase == null ? Long.MAX_VALUE : nextBase, false).size();
  }

  private void removeSegment(long base) {
    Long nextBase = segments.higherKey(base);
    long end = nextBase == null ? Long.MAX_VALUE : nextBase;
    unacked.subMap(base, true, end, false).clear();
    entrySegment.subMap(base, true, end, false).keySet().forEach(stamps::remove);
    entrySegment.subMap(base, true, end, false).clear();
    inFlight.subSet(base, true, end, false).clear();
    if (base == segments.lastKey()) {
      nextSegmentForced = true; // the next record starts a new file named by its own offset
    }
    SegmentFile seg = segments.remove(base);
    try {
      totalBytes -= seg.size();
      seg.close();
      Files.deleteIfExists(seg.path);
      syncDirectory();
    } catch (IOException e) {
      LOG.warn("event=spool_delete_failed segment={} reason=\"{}\"", seg.path, e.getMessage());
    }
    notifyAll();
  }

  /**
   * Up to {@code max} records not yet handed out, oldest first, waiting up to
   * {@code waitMillis} for one. Each stays in the spool until {@link #ack} or {@link #release}.
   */
  public synchronized List<SpoolRecord> take(int max, long waitMillis) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
    while (!closed && unacked.size() == inFlight.size()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return List.of();
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    List<SpoolRecord> out = new ArrayList<>();
    for (SegmentFile.Entry e : unacked.values()) {
      if (out.size() >= max) {
        break;
      }
      if (inFlight.add(e.offset())) {
        out.add(segments.get(entrySegment.get(e.offset())).read(e));
      }
    }
    return out;
  }

  /**
   * The broker acknowledged the record: it may leave the disk.
   *
   * @return the capture time given to append, or -1 for a record recovered from disk
   */
  public synchronized long ack(long offset) {
    Long stamp = stamps.remove(offset);
    inFlight.remove(offset);
    if (unacked.remove(offset) != null) {
      entrySegment.remove(offset);
      acked.incrementAndGet();
    }
    if (deleteAckedSegments(diskFull) && diskFull && segmentFits()) {
      diskFull = false;
      LOG.info("event=spool_disk_space_back pending={}", unacked.size());
    }
    long low = unacked.isEmpty() ? nextOffset : unacked.firstKey();
    if (low - checkpoint.value() >= 64 || unacked.isEmpty()) {
      checkpoint.write(low);
    }
    return stamp == null ? -1 : stamp;
  }

  /** Hands every record in flight out again (the producer that had them is gone). */
  public synchronized void releaseAll() {
    inFlight.clear();
    notifyAll();
  }

  /** The send failed: hand the record out again later. */
  public synchronized void release(long offset) {
    inFlight.remove(offset);
    notifyAll();
  }

  /**
   * Deletes every segment whose records are all acknowledged. The segment being written is kept
   * while it is small (deleting it after each acknowledgement would create and delete a file
   * per record) unless {@code includeActive}: at open, and when space is short.
   *
   * @return whether that freed any bytes (an empty segment frees none: retrying a write after
   *     deleting it would loop)
   */
  private boolean deleteAckedSegments(boolean includeActive) {
    long before = totalBytes;
    for (long base : new ArrayList<>(segments.keySet())) {
      boolean active = base == segments.lastKey();
      if (countUnackedIn(base) > 0 || active && !includeActive && !activeWorthReleasing(base)) {
        continue;
      }
      removeSegment(base);
    }
    return totalBytes < before;
  }

  private boolean activeWorthReleasing(long base) {
    try {
      return segments.get(base).size() >= Math.min(cfg.segmentBytes() / 4, ACKED_ACTIVE_RELEASE_BYTES);
    } catch (IOException e) {
      return true;
    }
  }

  private void syncDirectory() throws IOException {
    try (FileChannel dir = FileChannel.open(cfg.dir(), StandardOpenOption.READ)) {
      dir.force(true);
    }
  }

  private synchronized void flushQuietly() {
    if (!dirty || segments.isEmpty()) {
      return;
    }
    try {
      segments.lastEntry().getValue().force();
      dirty = false;
    } catch (IOException e) {
      LOG.warn("event=spool_fsync_failed reason=\"{}\"", e.getMessage());
    }
  }

  private void ensureOpen() throws SpoolException {
    if (closed) {
      throw new SpoolException("spool_closed", "spool is closed", null);
    }
  }

  /** Records not yet acknowledged (in flight included). */
  public synchronized long pending() {
    return unacked.size();
  }

  /**
   * How long the oldest unacknowledged record has waited, in milliseconds, from its capture; 0
   * when none waits. A record spooled by an earlier run has no capture time here: it counts
   * from when this process opened the spool, so the figure is then a lower bound.
   */
  public synchronized long oldestPendingAgeMillis() {
    if (unacked.isEmpty()) {
      return 0;
    }
    Long captured = stamps.get(unacked.firstKey());
    long since = captured != null && captured != 0 ? captured : openedNanos;
    return Math.max(0, (System.nanoTime() - since) / 1_000_000);
  }

  public synchronized long bytes() {
    return totalBytes;
  }

  /**
   * At the byte cap, below the free-space floor, or the disk ran out of space and has not had
   * room for a whole segment since.
   */
  public synchronized boolean full() {
    return diskFull || totalBytes >= cfg.maxBytes() || belowFloor();
  }

  /**
   * The disk refused a write for want of space, and since then records have fitted only by
   * dropping others, or less than a segment is free.
   */
  public synchronized boolean diskFull() {
    return diskFull;
  }

  /** How many times the disk ran out of space under the spool (each episode counts once). */
  public long diskFullEvents() {
    return diskFullEvents.get();
  }

  public long appended() {
    return appended.get();
  }

  public long acked() {
    return acked.get();
  }

  public long droppedOldest() {
    return droppedOldest.get();
  }

  public long refused() {
    return refused.get();
  }

  public long corruptOnOpen() {
    return corruptOnOpen;
  }

  public long tornBytesOnOpen() {
    return tornBytesOnOpen;
  }

  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    notifyAll();
    if (flusher != null) {
      flusher.shutdownNow();
    }
    for (SegmentFile s : segments.values()) {
      s.force();
      s.close();
    }
    checkpoint.write(unacked.isEmpty() ? nextOffset : unacked.firstKey());
  }
}
