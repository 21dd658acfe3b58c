package dev.edgeagent.capture;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * The width and height an image file's header declares, read without decoding any pixel, so a
 * file that claims a huge size is refused before a decoder allocates for it. PNG, JPEG, BMP,
 * WebP and PNM headers are parsed here (a few fixed fields); anything else goes to an
 * {@link ImageIO} reader (TIFF), which also reads only the header for {@code getWidth}.
 */
public final class ImageHeader {
  /** Declared size in pixels. */
  public record Size(long width, long height) {
    public long pixels() {
      return width * height;
    }
  }

  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  /** A JPEG header can hold large EXIF and ICC segments before SOF; beyond this it is not a camera image. */
  private static final int JPEG_SCAN_LIMIT = 16 << 20;

  private ImageHeader() {}

  /** @throws IOException when the header is missing, cut short or of no format the agent reads */
  public static Size read(Path file) throws IOException {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(32);
    }
    if (startsWith(head, PNG)) {
      return png(head);
    }
    if (head.length >= 3 && (head[0] & 0xff) == 0xff && (head[1] & 0xff) == 0xd8) {
      return jpeg(file);
    }
    if (head.length >= 26 && head[0] == 'B' && head[1] == 'M') {
      return positive(le32(head, 18), Math.abs((long) le32(head, 22)));
    }
    if (head.length >= 30 && ascii(head, 0, 4).equals("RIFF") && ascii(head, 8, 4).equals("WEBP")) {
      return webp(head);
    }
    if (head.length >= 2 && head[0] == 'P' && head[1] >= '1' && head[1] <= '7') {
      return pnm(file);
    }
    return viaImageIo(file);
  }

  private static Size png(byte[] h) throws IOException {
    if (h.length < 24 || !ascii(h, 12, 4).equals("IHDR")) {
      throw new IOException("PNG without an IHDR header");
    }
    return positive(be32u(h, 16), be32u(h, 20));
  }

  /** Walks the marker segments up to the first start-of-frame, which carries the size. */
  private static Size jpeg(Path file) throws IOException {
    try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
      in.skipNBytes(2);
      long read = 2;
      while (read < JPEG_SCAN_LIMIT) {
        int b = in.readUnsignedByte();
        read++;
        if (b != 0xff) {
          throw new IOException("JPEG marker expected at byte " + (read - 1));
        }
        int marker = in.readUnsignedByte();
        read++;
        while (marker == 0xff) { // fill bytes
          marker = in.readUnsignedByte();
          read++;
        }
        if (marker == 0xd8 || marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
          continue; // markers without a length
        }
        if (marker == 0xd9 || marker == 0xda) {
          throw new IOException("JPEG without a frame header before its image data");
        }
        int length = in.readUnsignedShort();
        read += 2;
        boolean sof = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
        if (sof) {
          in.readUnsignedByte(); // sample precision
          int height = in.readUnsignedShort();
          int width = in.readUnsignedShort();
          return positive(width, height);
        }
        if (length < 2) {
          throw new IOException("JPEG segment with length " + length);
        }
        in.skipNBytes(length - 2);
        read += length - 2;
      }
      throw new IOException("JPEG without a frame header in its first " + JPEG_SCAN_LIMIT + " bytes");
    } catch (EOFException e) {
      throw new IOException("JPEG header cut short", e);
    }
  }

  private static Size webp(byte[] h) throws IOException {
    String chunk = ascii(h, 12, 4);
    switch (chunk) {
      case "VP8X" -> {
        return positive(1 + le24(h, 24), 1 + le24(h, 27));
      }
      case "VP8L" -> {
        if ((h[20] & 0xff) != 0x2f) {
          throw new IOException("WebP lossless header without its signature");
        }
        long bits = le32(h, 21) & 0xffffffffL;
        return positive(1 + (bits & 0x3fff), 1 + ((bits >> 14) & 0x3fff));
      }
      case "VP8 " -> {
        if ((h[23] & 0xff) != 0x9d || (h[24] & 0xff) != 0x01 || (h[25] & 0xff) != 0x2a) {
          throw new IOException("WebP lossy header without its start code");
        }
        return positive(le16(h, 26) & 0x3fff, le16(h, 28) & 0x3fff);
      }
      default -> throw new IOException("WebP with an unknown first chunk '" + chunk + "'");
    }
  }

  /** Netpbm: magic, then width and height as decimal text, with # comments allowed between. */
  private static Size pnm(Path file) throws IOException {
    try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file))) {
      in.skipNBytes(2);
      return positive(pnmNumber(in), pnmNumber(in));
    }
  }

  private static long pnmNumber(InputStream in) throws IOException {
    int c = in.read();
    while (c == '#' || Character.isWhitespace(c)) {
      if (c == '#') {
        while (c != '\n' && c != -1) {
          c = in.read();
        }
      }
      c = in.read();
    }
    long n = 0;
    int digits = 0;
    while (c >= '0' && c <= '9' && digits < 12) {
      n = n * 10 + (c - '0');
      digits++;
      c = in.read();
    }
    if (digits == 0 || digits == 12) {
      throw new IOException("PNM header without a readable width and height");
    }
    return n;
  }

  private static Size viaImageIo(Path file) throws IOException {
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw new IOException("not a PNG, JPEG, BMP, WebP, TIFF or PNM image (unknown header)");
      }
      ImageReader r = readers.next();
      try {
        r.setInput(in, true, true);
        return positive(r.getWidth(0), r.getHeight(0));
      } finally {
        r.dispose();
      }
    }
  }

  private static Size positive(long width, long height) throws IOException {
    if (width <= 0 || height <= 0) {
      throw new IOException("header declares " + width + " x " + height + " pixels");
    }
    return new Size(width, height);
  }

  private static boolean startsWith(byte[] b, byte[] prefix) {
    return b.length >= prefix.length && Arrays.equals(b, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static String ascii(byte[] b, int off, int len) {
    return new String(b, off, len, StandardCharsets.ISO_8859_1);
  }

  private static long be32u(byte[] b, int off) {
    return ((b[off] & 0xffL) << 24) | ((b[off + 1] & 0xffL) << 16) | ((b[off + 2] & 0xffL) << 8) | (b[off + 3] & 0xffL);
  }

  private static int le32(byte[] b, int off) {
    return (b[off] & 0xff) | ((b[off + 1] & 0xff) << 8) | ((b[off + 2] & 0xff) << 16) | ((b[off + 3] & 0xff) << 24);
  }

  private static int le24(byte[] b, int off) {
    return (b[off] & 0xff) | ((b[off + 1] & 0xff) << 8) | ((b[off + 2] & 0xff) << 16);
  }

  private static int le16(byte[] b, int off) {
    return (b[off] & 0xff) | ((b[off + 1] & 0xff) << 8);
  }
}
