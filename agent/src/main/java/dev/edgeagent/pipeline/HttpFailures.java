package dev.edgeagent.pipeline;

import dev.edgeagent.config.AgentConfig;
import dev.edgeagent.config.ConfigException;

/**
 * The HTTP server could not listen: when the operator's settings are at fault (a port taken, a
 * host that does not resolve), say which one, so the exit is 78 with what to change.
 */
final class HttpFailures {
  private HttpFailures() {}

  /** The settings problem behind {@code failure}, or null when it is something else. */
  static ConfigException asConfigProblem(AgentConfig cfg, Throwable failure) {
    if (!cfg.bool("http.enabled")) {
      return null;
    }
    String where = cfg.string("http.host") + ":" + cfg.integer("http.port");
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof java.net.BindException) {
        return new ConfigException("http.port: cannot serve health endpoints on " + where + ": " + t.getMessage()
            + " (another process holds the port, or the address is not this machine's); choose another http.port"
            + " or http.host, or stop what holds it");
      }
      if (t instanceof java.net.UnknownHostException || String.valueOf(t.getMessage()).contains("NXDOMAIN")
          || t instanceof java.nio.channels.UnresolvedAddressException) {
        return dev.edgeagent.status.StatusAccess.unresolvable(cfg.string("http.host"));
      }
    }
    return null;
  }
}
