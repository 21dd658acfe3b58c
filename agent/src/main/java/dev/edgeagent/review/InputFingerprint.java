package dev.edgeagent.review;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a keep list was made for: the sha256 of the input file, or of a folder's files (name and
 * content of each regular file, in name order). A keep list applies only to the input it names,
 * so regions are never left unredacted on some other video that happens to have a box there.
 */
public record InputFingerprint(String sha256, String name) {

  public static InputFingerprint of(Path input) throws IOException {
    MessageDigest md = newDigest();
    if (Files.isDirectory(input)) {
      List<Path> files;
      try (Stream<Path> s = Files.list(input)) {
        files = s.filter(Files::isRegularFile).sorted().toList();
      }
      for (Path f : files) {
        md.update(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
        md.update(HexFormat.of().parseHex(digest(f)));
      }
    } else {
      return new InputFingerprint(digest(input), input.getFileName().toString());
    }
    return new InputFingerprint(HexFormat.of().formatHex(md.digest()), input.getFileName().toString());
  }

  private static String digest(Path file) throws IOException {
    MessageDigest md = newDigest();
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
