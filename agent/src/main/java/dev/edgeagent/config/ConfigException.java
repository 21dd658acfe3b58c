package dev.edgeagent.config;

/** A configuration problem; the message names the key and says what to fix (exit 78). */
public class ConfigException extends Exception {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
