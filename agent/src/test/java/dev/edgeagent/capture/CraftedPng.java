package dev.edgeagent.capture;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A well-formed PNG (signature, IHDR, IDAT, IEND, every CRC correct) whose IHDR claims any size:
 * the "decompression bomb" of issue 14, a few hundred bytes that declare 50000 x 50000 pixels.
 * Its IDAT holds only the first scanline, so it is small, and a decoder that trusts the header
 * allocates for the whole claim before it finds the data short.
 */
public final class CraftedPng {
  private CraftedPng() {}

  public static Path write(Path file, int width, int height) throws IOException {
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height)
        .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0); // 8-bit RGB, no interlace
    chunk(png, "IHDR", ihdr.array());
    byte[] row = new byte[1 + 3 * width]; // filter byte 0, then black pixels
    Deflater z = new Deflater(Deflater.BEST_COMPRESSION);
    z.setInput(row);
    z.finish();
    byte[] buf = new byte[row.length + 64];
    int n = z.deflate(buf);
    z.end();
    chunk(png, "IDAT", java.util.Arrays.copyOf(buf, n));
    chunk(png, "IEND", new byte[0]);
    return Files.write(file, png.toByteArray());
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    out.write(ByteBuffer.allocate(4).putInt(data.length).array());
    out.write(t);
    out.write(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
