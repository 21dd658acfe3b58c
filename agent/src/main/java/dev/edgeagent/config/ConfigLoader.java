package dev.edgeagent.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.edgeagent.text.EditDistance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a YAML profile, substitutes {@code ${VAR}} and {@code ${VAR:-default}} from the
 * environment, checks every key against {@link Settings} (unknown keys are errors, so a typo
 * never silently falls back to a default) and fills in defaults. Every unset variable is
 * reported at once, in one message, so a profile is not fixed one variable per try.
 */
public final class ConfigLoader {
  private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");
  private static final String KAFKA_CLIENT = "kafka.client.";
  private static final Pattern CAMERA_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  private final UnaryOperator<String> env;

  public ConfigLoader(UnaryOperator<String> env) {
    this.env = env;
  }

  public ConfigLoader() {
    this(System::getenv);
  }

  /** The folder relative default paths resolve against: -Dedgeagent.home, else the working directory. */
  public static Path home() {
    String h = System.getProperty("edgeagent.home");
    return (h == null || h.isBlank() ? Path.of("") : Path.of(h)).toAbsolutePath().normalize();
  }

  /** Defaults only, with no camera: the base of the batch commands. */
  public static AgentConfig defaults() {
    Map<String, Object> values = new HashMap<>();
    Map<String, Path> base = new HashMap<>();
    for (Setting s : Settings.ALL) {
      values.put(s.key(), s.defaultValue());
      base.put(s.key(), home());
    }
    return new AgentConfig(values, base, List.of(), Map.of());
  }

  public AgentConfig load(Path file) throws ConfigException {
    return load(file, Set.of());
  }

  /**
   * Like {@link #load(Path)}, for a caller that replaces the settings named in {@code
   * overridden} afterwards ({@code --set}, {@code --models-dir}, through {@link
   * AgentConfig#with}): their values in the file are neither substituted nor checked, so an
   * environment variable a profile uses only there need not be set. They keep their defaults
   * until the caller applies its values.
   */
  public AgentConfig load(Path file, Set<String> overridden) throws ConfigException {
    JsonNode root;
    try {
      root = new YAMLMapper().readTree(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new ConfigException("config file " + file + " does not exist");
    } catch (IOException e) {
      throw new ConfigException("config file " + file + " is not valid YAML: "
          + e.getMessage().lines().findFirst().orElse(""), e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      root = new YAMLMapper().createObjectNode();
    }
    if (!root.isObject()) {
      throw new ConfigException("config file " + file + ": the top level must be a mapping of keys");
    }
    Path dir = file.toAbsolutePath().getParent();
    Map<String, Object> flat = new HashMap<>();
    flatten("", root, flat);
    Unset unset = new Unset();
    List<CameraConfig> cameras = cameras(flat.remove("cameras"), unset);

    Map<String, Object> values = new HashMap<>();
    Map<String, Path> base = new HashMap<>();
    for (Setting s : Settings.ALL) {
      Object raw = flat.remove(s.key());
      String value = raw == null || overridden.contains(s.key()) ? null
          : interpolate(s.key(), String.valueOf(raw), unset);
      if (value == null) {
        values.put(s.key(), s.defaultValue());
        base.put(s.key(), home());
      } else {
        values.put(s.key(), s.parse(value));
        base.put(s.key(), dir);
      }
    }
    Map<String, String> client = new HashMap<>();
    for (String key : List.copyOf(flat.keySet())) {
      if (key.startsWith(KAFKA_CLIENT)) {
        Object raw = flat.remove(key);
        String value = overridden.contains(key) ? null : interpolate(key, String.valueOf(raw), unset);
        if (value != null) {
          client.put(key.substring(KAFKA_CLIENT.length()), value);
        }
      }
    }
    if (!flat.isEmpty()) {
      String key = flat.keySet().iterator().next();
      throw new ConfigException(key + ": unknown setting" + suggestion(key)
          + " (edge-agent validate-config --list shows every key)");
    }
    unset.throwIfAny(file);
    return new AgentConfig(values, base, resolveInputs(cameras, dir), client);
  }

  private List<CameraConfig> resolveInputs(List<CameraConfig> cams, Path dir) {
    List<CameraConfig> out = new ArrayList<>();
    for (CameraConfig c : cams) {
      String in = c.input();
      boolean local = !in.contains("://") && !in.startsWith("/dev/") && !Path.of(in).isAbsolute();
      out.add(new CameraConfig(c.id(), local ? dir.resolve(in).normalize().toString() : in, c.sequence()));
    }
    return out;
  }

  private void flatten(String prefix, JsonNode node, Map<String, Object> out) {
    if (node.isObject() && !prefix.equals("cameras")) {
      Iterator<Map.Entry<String, JsonNode>> it = node.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
      }
    } else if (prefix.equals("cameras")) {
      out.put(prefix, node);
    } else if (node.isArray()) {
      out.put(prefix, node.toString());
    } else if (!node.isNull()) {
      out.put(prefix, node.asText());
    }
  }

  private List<CameraConfig> cameras(Object node, Unset unset) throws ConfigException {
    List<CameraConfig> out = new ArrayList<>();
    if (node == null) {
      return out;
    }
    JsonNode arr = (JsonNode) node;
    if (!arr.isArray()) {
      throw new ConfigException("cameras: expected a list of {id, input}");
    }
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < arr.size(); i++) {
      JsonNode c = arr.get(i);
      String where = "cameras[" + i + "]";
      if (!c.isObject()) {
        throw new ConfigException(where + ": expected a mapping with id and input");
      }
      Iterator<String> names = c.fieldNames();
      while (names.hasNext()) {
        String n = names.next();
        if (!n.equals("id") && !n.equals("input") && !n.equals("sequence")) {
          throw new ConfigException(where + "." + n + ": unknown setting (a camera has id, input and sequence)");
        }
      }
      String id = c.hasNonNull("id") ? interpolate(where + ".id", c.get("id").asText(), unset) : "";
      String input = c.hasNonNull("input") ? interpolate(where + ".input", c.get("input").asText(), unset) : "";
      String seq = c.hasNonNull("sequence")
          ? interpolate(where + ".sequence", c.get("sequence").asText(), unset) : "false";
      if (id == null || input == null || seq == null) {
        continue; // reported with the other unset variables
      }
      if (!CAMERA_ID.matcher(id).matches()) {
        throw new ConfigException(where + ".id: '" + id + "' must be 1-64 of A-Z a-z 0-9 _ . -");
      }
      if (!ids.add(id)) {
        throw new ConfigException(where + ".id: '" + id + "' is used by two cameras");
      }
      if (input.isBlank()) {
        throw new ConfigException(where + ".input: missing (a file, folder, /dev/videoN or rtsp:// URL)");
      }
      boolean sequence = (Boolean) Setting.bool(where + ".sequence", false, "").parse(seq);
      out.add(new CameraConfig(id, input, sequence));
    }
    return out;
  }

  /** The value with its variables substituted, or null when one is unset (recorded in {@code unset}). */
  private String interpolate(String key, String value, Unset unset) {
    Matcher m = VAR.matcher(value);
    StringBuilder sb = new StringBuilder();
    boolean complete = true;
    while (m.find()) {
      String v = env.apply(m.group(1));
      if (v == null) {
        if (m.group(2) == null) {
          unset.add(m.group(1), key);
          complete = false;
          continue;
        }
        v = m.group(3);
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(v));
    }
    m.appendTail(sb);
    return complete ? sb.toString() : null;
  }

  /** Unset environment variables without a default, each with the keys that use it, in file order. */
  private static final class Unset {
    private final Map<String, List<String>> keysByVar = new java.util.LinkedHashMap<>();

    void add(String var, String key) {
      List<String> keys = keysByVar.computeIfAbsent(var, v -> new ArrayList<>());
      if (!keys.contains(key)) {
        keys.add(key);
      }
    }

    void throwIfAny(Path file) throws ConfigException {
      if (keysByVar.isEmpty()) {
        return;
      }
      List<String> parts = new ArrayList<>();
      List<String> exports = new ArrayList<>();
      List<String> sets = new ArrayList<>();
      for (Map.Entry<String, List<String>> e : keysByVar.entrySet()) {
        parts.add(e.getKey() + " (" + String.join(", ", e.getValue()) + ")");
        exports.add(e.getKey() + "=...");
        e.getValue().stream().filter(k -> !k.startsWith("cameras[")).forEach(k -> sets.add("--set " + k + "=..."));
      }
      String one = keysByVar.size() == 1 ? "environment variable " : keysByVar.size() + " environment variables ";
      throw new ConfigException("config file " + file + ": " + one
          + (keysByVar.size() == 1 ? "is" : "are") + " not set: " + String.join(", ", parts)
          + ". Set " + (keysByVar.size() == 1 ? "it" : "them") + " (export " + String.join(" ", exports) + ")"
          + (sets.isEmpty() ? "" : ", or give the keys on the command line (" + String.join(" ", sets) + ")")
          + ", or write ${VAR:-default} in the file");
    }
  }

  private static String suggestion(String key) {
    String best = null;
    int bestDist = 4;
    for (String k : Settings.BY_KEY.keySet()) {
      int d = EditDistance.between(k, key);
      if (d < bestDist) {
        best = k;
        bestDist = d;
      }
    }
    return best == null ? "" : "; did you mean " + best + "?";
  }
}
