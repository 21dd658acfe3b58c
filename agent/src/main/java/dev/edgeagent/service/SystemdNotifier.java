package dev.edgeagent.service;

import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * systemd's notify protocol ({@code sd_notify(3)}): newline-separated {@code KEY=value} state
 * sent to {@code $NOTIFY_SOCKET}. {@link #fromEnvironment} gives a notifier that does nothing
 * when the variable is unset (not under systemd, or {@code Type=simple}). A failed send is
 * logged once and never thrown: the agent's work must not depend on its supervisor.
 */
public class SystemdNotifier {
  private static final Logger LOG = LoggerFactory.getLogger(SystemdNotifier.class);

  private final String socket;
  private volatile boolean warned;

  /** @param socket the {@code $NOTIFY_SOCKET} address (a path, or {@code @name}), or null for none */
  public SystemdNotifier(String socket) {
    this.socket = socket == null || socket.isBlank() ? null : socket;
  }

  public static SystemdNotifier fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  static SystemdNotifier fromEnvironment(Map<String, String> env) {
    return new SystemdNotifier(env.get("NOTIFY_SOCKET"));
  }

  public boolean enabled() {
    return socket != null;
  }

  public void ready(String status) {
    send("READY=1\nSTATUS=" + status);
  }

  public void watchdog(String status) {
    send("WATCHDOG=1\nSTATUS=" + status);
  }

  public void status(String status) {
    send("STATUS=" + status);
  }

  public void stopping() {
    send("STOPPING=1\nSTATUS=stopping: finishing frames in flight");
  }

  /** Sends {@code state} as is; a no-op without a socket. */
  public void send(String state) {
    if (socket == null) {
      return;
    }
    try {
      UnixDatagram.send(socket, state);
    } catch (IOException | RuntimeException | LinkageError e) {
      if (!warned) {
        warned = true;
        LOG.warn("event=sd_notify_failed socket={} reason=\"{}\"", socket, e.getMessage());
      }
    }
  }
}
