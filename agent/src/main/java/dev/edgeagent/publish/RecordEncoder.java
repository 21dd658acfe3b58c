package dev.edgeagent.publish;

import dev.edgeagent.detect.DropReason;
import dev.edgeagent.encode.EncodedFrame;
import dev.edgeagent.encode.JpegEncoder;
import dev.edgeagent.health.AgentMetrics;
import dev.edgeagent.protocol.FrameRecordCodec;
import dev.edgeagent.protocol.RecordId;
import dev.edgeagent.redact.AnonymizedFrame;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an anonymized frame into the bytes of its Kafka record value, at the highest JPEG
 * quality whose record fits the producer's max.request.size: quality steps down by 10 to the
 * configured minimum, then the frame is refused and counted; it is never sent to fail at the
 * broker. Thread-safe.
 */
public final class RecordEncoder {
  private static final Logger LOG = LoggerFactory.getLogger(RecordEncoder.class);
  /** Room for the batch and record headers around key, value and record-id header. */
  static final int RECORD_OVERHEAD_BYTES = 256;
  private static final int QUALITY_STEP = 10;

  private final KafkaSinkConfig cfg;
  private final JpegEncoder encoder;
  private final RecordMapper mapper;
  private final PublishStats stats;
  private final AgentMetrics metrics;
  /** Per camera, the first sequence this process encoded: where its numbering (re)started. */
  private final java.util.concurrent.ConcurrentHashMap<String, Long> runStart = new java.util.concurrent.ConcurrentHashMap<>();

  RecordEncoder(KafkaSinkConfig cfg, PublishStats stats, AgentMetrics metrics) {
    this.cfg = cfg;
    this.encoder = new JpegEncoder(cfg.jpegQuality());
    this.mapper = new RecordMapper(cfg.vehicleId());
    this.stats = stats;
    this.metrics = metrics;
  }

  RecordId idOf(AnonymizedFrame frame) {
    return new RecordId(cfg.vehicleId(), frame.meta().cameraId(), frame.meta().sequence());
  }

  /** The record value at the best quality that fits, or null when refused (counted). */
  byte[] encode(AnonymizedFrame frame, RecordId id) {
    String camera = frame.meta().cameraId();
    int budget = cfg.maxRequestSizeBytes() - RECORD_OVERHEAD_BYTES
        - id.toHeaderValue().getBytes(StandardCharsets.UTF_8).length - RecordId.HEADER.length()
        - camera.getBytes(StandardCharsets.UTF_8).length;
    int q = cfg.jpegQuality();
    long start = runStart.computeIfAbsent(camera, k -> frame.meta().sequence());
    while (true) {
      EncodedFrame e = encoder.encode(frame, q);
      byte[] value = FrameRecordCodec.encode(mapper.map(e, start));
      if (value.length <= budget) {
        if (q != cfg.jpegQuality()) {
          stats.reencoded();
          if (metrics != null) {
            metrics.publishReencoded(camera);
          }
        }
        return value;
      }
      if (q == cfg.minJpegQuality()) {
        stats.oversizeRefused();
        if (metrics != null) {
          metrics.frameDropped(camera, DropReason.RECORD_TOO_LARGE);
        }
        LOG.warn("event=frame_refused camera={} seq={} reason=record_too_large bytes={} limit={} quality={}",
            camera, frame.meta().sequence(), value.length, budget, q);
        return null;
      }
      q = Math.max(cfg.minJpegQuality(), q - QUALITY_STEP);
    }
  }
}
