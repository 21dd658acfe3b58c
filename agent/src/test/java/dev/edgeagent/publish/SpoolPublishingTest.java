package dev.edgeagent.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.edgeagent.encode.JpegEncoder;
import dev.edgeagent.health.AgentMetrics;
import dev.edgeagent.protocol.FrameRecordCodec;
import dev.edgeagent.protocol.RecordId;
import dev.edgeagent.protocol.v1.FrameRecord;
import dev.edgeagent.redact.AnonymizedFrame;
import dev.edgeagent.redact.TestFrames;
import dev.edgeagent.spool.Spool;
import dev.edgeagent.spool.SpoolConfig;
import dev.edgeagent.spool.SpoolRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SpoolSink and SpoolPublisher with Kafka's MockProducer: encoding, limits, acks, failures. */
class SpoolPublishingTest {
  private static final KafkaSinkConfig CFG = KafkaSinkConfig.defaults("127.0.0.1:1", "frames", "van-1");

  @TempDir
  Path dir;

  Spool spool() throws Exception {
    return Spool.open(new SpoolConfig(dir, 1 << 20, 1 << 26, 0, 0, SpoolConfig.FullPolicy.DROP_OLDEST, 0));
  }

  static MockProducer<String, byte[]> producer(boolean autoComplete) {
    return new MockProducer<>(autoComplete, null, new StringSerializer(), new ByteArraySerializer());
  }

  /** Hands out the given producers in turn (the publisher makes a new one after a failure). */
  static Supplier<Producer<String, byte[]>> producers(List<MockProducer<String, byte[]>> list) {
    int[] next = {0};
    return () -> list.get(Math.min(next[0]++, list.size() - 1));
  }

  /** Skips topic creation: there is no broker behind a MockProducer. */
  static SpoolPublisher publisher(Spool spool, KafkaSinkConfig cfg, Supplier<Producer<String, byte[]>> p,
      PublishStats stats, AgentMetrics metrics) {
    return new SpoolPublisher(spool, cfg, p, stats, metrics, false);
  }

  static void spoolFrames(SpoolSink sink, int n, int w, int h, boolean noisy) throws Exception {
    for (int seq = 0; seq < n; seq++) {
      try (AnonymizedFrame f = TestFrames.anonymized("front", seq, w, h, noisy)) {
        sink.accept(f);
      }
    }
  }

  @Test
  void spooledFramesAreSentAsDecodableRecordsKeyedByCameraAndLeaveTheSpoolWhenAcked() throws Exception {
    MockProducer<String, byte[]> mock = producer(true);
    AgentMetrics metrics = new AgentMetrics();
    PublishStats stats = PublishStats.create(30_000);
    try (Spool spool = spool()) {
      spoolFrames(new SpoolSink(spool, CFG, stats, metrics), 3, 64, 48, false);
      assertThat(spool.pending()).isEqualTo(3);
      try (SpoolPublisher pub = publisher(spool, CFG, () -> mock, stats, metrics).start()) {
        assertThat(pub.awaitDrained(Duration.ofSeconds(10))).isTrue();
      }
    }
    assertThat(mock.history()).hasSize(3);
    for (int i = 0; i < 3; i++) {
      ProducerRecord<String, byte[]> rec = mock.history().get(i);
      assertThat(rec.topic()).isEqualTo("frames");
      assertThat(rec.key()).isEqualTo("front");
      FrameRecord r = FrameRecordCodec.decode(rec.value());
      assertThat(r.getSequence()).isEqualTo(i);
      assertThat(r.getEncoding().getQuality()).isEqualTo(85);
      String header = new String(rec.headers().lastHeader(RecordId.HEADER).value(), StandardCharsets.UTF_8);
      assertThat(RecordId.parse(header)).isEqualTo(new RecordId("van-1", "front", i)).isEqualTo(RecordId.of(r));
    }
    assertThat(stats.ackedCount()).isEqualTo(3);
    assertThat(metrics.total("edgeagent.publish.acked")).isEqualTo(3);
  }

  @Test
  void anOversizeFrameIsReencodedSmallerToFit() throws Exception {
    int[] sizes = jpegSizes(85, 40);
    // a limit between the two sizes: 85 does not fit, something at or above 40 does
    int limit = (sizes[0] + sizes[1]) / 2 + RecordEncoder.RECORD_OVERHEAD_BYTES + 200;
    PublishStats stats = PublishStats.create(30_000);
    try (Spool spool = spool()) {
      spoolFrames(new SpoolSink(spool, CFG.withMaxRequestSize(limit), stats, new AgentMetrics()), 1, 640, 480, true);
      List<SpoolRecord> recs = spool.take(10, 10);
      assertThat(recs).singleElement().satisfies(r -> {
        assertThat(r.value().length).isLessThanOrEqualTo(limit);
        assertThat(FrameRecordCodec.decode(r.value()).getEncoding().getQuality()).isBetween(40, 84);
      });
    }
    assertThat(stats.reencodedCount()).isEqualTo(1);
    assertThat(stats.oversizeRefusedCount()).isZero();
  }

  @Test
  void aFrameTooLargeEvenAtMinimumQualityIsRefusedAndCountedNotSpooled() throws Exception {
    int[] sizes = jpegSizes(85, 40);
    int limit = Math.max(16 * 1024, sizes[1] / 2);
    AgentMetrics metrics = new AgentMetrics();
    PublishStats stats = PublishStats.create(30_000);
    try (Spool spool = spool()) {
      SpoolSink sink = new SpoolSink(spool, CFG.withMaxRequestSize(limit), stats, metrics);
      try (AnonymizedFrame big = TestFrames.anonymized("front", 0, 640, 480, true);
           AnonymizedFrame small = TestFrames.anonymized("front", 1, 64, 48, false)) {
        sink.accept(big);
        sink.accept(small);
      }
      assertThat(spool.take(10, 10)).extracting(r -> FrameRecordCodec.decode(r.value()).getSequence())
          .containsExactly(1L);
    }
    assertThat(stats.oversizeRefusedCount()).isEqualTo(1);
    assertThat(stats.acceptedCount()).isEqualTo(2);
    assertThat(metrics.total("dropped.record_too_large")).isEqualTo(1);
  }

  @Test
  void aFailedSendKeepsTheRecordsSpooledAndANewProducerResendsThemInOrder() throws Exception {
    MockProducer<String, byte[]> failing = producer(false);
    MockProducer<String, byte[]> healthy = producer(true);
    AgentMetrics metrics = new AgentMetrics();
    PublishStats stats = PublishStats.create(30_000);
    try (Spool spool = spool()) {
      spoolFrames(new SpoolSink(spool, CFG, stats, metrics), 3, 64, 48, false);
      try (SpoolPublisher pub = publisher(spool, CFG, producers(List.of(failing, healthy)), stats, metrics).start()) {
        await().atMost(Duration.ofSeconds(5)).until(() -> failing.history().size() == 3);
        failing.errorNext(new TimeoutException("broker gone"));
        assertThat(stats.degraded()).isTrue();
        assertThat(spool.pending()).as("nothing acknowledged, nothing removed").isEqualTo(3);
        assertThat(pub.awaitDrained(Duration.ofSeconds(10))).as("after the back-off, a new producer").isTrue();
      }
    }
    List<Long> resent = new ArrayList<>();
    healthy.history().forEach(r -> resent.add(decodeSeq(r)));
    assertThat(resent).containsExactly(0L, 1L, 2L);
    assertThat(failing.closed()).isTrue();
    assertThat(stats.errorsByType()).containsEntry("TimeoutException", 1L);
    assertThat(metrics.total("publish.errors.TimeoutException")).isEqualTo(1);
    assertThat(stats.degraded()).isFalse();
  }

  @Test
  void aBrokerThatHasNotAnsweredYetIsDegradedFromTheStartNotAfterTheRequestTimeout() throws Exception {
    PublishStats stats = PublishStats.create(30_000);
    stats.awaitFirstContact();
    assertThat(stats.degraded()).isTrue();
    assertThat(stats.connecting()).isTrue();
    stats.contacted();
    assertThat(stats.degraded()).isFalse();
    assertThat(stats.connecting()).isFalse();

    // the real publisher against a port nobody listens on: degraded at once, and it stays so
    KafkaSinkConfig nowhere = KafkaSinkConfig.defaults("127.0.0.1:1", "t", "van-1").withTimeouts(3000, 2000);
    try (Spool spool = Spool.open(new SpoolConfig(dir.resolve("nowhere"), 1 << 20, 1L << 30, 0, 0,
        SpoolConfig.FullPolicy.DROP_OLDEST, 0))) {
      PublishStats s = PublishStats.create(30_000);
      SpoolPublisher p = new SpoolPublisher(spool, nowhere,
          () -> new org.apache.kafka.clients.producer.KafkaProducer<>(ProducerSettings.of(nowhere)), s, new AgentMetrics());
      assertThat(s.degraded()).as("before the first attempt").isTrue();
      p.start();
      Thread.sleep(500);
      assertThat(s.degraded()).isTrue();
      assertThat(s.connecting()).isTrue();
      p.close();
    }
  }

  @Test
  void recordsInFlightWithoutAnAckForTheRequestTimeoutMeanDegraded() {
    long[] now = {0};
    PublishStats stats = new PublishStats(() -> now[0], 30_000);
    stats.sent();
    now[0] += 29_000_000_000L;
    assertThat(stats.degraded()).as("29 s without an ack: still within the request timeout").isFalse();
    now[0] += 2_000_000_000L;
    assertThat(stats.degraded()).as("31 s without an ack").isTrue();
    stats.acked();
    assertThat(stats.degraded()).isFalse();
    now[0] += 60_000_000_000L;
    assertThat(stats.degraded()).as("idle, nothing in flight").isFalse();
  }

  @Test
  void aFrameArrivingAfterTheSpoolClosedIsCountedNotLostSilently() throws Exception {
    AgentMetrics metrics = new AgentMetrics();
    Spool spool = spool();
    SpoolSink sink = new SpoolSink(spool, CFG, PublishStats.create(30_000), metrics);
    spool.close();
    spoolFrames(sink, 1, 64, 48, false);
    assertThat(metrics.total("dropped.spool_closed")).isEqualTo(1);
  }

  /** Record value sizes of the noisy 640x480 test frame at two qualities. */
  private static int[] jpegSizes(int q1, int q2) {
    RecordMapper mapper = new RecordMapper("van-1");
    try (AnonymizedFrame f = TestFrames.anonymized("front", 0, 640, 480, true)) {
      JpegEncoder enc = new JpegEncoder(q1);
      int a = FrameRecordCodec.encode(mapper.map(enc.encode(f, q1))).length;
      int b = FrameRecordCodec.encode(mapper.map(enc.encode(f, q2))).length;
      assertThat(a).as("test frame sizes at q%d and q%d", q1, q2).isGreaterThan(b + 2000);
      assertThat(b).isGreaterThan(2 * 16 * 1024);
      return new int[] {a, b};
    }
  }

  private static long decodeSeq(ProducerRecord<String, byte[]> r) {
    try {
      return FrameRecordCodec.decode(r.value()).getSequence();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
