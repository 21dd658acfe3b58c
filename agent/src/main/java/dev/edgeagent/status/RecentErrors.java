package dev.edgeagent.status;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.LoggerFactory;

/**
 * The last warnings and errors the agent logged, for the status page: a bounded ring the root
 * logger feeds. Only the formatted message is kept (the agent's log lines are key=value fields
 * with no pixels in them), cut to {@link #MAX_CHARS}; stack traces are left to the log itself.
 */
public final class RecentErrors extends AppenderBase<ILoggingEvent> {
  static final int KEPT = 20;
  static final int MAX_CHARS = 300;

  private final Deque<JsonObject> recent = new ArrayDeque<>();

  /**
   * Attaches a new ring to the root logger (when Logback is the SLF4J binding; otherwise the
   * ring stays empty). {@link #detach} removes it.
   */
  public static RecentErrors attach() {
    RecentErrors r = new RecentErrors();
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
      r.setContext(ctx);
      r.setName("status-recent-errors");
      r.start();
      ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(r);
    }
    return r;
  }

  public void detach() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
      Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
      root.detachAppender(this);
    }
    stop();
  }

  @Override
  protected void append(ILoggingEvent e) {
    if (!e.getLevel().isGreaterOrEqual(Level.WARN)) {
      return;
    }
    String msg = e.getFormattedMessage();
    if (msg.length() > MAX_CHARS) {
      msg = msg.substring(0, MAX_CHARS) + "…";
    }
    JsonObject line = new JsonObject().put("at", Instant.ofEpochMilli(e.getTimeStamp()).toString())
        .put("level", e.getLevel().toString()).put("logger", shortName(e.getLoggerName())).put("message", msg);
    synchronized (recent) {
      recent.addLast(line);
      if (recent.size() > KEPT) {
        recent.removeFirst();
      }
    }
  }

  /** Newest first. */
  public JsonArray snapshot() {
    JsonArray out = new JsonArray();
    synchronized (recent) {
      recent.descendingIterator().forEachRemaining(out::add);
    }
    return out;
  }

  private static String shortName(String logger) {
    int dot = logger.lastIndexOf('.');
    return dot < 0 ? logger : logger.substring(dot + 1);
  }
}
