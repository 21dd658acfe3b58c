package dev.edgeagent.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgeagent.encode.JpegEncoder;
import dev.edgeagent.health.AgentMetrics;
import dev.edgeagent.protocol.FrameRecordCodec;
import dev.edgeagent.protocol.RecordId;
import dev.edgeagent.protocol.v1.FrameRecord;
import dev.edgeagent.redact.AnonymizedFrame;
import dev.edgeagent.redact.TestFrames;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaSinkTest {
  private static final KafkaSinkConfig CFG = KafkaSinkConfig.defaults("127.0.0.1:1", "frames", "van-1");

  private static MockProducer<String, byte[]> producer(boolean autoComplete) {
    return new MockProducer<>(autoComplete, null, new StringSerializer(), new ByteArraySerializer());
  }

  @Test
  void sendsOneDecodableRecordPerFrameKeyedByCameraWithTheRecordId() throws Exception {
    MockProducer<String, byte[]> mock = producer(true);
    AgentMetrics metrics = new AgentMetrics();
    KafkaSink sink = new KafkaSink(CFG, mock, metrics);
    for (int seq = 0; seq < 3; seq++) {
      try (AnonymizedFrame f = TestFrames.anonymized("front", seq, 64, 48, false)) {
        sink.accept(f);
      }
    }
    sink.close();

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
    assertThat(sink.stats().ackedCount()).isEqualTo(3);
    assertThat(sink.stats().inFlight()).isZero();
    assertThat(metrics.total("edgeagent.publish.acked")).isEqualTo(3);
    assertThat(mock.closed()).isTrue();
  }

  @Test
  void anOversizeFrameIsReencodedSmallerToFit() throws Exception {
    int[] sizes = jpegSizes(85, 40);
    // a limit between the two sizes: 85 does not fit, something at or above 40 does
    int limit = (sizes[0] + sizes[1]) / 2 + RecordEncoder.RECORD_OVERHEAD_BYTES + 200;
    MockProducer<String, byte[]> mock = producer(true);
    KafkaSink sink = new KafkaSink(CFG.withMaxRequestSize(limit), mock, null);
    try (AnonymizedFrame f = TestFrames.anonymized("front", 0, 640, 480, true)) {
      sink.accept(f);
    }
    sink.close();

    assertThat(mock.history()).singleElement().satisfies(rec -> {
      assertThat(rec.value().length).isLessThanOrEqualTo(limit);
      FrameRecord r = FrameRecordCodec.decode(rec.value());
      assertThat(r.getEncoding().getQuality()).isBetween(40, 84);
    });
    assertThat(sink.stats().reencodedCount()).isEqualTo(1);
    assertThat(sink.stats().oversizeRefusedCount()).isZero();
  }

  @Test
  void aFrameTooLargeEvenAtMinimumQualityIsRefusedAndCountedNotSent() throws Exception {
    int[] sizes = jpegSizes(85, 40);
    int limit = Math.max(16 * 1024, sizes[1] / 2);
    MockProducer<String, byte[]> mock = producer(true);
    AgentMetrics metrics = new AgentMetrics();
    KafkaSink sink = new KafkaSink(CFG.withMaxRequestSize(limit), mock, metrics);
    try (AnonymizedFrame big = TestFrames.anonymized("front", 0, 640, 480, true);
         AnonymizedFrame small = TestFrames.anonymized("front", 1, 64, 48, false)) {
      sink.accept(big);
      sink.accept(small);
    }
    sink.close();

    assertThat(mock.history()).extracting(r -> FrameRecordCodec.decode(r.value()).getSequence()).containsExactly(1L);
    assertThat(sink.stats().oversizeRefusedCount()).isEqualTo(1);
    assertThat(sink.stats().acceptedCount()).isEqualTo(2);
    assertThat(metrics.total("dropped.record_too_large")).isEqualTo(1);
  }

  @Test
  void deliveryErrorsAreCountedByTypeAndMakeTheSinkDegradedUntilTheNextAck() throws Exception {
    MockProducer<String, byte[]> mock = producer(false);
    AgentMetrics metrics = new AgentMetrics();
    KafkaSink sink = new KafkaSink(CFG, mock, metrics);
    for (int seq = 0; seq < 3; seq++) {
      try (AnonymizedFrame f = TestFrames.anonymized("front", seq, 64, 48, false)) {
        sink.accept(f);
      }
    }
    assertThat(sink.stats().inFlight()).isEqualTo(3);
    mock.errorNext(new TimeoutException("broker gone"));
    assertThat(sink.stats().degraded()).isTrue();
    assertThat(sink.stats().errorsByType()).containsEntry("TimeoutException", 1L);
    mock.completeNext();
    assertThat(sink.stats().degraded()).isFalse();
    mock.completeNext();

    assertThat(sink.stats().ackedCount()).isEqualTo(2);
    assertThat(metrics.total("publish.errors.TimeoutException")).isEqualTo(1);
    assertThat(metrics.total("dropped.delivery_failed")).isEqualTo(1);
    // close reports the loss instead of pretending everything was delivered
    assertThatThrownBy(sink::close).hasMessageContaining("1 record(s) failed");
  }

  @Test
  void recordsInFlightWithoutAnAckForTheRequestTimeoutMakeTheSinkDegraded() throws Exception {
    long[] now = {0};
    MockProducer<String, byte[]> mock = producer(false);
    KafkaSink sink = new KafkaSink(CFG.withTimeouts(120_000, 30_000), mock, null, () -> now[0]);
    try (AnonymizedFrame f = TestFrames.anonymized("front", 0, 64, 48, false)) {
      sink.accept(f);
    }
    now[0] += 29_000_000_000L;
    assertThat(sink.stats().degraded()).as("29 s without an ack: still within the request timeout").isFalse();
    now[0] += 2_000_000_000L;
    assertThat(sink.stats().degraded()).as("31 s without an ack").isTrue();
    mock.completeNext();
    assertThat(sink.stats().degraded()).isFalse();
    now[0] += 60_000_000_000L;
    assertThat(sink.stats().degraded()).as("idle, nothing in flight").isFalse();
    sink.close();
  }

  @Test
  void aClosedSinkRefusesFrames() throws Exception {
    KafkaSink sink = new KafkaSink(CFG, producer(true), null);
    sink.close();
    try (AnonymizedFrame f = TestFrames.anonymized("front", 0, 64, 48, false)) {
      assertThatThrownBy(() -> sink.accept(f)).hasMessageContaining("closed");
    }
  }

  @Test
  void aCameraViewWaitsForAcksButLeavesTheProducerOpenForOtherCameras() throws Exception {
    MockProducer<String, byte[]> mock = producer(true);
    KafkaSink sink = new KafkaSink(CFG, mock, null);
    var front = sink.cameraView();
    try (AnonymizedFrame f = TestFrames.anonymized("front", 0, 64, 48, false)) {
      front.accept(f);
    }
    front.close();
    assertThat(mock.closed()).isFalse();
    try (AnonymizedFrame f = TestFrames.anonymized("rear", 0, 64, 48, false)) {
      sink.cameraView().accept(f);
    }
    sink.close();
    assertThat(mock.history()).extracting(ProducerRecord::key).containsExactly("front", "rear");
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
}
