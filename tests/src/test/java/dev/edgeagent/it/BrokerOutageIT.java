package dev.edgeagent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.edgeagent.detect.Detection;
import dev.edgeagent.detect.Detector;
import dev.edgeagent.detect.ModelInfo;
import dev.edgeagent.pipeline.CameraPipeline;
import dev.edgeagent.protocol.FrameRecordCodec;
import dev.edgeagent.protocol.RecordId;
import dev.edgeagent.protocol.v1.FrameRecord;
import dev.edgeagent.publish.KafkaSink;
import dev.edgeagent.publish.KafkaSinkConfig;
import dev.edgeagent.publish.KafkaTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.opencv.core.Mat;

/**
 * The broker crashes (SIGKILL) while a camera publishes and comes back on the same ports: the
 * idempotent producer's retries within delivery.timeout.ms deliver every frame exactly once and
 * in order, and the sink reports "degraded" while the broker is gone.
 */
class BrokerOutageIT {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @Test
  void aBrokerCrashMidStreamLosesAndDuplicatesNothing() throws Exception {
    int frames = 30;
    KafkaSinkConfig base = KafkaSinkConfig.defaults(KAFKA.bootstrapServers(), "frames-outage", "van-it");
    // long enough to ride out a restart (about 15 s here), short stall time so degraded shows fast
    KafkaSinkConfig cfg = new KafkaSinkConfig(base.bootstrapServers(), base.topic(), base.vehicleId(), "none",
        base.maxRequestSizeBytes(), 90_000, 2_000, 5, 85, 40, 1, Map.of());
    KafkaTopics.ensure(cfg);

    try (PipelineHarness h = new PipelineHarness(frames, false, List.of(new SlowDetector(150)))) {
      KafkaSink sink = new KafkaSink(cfg, h.metrics);
      CameraPipeline pipeline = h.camera("front", sink);
      CompletableFuture<CameraPipeline.Result> run = CompletableFuture.supplyAsync(() -> {
        try {
          return pipeline.run();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      await().atMost(Duration.ofSeconds(30)).until(() -> sink.stats().ackedCount() >= 5);
      KAFKA.broker().kill();
      await().atMost(Duration.ofSeconds(20)).until(() -> sink.stats().degraded());
      long ackedDuringOutage = sink.stats().ackedCount();
      KAFKA.broker().restart();

      CameraPipeline.Result r = run.get(120, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(r.captured()).isEqualTo(frames);
      assertThat(r.sinkFailure()).as("close saw every record acknowledged").isNull();
      assertThat(sink.stats().ackedCount()).isEqualTo(frames).isGreaterThan(ackedDuringOutage);
      assertThat(sink.stats().errorCount()).isZero();
      assertThat(sink.stats().degraded()).isFalse();
    }

    List<ConsumerRecord<String, byte[]>> recs = TopicReader.readAll(KAFKA.bootstrapServers(), "frames-outage");
    List<Long> seqs = new ArrayList<>();
    var ids = new HashSet<RecordId>();
    for (ConsumerRecord<String, byte[]> rec : recs) {
      FrameRecord fr = FrameRecordCodec.decode(rec.value());
      seqs.add(fr.getSequence());
      ids.add(RecordId.of(fr));
    }
    assertThat(ids).as("no duplicates despite retries across the crash").hasSize(recs.size());
    assertThat(seqs).containsExactlyElementsOf(LongStream.range(0, frames).boxed().toList());
  }

  /** Finds nothing, slowly: paces the camera so the crash lands mid-stream. */
  record SlowDetector(long millis) implements Detector {
    @Override
    public ModelInfo model() {
      return new ModelInfo("slow-test-detector", "0".repeat(64));
    }

    @Override
    public List<Detection> detect(Mat bgr) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return List.of();
    }
  }
}
