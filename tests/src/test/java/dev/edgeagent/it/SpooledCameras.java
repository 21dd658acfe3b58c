package dev.edgeagent.it;

import dev.edgeagent.capture.FrameSource;
import dev.edgeagent.capture.SequencedSource;
import dev.edgeagent.capture.Sources;
import dev.edgeagent.config.AgentConfig;
import dev.edgeagent.config.ConfigLoader;
import dev.edgeagent.pipeline.CameraPipeline;
import dev.edgeagent.protocol.FrameRecordCodec;
import dev.edgeagent.protocol.v1.FrameRecord;
import dev.edgeagent.publish.KafkaPublishing;
import dev.edgeagent.track.TrackOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The spooled publishing path that {@code run} builds, assembled for fault tests. */
final class SpooledCameras {
  private SpooledCameras() {}

  /** An agent config for a real broker and a spool folder, with short Kafka timeouts. */
  static AgentConfig config(String bootstrap, String topic, Path spoolDir, Map<String, Object> extra) throws Exception {
    Map<String, Object> o = new HashMap<>();
    o.put("kafka.bootstrap", bootstrap);
    o.put("kafka.topic", topic);
    o.put("kafka.request_timeout_ms", 2_000);
    o.put("kafka.delivery_timeout_ms", 10_000);
    o.put("spool.dir", spoolDir.toString());
    o.put("spool.min_free_bytes", 0);
    o.put("agent.vehicle_id", "van-it");
    o.put("models.dir", PipelineHarness.home().resolve(".cache/models").toString());
    o.putAll(extra);
    return ConfigLoader.defaults().with(o, null);
  }

  /** Runs {@code frames} of the test video through the real pipeline into the spooled sink. */
  static CompletableFuture<CameraPipeline.Result> run(PipelineHarness h, KafkaPublishing k, String camera,
      long frames) throws Exception {
    FrameSource src = new SequencedSource(Sources.open(camera, PipelineHarness.video().toString(), 2),
        k.sequences().first(camera), k.sequences()::use);
    CameraPipeline p = new CameraPipeline(src, h.components, k.sink(), TrackOptions.holdOnly(0), 4, frames, null);
    return CompletableFuture.supplyAsync(() -> {
      try {
        return p.run();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  /** The camera's sequence numbers in the order the topic holds them, repeats removed. */
  static List<Long> firstOccurrenceSequences(List<ConsumerRecord<String, byte[]>> recs, String camera)
      throws Exception {
    Set<Long> seen = new LinkedHashSet<>();
    for (ConsumerRecord<String, byte[]> r : recs) {
      FrameRecord f = FrameRecordCodec.decode(r.value());
      if (f.getCameraId().equals(camera)) {
        seen.add(f.getSequence());
      }
    }
    return new ArrayList<>(seen);
  }
}
