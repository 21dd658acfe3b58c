package dev.edgeagent.it;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the framing of a spool segment ({@code [int length][int crc][long offset][payload]}),
 * so fault tests can damage chosen records.
 */
final class SegmentLayout {
  private SegmentLayout() {}

  /** Each record as {position, payload length}. */
  static List<long[]> records(Path segment) throws IOException {
    List<long[]> out = new ArrayList<>();
    try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "r")) {
      long pos = 0;
      while (pos + 16 <= f.length()) {
        f.seek(pos);
        int len = f.readInt();
        out.add(new long[] {pos, len});
        pos += 16 + len;
      }
    }
    return out;
  }
}
