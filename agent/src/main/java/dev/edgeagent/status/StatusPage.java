package dev.edgeagent.status;

import dev.edgeagent.events.EventAddresses;
import dev.edgeagent.events.FrameEvents;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The live status page at {@code /}: an HTML page and its script and style, served from the
 * jar, and one Server-Sent Events stream ({@code /status/stream}) that carries, to every open
 * page, a {@code status} event each second (the agent's facts merged with each camera's rates)
 * and a {@code preview} event whenever a camera's throttled preview JPEG arrives on the event
 * bus. {@code /status/snapshot} answers the same facts once, as JSON.
 *
 * <p>Nothing here blocks the event loop: the facts are gathered on a worker, previews are
 * already-encoded JPEGs of anonymized output (see {@link FrameEvents}), and a page that reads
 * too slowly skips previews instead of queueing them. Previews are encoded only while at least
 * one page is open.
 */
public final class StatusPage {
  static final long STATUS_EVERY_MS = 1_000;
  private static final String WEB = "/dev/edgeagent/status/web/";
  /** No inline code, nothing from another origin; previews arrive as data: URIs. */
  static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
      + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private final Vertx vertx;
  private final StatusAccess access;
  private final FrameEvents events;
  private final Supplier<JsonObject> agentFacts;
  private final RecentErrors errors;
  private final FrameTally tally = new FrameTally(System::currentTimeMillis);
  private final Map<String, Buffer> assets = new LinkedHashMap<>();
  private final Set<HttpServerResponse> pages = ConcurrentHashMap.newKeySet();
  private final Map<String, MessageConsumer<Buffer>> previewConsumers = new ConcurrentHashMap<>();
  /** The latest preview event of each camera, so a page that opens shows a picture at once. */
  private final Map<String, String> latestPreview = new ConcurrentHashMap<>();
  private volatile String latestStatus;
  private AutoCloseable watching;
  private long timer = -1;

  /**
   * @param agentFacts the running agent's facts (may take the spool's lock: called on a worker)
   */
  public StatusPage(Vertx vertx, StatusAccess access, FrameEvents events, Supplier<JsonObject> agentFacts,
      RecentErrors errors) {
    this.vertx = vertx;
    this.access = access;
    this.events = events;
    this.agentFacts = agentFacts;
    this.errors = errors;
    for (String name : new String[] {"index.html", "status.js", "status.css"}) {
      assets.put(name, load(name));
    }
  }

  /** Adds the page's routes to the HTTP server's router; call from the server's verticle. */
  public void mount(Router router) {
    router.route("/").handler(access::guard);
    router.route("/status/*").handler(access::guard);
    router.get("/").handler(ctx -> asset(ctx, "index.html", "text/html; charset=utf-8"));
    router.get("/status/status.js").handler(ctx -> asset(ctx, "status.js", "text/javascript; charset=utf-8"));
    router.get("/status/status.css").handler(ctx -> asset(ctx, "status.css", "text/css; charset=utf-8"));
    router.get("/status/snapshot").handler(ctx -> facts().onSuccess(j -> ctx.response()
        .putHeader("content-type", "application/json").putHeader("cache-control", "no-store").end(j.encode()))
        .onFailure(ctx::fail));
    router.get("/status/stream").handler(this::stream);
    vertx.eventBus().<JsonObject>consumer(EventAddresses.FRAMES, m -> {
      tally.add(m.body());
      watchPreviews(m.body().getString("camera"));
    });
    timer = vertx.setPeriodic(STATUS_EVERY_MS, id -> {
      if (!pages.isEmpty()) {
        facts().onSuccess(j -> broadcast("status", j.encode(), true));
      }
    });
  }

  /** The agent's facts with each camera's rates and the recent errors, gathered on a worker. */
  private io.vertx.core.Future<JsonObject> facts() {
    return vertx.executeBlocking(() -> {
      JsonObject facts = agentFacts.get();
      JsonObject rates = tally.snapshot();
      JsonObject cameras = facts.getJsonObject("cameras", new JsonObject());
      rates.forEach(e -> {
        JsonObject cam = cameras.getJsonObject(e.getKey());
        if (cam == null) {
          cam = new JsonObject();
          cameras.put(e.getKey(), cam);
        }
        cam.mergeIn((JsonObject) e.getValue());
      });
      facts.put("cameras", cameras).put("errors", errors.snapshot()).put("at_ms", System.currentTimeMillis())
          .put("preview_fps", events.previewFps());
      return facts;
    }, false);
  }

  private void stream(RoutingContext ctx) {
    HttpServerResponse res = ctx.response().setChunked(true).putHeader("content-type", "text/event-stream")
        .putHeader("cache-control", "no-store").putHeader("x-accel-buffering", "no");
    res.write(": edge-agent status stream\nretry: 2000\n\n");
    if (latestStatus != null) {
      res.write(latestStatus);
    }
    latestPreview.values().forEach(res::write);
    pages.add(res);
    if (pages.size() == 1) {
      watching = events.watchPreview();
    }
    res.closeHandler(v -> closed(res));
    res.exceptionHandler(e -> closed(res));
  }

  private void closed(HttpServerResponse res) {
    if (pages.remove(res) && pages.isEmpty() && watching != null) {
      try {
        watching.close();
      } catch (Exception e) {
        // the handle only decrements a counter
      }
      watching = null;
    }
  }

  /** Starts listening for a camera's previews the first time one of its frames is seen. */
  private void watchPreviews(String camera) {
    if (camera == null || previewConsumers.containsKey(camera)) {
      return;
    }
    previewConsumers.put(camera, vertx.eventBus().<Buffer>consumer(EventAddresses.preview(camera), m -> {
      JsonObject preview = new JsonObject().put("camera", camera).put("seq", Long.parseLong(m.headers().get("seq")))
          .put("jpeg", Base64.getEncoder().encodeToString(m.body().getBytes()));
      String event = sse("preview", preview.encode());
      latestPreview.put(camera, event);
      broadcast(event, false);
    }));
  }

  private void broadcast(String name, String data, boolean status) {
    String event = sse(name, data);
    if (status) {
      latestStatus = event;
    }
    broadcast(event, status);
  }

  /**
   * To every open page. A page whose connection is backed up misses previews; one still backed
   * up when status is due is closed (its browser reconnects), so no page can make the agent
   * queue without bound.
   */
  private void broadcast(String event, boolean isStatus) {
    for (HttpServerResponse res : pages) {
      if (!res.writeQueueFull()) {
        res.write(event);
      } else if (isStatus) {
        closed(res);
        res.reset();
      }
    }
  }

  private static String sse(String name, String data) {
    return "event: " + name + "\ndata: " + data + "\n\n";
  }

  private void asset(RoutingContext ctx, String name, String type) {
    ctx.response().putHeader("content-type", type).putHeader("cache-control", "no-cache")
        .putHeader("content-security-policy", CSP).putHeader("x-content-type-options", "nosniff")
        .putHeader("referrer-policy", "no-referrer").end(assets.get(name));
  }

  /** Stops the status timer and the bus consumers (the HTTP server closes the streams). */
  public void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    previewConsumers.values().forEach(MessageConsumer::unregister);
    errors.detach();
  }

  private static Buffer load(String name) {
    try (InputStream in = StatusPage.class.getResourceAsStream(WEB + name)) {
      if (in == null) {
        throw new IllegalStateException("status page asset missing from the jar: " + WEB + name);
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
