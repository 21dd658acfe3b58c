package dev.edgeagent.events;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What the event bus says of one finished frame: which camera and sequence, when it was captured,
 * what was removed (class, score and the redacted box, in pixels of the published frame), which
 * models decided it, and how long it took from capture to the sink. No pixels.
 *
 * @param capturedAtMillis wall-clock capture time
 * @param latencyMillis capture to hand-off to the sink (look-ahead included)
 * @param models model ids with the first 12 hex digits of their sha256 ({@code id@abcdef012345})
 */
public record FrameEvent(String camera, long sequence, long capturedAtMillis, int width, int height,
    List<Region> regions, List<String> models, double latencyMillis) {

  /** One removed region. */
  public record Region(String cls, double score, int x, int y, int w, int h) {}

  public FrameEvent {
    regions = List.copyOf(regions);
    models = List.copyOf(models);
  }

  public long count(String cls) {
    return regions.stream().filter(r -> r.cls().equals(cls)).count();
  }

  public JsonObject toJson() {
    JsonArray rs = new JsonArray();
    for (Region r : regions) {
      rs.add(new JsonObject().put("class", r.cls()).put("score", Math.round(r.score() * 1000) / 1000.0)
          .put("x", r.x()).put("y", r.y()).put("w", r.w()).put("h", r.h()));
    }
    return new JsonObject().put("camera", camera).put("seq", sequence).put("captured_at_ms", capturedAtMillis)
        .put("width", width).put("height", height).put("faces", count("face")).put("plates", count("plate"))
        .put("regions", rs).put("models", new JsonArray(models))
        .put("latency_ms", Math.round(latencyMillis * 10) / 10.0);
  }

  public static FrameEvent fromJson(JsonObject j) {
    List<Region> rs = j.getJsonArray("regions").stream().map(JsonObject.class::cast)
        .map(r -> new Region(r.getString("class"), r.getDouble("score"), r.getInteger("x"), r.getInteger("y"),
            r.getInteger("w"), r.getInteger("h")))
        .toList();
    List<String> ms = j.getJsonArray("models").stream().map(String.class::cast).toList();
    return new FrameEvent(j.getString("camera"), j.getLong("seq"), j.getLong("captured_at_ms"),
        j.getInteger("width"), j.getInteger("height"), rs, ms, j.getDouble("latency_ms"));
  }
}
