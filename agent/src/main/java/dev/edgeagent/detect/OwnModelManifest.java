package dev.edgeagent.detect;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Pins of the models this project trains itself (models/own-models.tsv, packaged into the jar).
 * Unlike models/manifest.tsv these files are committed, not fetched, so a row names a path
 * relative to the installation folder instead of a package. They get their own file because
 * the fetch script packs every manifest row. The loader checks the same sha256 rule as for
 * fetched detectors: a file that does not match its pin is never run.
 */
public final class OwnModelManifest {

  /**
   * One row.
   *
   * @param path relative to the installation folder ({@code edgeagent.home})
   * @param params parameter count as the training side counted it (sum of the sizes of all
   *     trainable tensors); stored here because ONNX Runtime's Java API cannot list initializers
   */
  public record Entry(String name, String path, String sha256, String licence, long params,
      String description) {}

  static final String RESOURCE = "/dev/edgeagent/detect/own-models.tsv";
  private final Map<String, Entry> entries;

  private OwnModelManifest(Map<String, Entry> entries) {
    this.entries = entries;
  }

  /** The pins packaged into the jar. */
  public static OwnModelManifest load() {
    try (InputStream in = OwnModelManifest.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("own-model manifest " + RESOURCE + " missing from the jar");
      }
      return parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Tab-separated: name, path, sha256, licence, params, description; '#' starts a comment. */
  public static OwnModelManifest parse(InputStream in) throws IOException {
    Map<String, Entry> map = new LinkedHashMap<>();
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    int lineNo = 0;
    for (String line = r.readLine(); line != null; line = r.readLine()) {
      lineNo++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t");
      // A malformed pin is a build defect, not a user error: fail loudly rather than skip it.
      if (f.length < 6 || !f[2].matches("[0-9a-f]{64}") || !f[4].matches("\\d+")) {
        throw new IllegalStateException("own-models.tsv line " + lineNo
            + ": expected name, path, sha256 (64 hex), licence, params, description");
      }
      map.put(f[0], new Entry(f[0], f[1], f[2], f[3], Long.parseLong(f[4]), f[5]));
    }
    return new OwnModelManifest(map);
  }

  public Optional<Entry> get(String name) {
    return Optional.ofNullable(entries.get(name));
  }

  public Map<String, Entry> entries() {
    return entries;
  }
}
