package dev.edgeagent.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * One append-only segment file. Each record is framed as
 * {@code [int length][int crc32c][long offset][payload]}, payload =
 * {@code [short keyLen][key][short idLen][id][value]}; the checksum covers offset and payload.
 * Storing the offset makes recovery independent of how many damaged records came before.
 * The file name is the spool offset of its first record.
 */
final class SegmentFile implements AutoCloseable {
  static final int HEADER = 16;
  static final int MAX_RECORD = 64 << 20;

  /** Where a readable record lies in the file. */
  record Entry(long offset, long position, int length) {}

  /** What scanning an existing file found. */
  record Scan(List<Entry> entries, long validEnd, int corrupt, boolean tornTail, long endOffset) {}

  final long baseOffset;
  final Path path;
  private final FileChannel channel;

  SegmentFile(Path path, long baseOffset) throws IOException {
    this.path = path;
    this.baseOffset = baseOffset;
    this.channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
  }

  static String name(long baseOffset) {
    return String.format("%020d.seg", baseOffset);
  }

  long size() throws IOException {
    return channel.size();
  }

  static byte[] payload(String key, String id, byte[] value) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    byte[] i = id.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(4 + k.length + i.length + value.length);
    b.putShort((short) k.length).put(k).putShort((short) i.length).put(i).put(value);
    return b.array();
  }

  /** Appends at the end; on a failed write the file is cut back, so no partial record stays. */
  long append(long offset, byte[] payload) throws IOException {
    long pos = channel.size();
    ByteBuffer b = ByteBuffer.allocate(HEADER + payload.length);
    b.putInt(payload.length).putInt(crc(offset, payload)).putLong(offset).put(payload).flip();
    try {
      while (b.hasRemaining()) {
        channel.write(b, pos + b.position());
      }
    } catch (IOException e) {
      channel.truncate(pos);
      throw e;
    }
    return pos;
  }

  private static int crc(long offset, byte[] payload) {
    CRC32C c = new CRC32C();
    c.update(ByteBuffer.allocate(8).putLong(0, offset));
    c.update(payload);
    return (int) c.getValue();
  }

  void force() throws IOException {
    channel.force(false);
  }

  SpoolRecord read(Entry e) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(e.length());
    while (b.hasRemaining()) {
      if (channel.read(b, e.position() + HEADER + b.position()) < 0) {
        throw new IOException("segment " + path + " ended inside a record");
      }
    }
    b.flip();
    byte[] k = new byte[b.getShort()];
    b.get(k);
    byte[] i = new byte[b.getShort()];
    b.get(i);
    byte[] v = new byte[b.remaining()];
    b.get(v);
    return new SpoolRecord(e.offset(), new String(k, StandardCharsets.UTF_8),
        new String(i, StandardCharsets.UTF_8), v);
  }

  /**
   * Reads every record. A damaged record (bad checksum, impossible length, broken structure) is
   * counted and skipped by searching forward for the next record whose checksum holds, so one
   * damaged byte costs one record, not the rest of the segment. Damage with no valid record
   * after it ends the scan: in the newest segment that is a torn tail from a crash mid-write.
   */
  Scan scan() throws IOException {
    List<Entry> entries = new ArrayList<>();
    long size = channel.size();
    long pos = 0;
    long endOffset = baseOffset;
    int corrupt = 0;
    while (pos + HEADER <= size) {
      Entry e = readValid(pos, size);
      if (e == null) {
        long next = resync(pos + 1, size);
        if (next < 0) {
          return new Scan(entries, pos, corrupt, true, endOffset);
        }
        corrupt++;
        pos = next;
        continue;
      }
      entries.add(e);
      endOffset = Math.max(endOffset, e.offset() + 1);
      pos += HEADER + e.length();
    }
    return new Scan(entries, pos, corrupt, pos != size, endOffset);
  }

  private long resync(long from, long size) throws IOException {
    for (long p = from; p + HEADER <= size; p++) {
      if (readValid(p, size) != null) {
        return p;
      }
    }
    return -1;
  }

  /** The record at {@code pos} if its frame and checksum are intact, else null. */
  private Entry readValid(long pos, long size) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(HEADER);
    channel.read(header, pos);
    header.flip();
    int len = header.getInt();
    int crc = header.getInt();
    long offset = header.getLong();
    if (len < 4 || len > MAX_RECORD || pos + HEADER + len > size || offset < baseOffset) {
      return null;
    }
    ByteBuffer body = ByteBuffer.allocate(len);
    channel.read(body, pos + HEADER);
    if (crc(offset, body.array()) != crc || !wellFormed(body.array())) {
      return null;
    }
    return new Entry(offset, pos, len);
  }

  private static boolean wellFormed(byte[] p) {
    if (p.length < 4) {
      return false;
    }
    int k = ((p[0] & 0xff) << 8) | (p[1] & 0xff);
    if (2 + k + 2 > p.length) {
      return false;
    }
    int i = ((p[2 + k] & 0xff) << 8) | (p[3 + k] & 0xff);
    return 4 + k + i <= p.length;
  }

  void truncate(long size) throws IOException {
    channel.truncate(size);
    channel.force(true);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
