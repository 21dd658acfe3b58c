package dev.edgeagent.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A validated configuration: every known key has a value (given or default) of the right type
 * and range. Relative paths given in a file resolve against that file's folder; defaults
 * resolve against the installation folder.
 */
public final class AgentConfig {
  private final Map<String, Object> values;
  private final Map<String, Path> pathBase;
  private final List<CameraConfig> cameras;
  private final Map<String, String> kafkaClient;

  AgentConfig(Map<String, Object> values, Map<String, Path> pathBase, List<CameraConfig> cameras,
      Map<String, String> kafkaClient) {
    this.values = Map.copyOf(values);
    this.pathBase = Map.copyOf(pathBase);
    this.cameras = List.copyOf(cameras);
    this.kafkaClient = Map.copyOf(kafkaClient);
  }

  /**
   * Kafka client properties passed through as given under {@code kafka.client.} (TLS, SASL);
   * secrets only as {@code <key>.file: /path}. Checked when the producer is configured.
   */
  public Map<String, String> kafkaClient() {
    return kafkaClient;
  }

  public List<CameraConfig> cameras() {
    return cameras;
  }

  public String string(String key) {
    return (String) get(key);
  }

  public int integer(String key) {
    return Math.toIntExact(((Number) get(key)).longValue());
  }

  public long longValue(String key) {
    return ((Number) get(key)).longValue();
  }

  public double decimal(String key) {
    return ((Number) get(key)).doubleValue();
  }

  public boolean bool(String key) {
    return (Boolean) get(key);
  }

  public Path path(String key) {
    Path p = Path.of(string(key));
    return p.isAbsolute() ? p : pathBase.get(key).resolve(p).normalize();
  }

  /** A copy with some values replaced (command-line overrides), validated like the file. */
  public AgentConfig with(Map<String, Object> overrides, List<CameraConfig> newCameras)
      throws ConfigException {
    Map<String, Object> v = new java.util.HashMap<>(values);
    Map<String, Path> b = new java.util.HashMap<>(pathBase);
    Path cwd = Path.of("").toAbsolutePath();
    Map<String, String> client = new java.util.HashMap<>(kafkaClient);
    for (Map.Entry<String, Object> e : overrides.entrySet()) {
      if (e.getKey().startsWith("kafka.client.")) {
        client.put(e.getKey().substring("kafka.client.".length()), String.valueOf(e.getValue()));
        continue;
      }
      Setting s = Settings.BY_KEY.get(e.getKey());
      if (s == null) {
        throw new ConfigException(e.getKey() + ": unknown setting");
      }
      v.put(e.getKey(), s.parse(e.getValue()));
      b.put(e.getKey(), cwd);
    }
    return new AgentConfig(v, b, newCameras == null ? cameras : newCameras, client);
  }

  /**
   * The settings whose values differ between this config and {@code other}, sorted; relative
   * paths are compared as resolved, and any change below {@code kafka.client.} counts as the one
   * key {@code kafka.client}. Cameras are compared separately ({@link #cameras()}).
   */
  public java.util.SortedSet<String> differences(AgentConfig other) {
    java.util.SortedSet<String> out = new java.util.TreeSet<>();
    java.util.Set<String> keys = new java.util.HashSet<>(values.keySet());
    keys.addAll(other.values.keySet());
    for (String k : keys) {
      if (!java.util.Objects.equals(resolved(k), other.resolved(k))) {
        out.add(k);
      }
    }
    if (!kafkaClient.equals(other.kafkaClient)) {
      out.add("kafka.client");
    }
    return out;
  }

  private Object resolved(String key) {
    Object v = values.get(key);
    Path base = pathBase.get(key);
    if (v instanceof String s && base != null && Settings.BY_KEY.get(key) != null
        && Settings.BY_KEY.get(key).type() == Setting.Type.PATH) {
      Path p = Path.of(s);
      return p.isAbsolute() ? p : base.resolve(p).normalize();
    }
    return v;
  }

  private Object get(String key) {
    Object v = values.get(key);
    if (v == null) {
      throw new IllegalArgumentException("no setting " + key);
    }
    return v;
  }
}
