package dev.edgeagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeagent.detect.Detection;
import dev.edgeagent.detect.Detector;
import dev.edgeagent.detect.DetectorException;
import dev.edgeagent.detect.DropReason;
import dev.edgeagent.detect.ModelInfo;
import dev.edgeagent.pipeline.CameraPipeline;
import dev.edgeagent.protocol.FrameRecordCodec;
import dev.edgeagent.protocol.RecordId;
import dev.edgeagent.protocol.v1.FrameRecord;
import dev.edgeagent.protocol.v1.ModelRef;
import dev.edgeagent.publish.KafkaPublishing;
import dev.edgeagent.publish.KafkaSinkConfig;
import dev.edgeagent.publish.KafkaTopics;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.opencv.core.Mat;

/** The real pipeline publishing to a real broker, read back with a plain consumer. */
class KafkaPipelineIT {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private KafkaSinkConfig sinkConfig(String topic, int partitions) throws Exception {
    KafkaSinkConfig base = KafkaSinkConfig.defaults(KAFKA.bootstrapServers(), topic, "van-it");
    KafkaSinkConfig cfg = new KafkaSinkConfig(base.bootstrapServers(), topic, base.vehicleId(), "lz4",
        base.maxRequestSizeBytes(), 30_000, 10_000, 5, 85, 40, partitions, Map.of());
    assertThat(KafkaTopics.ensure(cfg)).as("topic %s created by this test", topic).isTrue();
    assertThat(KafkaTopics.ensure(cfg)).as("second ensure finds it").isFalse();
    return cfg;
  }

  @Test
  void everyFrameOfTheVideoArrivesOnceInOrderAndDecodes() throws Exception {
    int frames = 20;
    KafkaSinkConfig cfg = sinkConfig("frames-a", 1);
    CameraPipeline.Result result;
    try (PipelineHarness h = new PipelineHarness(frames, true, List.of());
         KafkaPublishing k = h.publishing(cfg.bootstrapServers(), cfg.topic(), 1)) {
      result = h.camera("front", k.sink()).run();
      assertThat(k.drain(Duration.ofSeconds(60))).isTrue();
      assertThat(h.metrics.total("edgeagent.publish.acked")).isEqualTo(frames);
      assertThat(k.stats().ackedCount()).isEqualTo(frames);
      assertThat(k.stats().errorCount()).isZero();
    }
    assertThat(result.captured()).isEqualTo(frames);
    assertThat(result.sinkFailure()).isNull();

    List<ConsumerRecord<String, byte[]>> recs = TopicReader.readAll(KAFKA.bootstrapServers(), "frames-a");
    assertThat(recs).hasSize(frames);
    List<FrameRecord> decoded = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> rec : recs) {
      FrameRecord r = FrameRecordCodec.decode(rec.value());
      decoded.add(r);
      assertThat(rec.key()).isEqualTo("front");
      assertThat(new String(rec.headers().lastHeader(RecordId.HEADER).value(), StandardCharsets.UTF_8))
          .isEqualTo(RecordId.of(r).toHeaderValue());
      assertThat(r.getWidth()).isEqualTo(720);
      assertThat(r.getHeight()).isEqualTo(528);
      // the recogniser reads the text lines (detect.plate_text_policy: plates), so the record names it
      assertThat(r.getModelsList()).extracting(ModelRef::getId).contains("yunet-n", "ppocr-v4-det", "ppocr-v4-rec");
      assertThat(r.getModelsList()).allSatisfy(m -> assertThat(m.getSha256()).hasSize(64));
      BufferedImage img = ImageIO.read(new ByteArrayInputStream(r.getImage().toByteArray()));
      assertThat(img.getWidth()).isEqualTo(720);
      assertThat(img.getHeight()).isEqualTo(528);
    }
    assertThat(decoded).extracting(FrameRecord::getSequence)
        .containsExactlyElementsOf(LongStream.range(0, frames).boxed().toList());
    Set<RecordId> ids = decoded.stream().map(RecordId::of).collect(Collectors.toSet());
    assertThat(ids).hasSize(frames);
    // the test video has faces: the summary of what was removed travels with the frames
    assertThat(decoded.stream().mapToInt(r -> r.getRedaction().getRegionsCount()).sum()).isPositive();
  }

  /**
   * The drone profile's crop-anomaly watch: records read back from the broker carry the newest
   * summary, naming an earlier frame of the same camera (ADR 0021). The camera is the committed
   * synthetic-defect set (field crops).
   */
  @Test
  void recordsCarryTheCropAnomalySummaryThroughTheSpoolAndTheBroker() throws Exception {
    int frames = 40;
    KafkaSinkConfig cfg = sinkConfig("frames-anomaly", 1);
    String defects = PipelineHarness.home().resolve("models/anomaly/defects/images").toString();
    try (PipelineHarness h = new PipelineHarness(frames, false, List.of(), Map.of("inspect.enabled", true,
        "inspect.interval_ms", 0, "inspect.max_age_ms", 600_000));
         KafkaPublishing k = h.publishing(cfg.bootstrapServers(), cfg.topic(), 1)) {
      CameraPipeline.Result result = h.camera("gimbal", k.sink(), defects).run();
      assertThat(result.anonymized()).isEqualTo(frames);
      assertThat(k.drain(Duration.ofSeconds(60))).isTrue();
      assertThat(h.metrics.total("edgeagent.inspect.scored")).isPositive();
    }
    List<FrameRecord> decoded = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> rec : TopicReader.readAll(KAFKA.bootstrapServers(), "frames-anomaly")) {
      decoded.add(FrameRecordCodec.decode(rec.value()));
    }
    assertThat(decoded).hasSize(frames);
    List<FrameRecord> withSummary = decoded.stream().filter(FrameRecord::hasAnomaly).toList();
    assertThat(withSummary).as("records after the first scored frame").isNotEmpty();
    assertThat(withSummary).allSatisfy(r -> {
      assertThat(r.getAnomaly().getAnalysedSequence()).isLessThan(r.getSequence());
      assertThat(r.getAnomaly().getModelId()).isEqualTo("crop-flow");
      assertThat(r.getAnomaly().getSha256()).hasSize(64);
      assertThat(r.getAnomaly().getThreshold()).isPositive();
    });
    // a defect crop is unusual somewhere: some summary flags a region, boxed inside the frame
    assertThat(withSummary).anySatisfy(r -> assertThat(r.getAnomaly().getRegionsList()).isNotEmpty()
        .allSatisfy(g -> assertThat(g.getBox().getX() + g.getBox().getW()).isLessThanOrEqualTo(r.getWidth())));
  }

  @Test
  void framesADetectorFailsOnNeverReachTheBrokerAndTheDropsSayWhy() throws Exception {
    Set<Integer> failOn = Set.of(3, 7, 8);
    FailingDetector failing = new FailingDetector(failOn);
    KafkaSinkConfig cfg = sinkConfig("frames-b", 1);
    try (PipelineHarness h = new PipelineHarness(20, false, List.of(failing));
         KafkaPublishing k = h.publishing(cfg.bootstrapServers(), cfg.topic(), 1)) {
      CameraPipeline.Result r = h.camera("front", k.sink()).run();
      assertThat(k.drain(Duration.ofSeconds(60))).isTrue();
      assertThat(r.captured()).isEqualTo(20);
      assertThat(r.dropped()).isEqualTo(3);
      assertThat(h.metrics.total("dropped." + DropReason.DETECTOR_ERROR.label())).isEqualTo(3);
    }
    assertThat(failing.calls.get()).isEqualTo(20);

    List<Long> seqs = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> rec : TopicReader.readAll(KAFKA.bootstrapServers(), "frames-b")) {
      seqs.add(FrameRecordCodec.decode(rec.value()).getSequence());
    }
    assertThat(seqs).hasSize(17).doesNotContain(3L, 7L, 8L).isSorted();
  }

  @Test
  void twoCamerasAtOnceEachKeepTheirOwnOrder() throws Exception {
    int frames = 12;
    KafkaSinkConfig cfg = sinkConfig("frames-c", 3);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try (PipelineHarness h = new PipelineHarness(frames, false, List.of());
         KafkaPublishing shared = h.publishing(cfg.bootstrapServers(), cfg.topic(), 3)) {
      List<Future<CameraPipeline.Result>> running = new ArrayList<>();
      for (String cam : List.of("front", "rear")) {
        CameraPipeline p = h.camera(cam, shared.sink());
        running.add(threads.submit(p::run));
      }
      for (Future<CameraPipeline.Result> f : running) {
        assertThat(f.get().captured()).isEqualTo(frames);
        assertThat(f.get().sinkFailure()).isNull();
      }
      assertThat(shared.drain(Duration.ofSeconds(60))).isTrue();
      assertThat(shared.stats().ackedCount()).isEqualTo(2L * frames);
    } finally {
      threads.shutdownNow();
    }

    Map<String, List<Long>> byCamera = new java.util.TreeMap<>();
    Set<Integer> partitionsOfFront = new HashSet<>();
    for (ConsumerRecord<String, byte[]> rec : TopicReader.readAll(KAFKA.bootstrapServers(), "frames-c")) {
      FrameRecord r = FrameRecordCodec.decode(rec.value());
      assertThat(rec.key()).isEqualTo(r.getCameraId());
      byCamera.computeIfAbsent(r.getCameraId(), k -> new ArrayList<>()).add(r.getSequence());
      if (rec.key().equals("front")) {
        partitionsOfFront.add(rec.partition());
      }
    }
    List<Long> expected = LongStream.range(0, frames).boxed().toList();
    assertThat(byCamera).containsOnlyKeys("front", "rear");
    assertThat(byCamera.get("front")).containsExactlyElementsOf(expected);
    assertThat(byCamera.get("rear")).containsExactlyElementsOf(expected);
    assertThat(partitionsOfFront).as("one camera, one partition").hasSize(1);
  }

  /** Throws on chosen calls; with one camera, call n is the frame with sequence n. */
  static final class FailingDetector implements Detector {
    final AtomicInteger calls = new AtomicInteger();
    private final Set<Integer> failOn;

    FailingDetector(Set<Integer> failOn) {
      this.failOn = failOn;
    }

    @Override
    public ModelInfo model() {
      return new ModelInfo("failing-test-detector", "0".repeat(64));
    }

    @Override
    public List<Detection> detect(Mat bgr) throws DetectorException {
      int n = calls.getAndIncrement();
      if (failOn.contains(n)) {
        throw new DetectorException(DropReason.DETECTOR_ERROR, "injected failure on call " + n);
      }
      return List.of();
    }
  }
}
