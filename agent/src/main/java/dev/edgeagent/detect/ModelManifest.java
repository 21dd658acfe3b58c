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
 * The pinned models (models/manifest.tsv, packaged into the jar): name, source package, version
 * and the sha256 every loaded file must match.
 */
public final class ModelManifest {

  /** One manifest row. */
  public record Entry(String name, String pkg, String version, String fileInPackage,
      String sha256, String licence) {}

  private static final String RESOURCE = "/dev/edgeagent/detect/manifest.tsv";
  private final Map<String, Entry> entries;

  private ModelManifest(Map<String, Entry> entries) {
    this.entries = entries;
  }

  public static ModelManifest load() {
    try (InputStream in = ModelManifest.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("model manifest " + RESOURCE + " missing from the jar");
      }
      Map<String, Entry> map = new LinkedHashMap<>();
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t");
        map.put(f[0], new Entry(f[0], f[1], f[2], f[3], f[4], f.length > 5 ? f[5] : ""));
      }
      return new ModelManifest(map);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Optional<Entry> get(String name) {
    return Optional.ofNullable(entries.get(name));
  }

  public Map<String, Entry> entries() {
    return entries;
  }
}
