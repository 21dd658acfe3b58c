package dev.edgeagent.spool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a spool folder back after a restart or a crash: every segment is scanned, a torn tail
 * on the last segment (a write cut short) is truncated, damaged records elsewhere are skipped
 * and counted, and every record at or above the acknowledged checkpoint is pending again.
 */
final class SpoolRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(SpoolRecovery.class);

  private SpoolRecovery() {}

  /** What the folder holds. */
  record State(TreeMap<Long, SegmentFile> segments, TreeMap<Long, SegmentFile.Entry> unacked,
      TreeMap<Long, Long> entrySegment, long nextOffset, long totalBytes, long corrupt, long tornBytes) {}

  static State recover(Path dir, long checkpointed) throws IOException {
    List<Path> files;
    try (Stream<Path> st = Files.list(dir)) {
      files = st.filter(p -> p.getFileName().toString().matches("\\d{20}\\.seg")).sorted().toList();
    }
    TreeMap<Long, SegmentFile> segments = new TreeMap<>();
    TreeMap<Long, SegmentFile.Entry> unacked = new TreeMap<>();
    TreeMap<Long, Long> entrySegment = new TreeMap<>();
    long nextOffset = checkpointed;
    long totalBytes = 0;
    long corrupt = 0;
    long torn = 0;
    for (int i = 0; i < files.size(); i++) {
      Path p = files.get(i);
      long base = Long.parseLong(p.getFileName().toString().substring(0, 20));
      SegmentFile seg = new SegmentFile(p, base);
      SegmentFile.Scan scan = seg.scan();
      if (scan.tornTail()) {
        if (i == files.size() - 1) {
          torn += seg.size() - scan.validEnd();
          seg.truncate(scan.validEnd());
          LOG.warn("event=spool_torn_tail_truncated segment={} kept_bytes={}", p.getFileName(), scan.validEnd());
        } else {
          corrupt++;
          LOG.warn("event=spool_segment_corrupt segment={} readable_records={}", p.getFileName(),
              scan.entries().size());
        }
      }
      corrupt += scan.corrupt();
      segments.put(base, seg);
      totalBytes += seg.size();
      for (SegmentFile.Entry e : scan.entries()) {
        if (e.offset() >= checkpointed) {
          unacked.put(e.offset(), e);
          entrySegment.put(e.offset(), base);
        }
      }
      nextOffset = Math.max(nextOffset, scan.endOffset());
    }
    return new State(segments, unacked, entrySegment, nextOffset, totalBytes, corrupt, torn);
  }
}
