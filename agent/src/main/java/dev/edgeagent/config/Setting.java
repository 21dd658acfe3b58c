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

  /** Value types a setting can have. BYTES: a whole number of bytes, also written with KiB, MiB, GiB or TiB. */
  public enum Type { STRING, INT, DOUBLE, BOOL, ENUM, PATH, BYTES }

  private static final java.util.regex.Pattern BYTE_SIZE =
      java.util.regex.Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB|TiB)?", java.util.regex.Pattern.CASE_INSENSITIVE);
  private static final String[] BYTE_UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};

  static Setting string(String key, String def, String doc) {
    return new Setting(key, Type.STRING, def, 0, 0, List.of(), "", doc);
  }

  static Setting path(String key, String def, String doc) {
    return new Setting(key, Type.PATH, def, 0, 0, List.of(), "", doc);
  }

  static Setting integer(String key, long def, long min, long max, String unit, String doc) {
    return new Setting(key, Type.INT, def, min, max, List.of(), unit, doc);
  }

  static Setting bytes(String key, long def, long min, long max, String doc) {
    return new Setting(key, Type.BYTES, def, min, max, List.of(), "", doc);
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
          // an optional setting (default "": unset, e.g. kafka.tls.cert_file) may be set empty again
          if (s.isEmpty() && !"".equals(defaultValue())) {
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
        case BYTES -> checkRange(parseBytes(s));
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
      throw new ConfigException(key + ": expected a " + switch (type) {
        case INT -> "whole number";
        case BYTES -> "byte size (whole bytes, or with KiB, MiB, GiB, TiB)";
        default -> "number";
      } + rangeText() + ", got '" + s + "'");
    }
  }

  private Number checkRange(Number n) throws ConfigException {
    double v = n.doubleValue();
    if (!Double.isFinite(v) || v < min || v > max) {
      throw new ConfigException(key + ": " + s(n) + " is out of range" + rangeText());
    }
    return n;
  }

  private static long parseBytes(String s) {
    java.util.regex.Matcher m = BYTE_SIZE.matcher(s);
    if (!m.matches()) {
      throw new NumberFormatException(s);
    }
    int shift = 0;
    for (int i = 0; m.group(2) != null && i < BYTE_UNITS.length; i++) {
      if (BYTE_UNITS[i].equalsIgnoreCase(m.group(2))) {
        shift = 10 * i;
      }
    }
    long n = Long.parseLong(m.group(1));
    if (n > (Long.MAX_VALUE >> shift)) {
      throw new NumberFormatException(s);
    }
    return n << shift;
  }

  /** A byte count in the largest binary unit that divides it, e.g. 1 GiB, 256 MiB, 1000 B. */
  static String bytesText(long n) {
    int i = 0;
    while (i < BYTE_UNITS.length - 1 && n != 0 && n % 1024 == 0) {
      n /= 1024;
      i++;
    }
    return n + " " + BYTE_UNITS[i];
  }

  /** Ranges as whole numbers for INT and BYTES; a bound at Long.MAX_VALUE is no bound ({@code [0..]}). */
  private String rangeText() {
    boolean whole = type == Type.INT || type == Type.BYTES;
    String hi = whole && max >= Long.MAX_VALUE ? "" : type == Type.BYTES ? bytesText((long) max) : s(max);
    String lo = type == Type.BYTES ? bytesText((long) min) : s(min);
    return " [" + lo + ".." + hi + "]" + (unit.isEmpty() ? "" : " " + unit);
  }

  private static String s(Number n) {
    double d = n.doubleValue();
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
  }

  /** One line of {@code validate-config --list}: key (type [range], default): meaning. */
  public String describe() {
    String range = switch (type) {
      case INT, DOUBLE, BYTES -> rangeText();
      case ENUM -> " " + choices;
      default -> "";
    };
    String typeName = switch (type) {
      case INT -> max > Integer.MAX_VALUE ? "long" : "int";
      case BYTES -> "byte size";
      default -> type.name().toLowerCase(Locale.ROOT);
    };
    String def = type == Type.BYTES ? bytesText(((Number) defaultValue).longValue()) : String.valueOf(defaultValue);
    return key + " (" + typeName + range + ", default " + def + "): " + doc;
  }
}
