package dev.edgeagent.config;

import java.util.List;
import java.util.Locale;

/**
 * One setting: its dotted key, type, default, allowed range or values, unit and description.
 * The single source of truth for validation, documentation ({@code edge-agent
 * validate-config --list}) and defaults.
 */
public record Setting(String key, Type type, Object defaultValue, double min, double max,
    List<String> choices, String unit, String doc) {

  /** Value types a setting can have. */
  public enum Type { STRING, INT, DOUBLE, BOOL, ENUM, PATH }

  static Setting string(String key, String def, String doc) {
    return new Setting(key, Type.STRING, def, 0, 0, List.of(), "", doc);
  }

  static Setting path(String key, String def, String doc) {
    return new Setting(key, Type.PATH, def, 0, 0, List.of(), "", doc);
  }

  static Setting integer(String key, long def, long min, long max, String unit, String doc) {
    return new Setting(key, Type.INT, def, min, max, List.of(), unit, doc);
  }

  static Setting decimal(String key, double def, double min, double max, String unit, String doc) {
    return new Setting(key, Type.DOUBLE, def, min, max, List.of(), unit, doc);
  }

  static Setting bool(String key, boolean def, String doc) {
    return new Setting(key, Type.BOOL, def, 0, 0, List.of(), "", doc);
  }

  static Setting choice(String key, String def, List<String> choices, String doc) {
    return new Setting(key, Type.ENUM, def, 0, 0, choices, "", doc);
  }

  /** Converts and checks a YAML value; the exception names this key. */
  Object parse(Object raw) throws ConfigException {
    String s = String.valueOf(raw).trim();
    try {
      return switch (type) {
        case STRING, PATH -> {
          if (s.isEmpty()) {
            throw new ConfigException(key + ": must not be empty");
          }
          yield s;
        }
        case BOOL -> {
          if (!s.equalsIgnoreCase("true") && !s.equalsIgnoreCase("false")) {
            throw new ConfigException(key + ": expected true or false, got '" + s + "'");
          }
          yield Boolean.parseBoolean(s);
        }
        case INT -> checkRange(Long.parseLong(s));
        case DOUBLE -> checkRange(Double.parseDouble(s));
        case ENUM -> {
          String v = s.toLowerCase(Locale.ROOT);
          if (!choices.contains(v)) {
            throw new ConfigException(key + ": '" + s + "' is not one of " + choices);
          }
          yield v;
        }
      };
    } catch (NumberFormatException e) {
      throw new ConfigException(key + ": expected a " + (type == Type.INT ? "whole number" : "number")
          + rangeText() + ", got '" + s + "'");
    }
  }

  private Number checkRange(Number n) throws ConfigException {
    double v = n.doubleValue();
    if (!Double.isFinite(v) || v < min || v > max) {
      throw new ConfigException(key + ": " + s(n) + " is out of range" + rangeText());
    }
    return n;
  }

  private String rangeText() {
    return " [" + s(min) + ".." + s(max) + "]" + (unit.isEmpty() ? "" : " " + unit);
  }

  private static String s(Number n) {
    double d = n.doubleValue();
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
  }

  public String describe() {
    String range = switch (type) {
      case INT, DOUBLE -> rangeText();
      case ENUM -> " " + choices;
      default -> "";
    };
    return key + " (" + type.name().toLowerCase(Locale.ROOT) + range + ", default "
        + defaultValue + "): " + doc;
  }
}
