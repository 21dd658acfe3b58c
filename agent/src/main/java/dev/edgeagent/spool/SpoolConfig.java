package dev.edgeagent.spool;

import java.nio.file.Path;

/**
 * How the spool stores and bounds records.
 *
 * @param dir folder of segment files (created if missing)
 * @param segmentBytes a segment is closed and a new one started past this size
 * @param maxBytes cap on all segments together
 * @param minFreeBytes the spool stops accepting when the disk has less free space than this
 * @param fsyncIntervalMillis 0: fsync every record before append returns; n > 0: at most n ms
 *     of accepted records can be lost on power loss (a kill -9 loses nothing either way: the
 *     data is in the page cache)
 * @param fullPolicy what happens at the cap or the floor
 * @param pauseMillis with {@link FullPolicy#PAUSE}: how long append waits for space before
 *     refusing the record
 */
public record SpoolConfig(Path dir, long segmentBytes, long maxBytes, long minFreeBytes,
    long fsyncIntervalMillis, FullPolicy fullPolicy, long pauseMillis) {

  /** What a full spool does. */
  public enum FullPolicy {
    /** Delete the oldest segment, unsent records included (counted), to make room. */
    DROP_OLDEST,
    /** Block the appender (and so capture) until records are acknowledged, then refuse (counted). */
    PAUSE
  }

  public static SpoolConfig defaults(Path dir) {
    return new SpoolConfig(dir, 16L << 20, 1L << 30, 256L << 20, 0, FullPolicy.DROP_OLDEST, 5_000);
  }
}
