package dev.edgeagent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.edgeagent.config.AgentConfig;
import dev.edgeagent.detect.Detection;
import dev.edgeagent.detect.Detector;
import dev.edgeagent.detect.ModelInfo;
import dev.edgeagent.pipeline.CameraPipeline;
import dev.edgeagent.protocol.FrameRecordCodec;
import dev.edgeagent.publish.KafkaPublishing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;

/**
 * The spooled publishing path (what {@code run} uses) against a real broker that goes away:
 * frames keep being captured into the spool while the broker is down, and every one arrives
 * after it is back, once after de-duplication and in order per camera. Assertions are on what
 * the broker and the spool hold.
 */
class SpoolFaultIT {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @TempDir
  Path tmp;

  AgentConfig config(String topic, Map<String, Object> extra) throws Exception {
    return SpooledCameras.config(KAFKA.bootstrapServers(), topic, tmp.resolve("spool"), extra);
  }

  CompletableFuture<CameraPipeline.Result> runCamera(PipelineHarness h, KafkaPublishing k, String camera, long frames)
      throws Exception {
    return SpooledCameras.run(h, k, camera, frames);
  }

  static List<Long> firstOccurrenceSequences(List<ConsumerRecord<String, byte[]>> recs, String camera)
      throws Exception {
    return SpooledCameras.firstOccurrenceSequences(recs, camera);
  }

  @Test
  void framesCapturedWhileTheBrokerIsKilledArriveOnceInOrderAfterItReturns() throws Exception {
    outage("outage-kill", true);
  }

  @Test
  void framesCapturedWhileTheBrokerIsStoppedArriveOnceInOrderAfterItReturns() throws Exception {
    outage("outage-stop", false);
  }

  private void outage(String topic, boolean kill) throws Exception {
    int frames = 40;
    try (PipelineHarness h = new PipelineHarness(0, false, List.of(new SlowDetector(60)));
         KafkaPublishing k = KafkaPublishing.open(config(topic, Map.of()), h.metrics)) {
      CompletableFuture<CameraPipeline.Result> front = runCamera(h, k, "front", frames);
      CompletableFuture<CameraPipeline.Result> rear = runCamera(h, k, "rear", frames);
      await().atMost(Duration.ofSeconds(60)).until(() -> k.stats().ackedCount() >= 6);
      if (kill) {
        KAFKA.broker().kill();
      } else {
        KAFKA.broker().stop();
      }
      long spooledAtOutage = k.spool().appended();
      // Capture goes on into the spool while the broker is away.
      await().atMost(Duration.ofSeconds(60)).until(() -> k.spool().appended() >= spooledAtOutage + 10);
      await().atMost(Duration.ofSeconds(20)).until(k::degraded);
      KAFKA.broker().restart();
      assertThat(front.get(120, TimeUnit.SECONDS).captured()).isEqualTo(frames);
      assertThat(rear.get(120, TimeUnit.SECONDS).captured()).isEqualTo(frames);
      assertThat(k.drain(Duration.ofSeconds(120))).as("spool drained after the broker came back").isTrue();
      assertThat(k.spool().pending()).isZero();
      assertThat(k.spool().droppedOldest()).isZero();
    }
    List<ConsumerRecord<String, byte[]>> recs = TopicReader.readAll(KAFKA.bootstrapServers(), topic);
    for (String camera : List.of("front", "rear")) {
      assertThat(firstOccurrenceSequences(recs, camera)).as(camera + ": every frame once, in order")
          .containsExactlyElementsOf(LongStream.range(0, frames).boxed().toList());
    }
  }

  @Test
  void aBrokerThatRejectsTheClientLeavesTheDataSpooledWithoutABusyLoop() throws Exception {
    Path jaas = tmp.resolve("jaas.conf");
    Files.writeString(jaas, "org.apache.kafka.common.security.plain.PlainLoginModule required "
        + "username=\"van\" password=\"wrong\";");
    Map<String, Object> sasl = Map.of("kafka.client.security.protocol", "SASL_PLAINTEXT",
        "kafka.client.sasl.mechanism", "PLAIN", "kafka.client.sasl.jaas.config.file", jaas.toString());
    int frames = 12;
    try (PipelineHarness h = new PipelineHarness(0, false, List.of());
         KafkaPublishing k = KafkaPublishing.open(config("rejected", sasl), h.metrics)) {
      assertThat(runCamera(h, k, "front", frames).get(120, TimeUnit.SECONDS).captured()).isEqualTo(frames);
      long t0 = System.nanoTime();
      await().atMost(Duration.ofSeconds(30)).until(k::degraded);
      Thread.sleep(10_000);
      double secs = (System.nanoTime() - t0) / 1e9;
      assertThat(k.spool().pending()).as("nothing leaves the spool unacknowledged").isEqualTo(frames);
      assertThat(k.stats().ackedCount()).isZero();
      assertThat(k.stats().errorCount()).as("failures are visible").isPositive();
      // Back-off doubles from 1 s: a dozen failures at most in this window, not thousands.
      assertThat(k.stats().errorCount()).as("no hot retry loop over %.0f s", secs).isLessThan(40);
      assertThat(k.drain(Duration.ofMillis(100))).isFalse();
    }
  }

  /** A broker address where nothing listens (loopback), so records stay spooled. */
  static final String NOWHERE = "127.0.0.1:1";

  @Test
  void damagedSpoolFilesBetweenRunsCostOnlyTheDamagedRecords() throws Exception {
    int frames = 20;
    try (PipelineHarness h = new PipelineHarness(0, false, List.of());
         KafkaPublishing k = KafkaPublishing.open(config("damaged", Map.of("kafka.bootstrap", NOWHERE)), h.metrics)) {
      assertThat(runCamera(h, k, "front", frames).get(120, TimeUnit.SECONDS).captured()).isEqualTo(frames);
      assertThat(k.spool().pending()).isEqualTo(frames);
    }
    Path segment;
    try (var files = Files.list(tmp.resolve("spool"))) {
      segment = files.filter(p -> p.toString().endsWith(".seg")).sorted().findFirst().orElseThrow();
    }
    List<long[]> recs = SegmentLayout.records(segment);
    assertThat(recs).hasSize(frames);
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(segment.toFile(), "rw")) {
      long[] r3 = recs.get(3);
      f.seek(r3[0] + 16 + r3[1] / 2); // a byte inside record 3's image
      int b = f.read();
      f.seek(r3[0] + 16 + r3[1] / 2);
      f.write(b ^ 0xff);
      f.seek(recs.get(8)[0]); // record 8's length field
      f.writeInt(0);
      long[] last = recs.get(frames - 1);
      f.setLength(last[0] + 16 + last[1] / 2); // the last record torn in half
    }
    try (PipelineHarness h = new PipelineHarness(0, false, List.of());
         KafkaPublishing k = KafkaPublishing.open(config("damaged", Map.of()), h.metrics)) {
      assertThat(k.spool().corruptOnOpen()).isEqualTo(2);
      assertThat(k.spool().tornBytesOnOpen()).isPositive();
      assertThat(k.drain(Duration.ofSeconds(90))).isTrue();
      assertThat(h.metrics.scrape()).contains("edgeagent_spool_corrupt_skipped_total 2.0");
    }
    List<Long> expected = new ArrayList<>(LongStream.range(0, frames - 1).boxed().toList());
    expected.remove(Long.valueOf(8));
    expected.remove(Long.valueOf(3));
    assertThat(firstOccurrenceSequences(TopicReader.readAll(KAFKA.bootstrapServers(), "damaged"), "front"))
        .containsExactlyElementsOf(expected);
  }

  @Test
  void aLongOutageFillsTheSpoolAndDropOldestKeepsTheNewestFrames() throws Exception {
    int frames = 80; // about 2 MB of records at about 26 kB each: twice the cap
    Map<String, Object> small = Map.of("kafka.bootstrap", NOWHERE, "spool.segment_bytes", 65_536,
        "spool.max_bytes", 1_048_576, "spool.full_policy", "drop_oldest");
    long dropped;
    try (PipelineHarness h = new PipelineHarness(0, false, List.of());
         KafkaPublishing k = KafkaPublishing.open(config("capped", small), h.metrics)) {
      assertThat(runCamera(h, k, "front", frames).get(120, TimeUnit.SECONDS).captured()).isEqualTo(frames);
      // The broker was never reachable: capture went on, health says degraded, nothing crashed.
      await().atMost(Duration.ofSeconds(30)).until(k::degraded);
      dropped = k.spool().droppedOldest();
      assertThat(dropped).as("the cap was reached and old records made room").isPositive();
      assertThat(k.spool().bytes()).isLessThanOrEqualTo(1_048_576);
      assertThat(k.spool().pending()).isEqualTo(frames - dropped);
      assertThat(h.metrics.scrape()).contains("edgeagent_spool_dropped_oldest_total " + (double) dropped);
    }
    try (PipelineHarness h = new PipelineHarness(0, false, List.of());
         KafkaPublishing k = KafkaPublishing.open(config("capped", Map.of("spool.segment_bytes", 65_536,
             "spool.max_bytes", 1_048_576)), h.metrics)) {
      assertThat(k.drain(Duration.ofSeconds(90))).isTrue();
    }
    assertThat(firstOccurrenceSequences(TopicReader.readAll(KAFKA.bootstrapServers(), "capped"), "front"))
        .containsExactlyElementsOf(LongStream.range(dropped, frames).boxed().toList());
  }

  @Test
  void framesOverTheRecordLimitAreReencodedSmallerOrRefusedAndCounted() throws Exception {
    int frames = 12;
    int limit = 24_000; // below a typical 26 kB frame at quality 85
    try (PipelineHarness h = new PipelineHarness(0, false, List.of());
         KafkaPublishing k = KafkaPublishing.open(config("oversize", Map.of("kafka.max_request_bytes", limit,
             "encode.min_jpeg_quality", 30)), h.metrics)) {
      assertThat(runCamera(h, k, "front", frames).get(120, TimeUnit.SECONDS).captured()).isEqualTo(frames);
      assertThat(k.drain(Duration.ofSeconds(60))).isTrue();
      long refused = k.stats().oversizeRefusedCount();
      assertThat(k.stats().reencodedCount() + refused).as("the limit bit").isPositive();
      assertThat(h.metrics.total("dropped.record_too_large")).isEqualTo(refused);
      List<ConsumerRecord<String, byte[]>> recs = TopicReader.readAll(KAFKA.bootstrapServers(), "oversize");
      assertThat(recs).hasSize((int) (frames - refused));
      for (ConsumerRecord<String, byte[]> r : recs) {
        assertThat(r.serializedValueSize()).isLessThan(limit);
        assertThat(FrameRecordCodec.decode(r.value()).getEncoding().getQuality()).isBetween(30, 85);
      }
    }
  }

  /** Finds nothing, slowly: paces the camera so a fault lands mid-stream. */
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
