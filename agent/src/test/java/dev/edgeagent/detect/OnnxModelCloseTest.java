package dev.edgeagent.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.edgeagent.TestAssets;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: closing a session while a run is inside it crashed the JVM at shutdown. A model
 * closes only after its last run has returned; asked to close sooner it stays open (and the run
 * finishes normally), and no new run reaches it once closing has begun.
 */
class OnnxModelCloseTest {
  static final int SIDE = 2048; // seconds of work for ppocr-v4-det on one CPU thread

  /** A long run of {@code m} on its own thread; {@code ended} gets its result size or its error. */
  static Thread longRun(OnnxModel m, OnnxTensor t, AtomicReference<Object> ended) {
    String input = m.session().getInputNames().iterator().next();
    Thread th = new Thread(() -> {
      try (OrtSession.Result r = m.run(Map.of(input, t))) {
        ended.set(r.size());
      } catch (Exception e) {
        ended.set(e);
      }
    });
    th.start();
    while (m.inFlight() == 0 && th.isAlive()) {
      Thread.onSpinWait();
    }
    return th;
  }

  static OnnxModel plateModel() throws ModelLoadException {
    return OnnxModel.load(ModelManifest.load(), TestAssets.modelsDir(), "ppocr-v4-det", InferenceProvider.CPU, 1);
  }

  static OnnxTensor bigInput() throws Exception {
    return OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), FloatBuffer.allocate(3 * SIDE * SIDE),
        new long[] {1, 3, SIDE, SIDE});
  }

  @Test
  void aModelAskedToCloseUnderARunStaysOpenUntilTheRunHasReturned() throws Exception {
    OnnxModel m = plateModel();
    try (OnnxTensor t = bigInput()) {
      AtomicReference<Object> ended = new AtomicReference<>();
      Thread run = longRun(m, t, ended);
      assertThat(m.close(0)).as("closed under a running run").isFalse();
      assertThat(m.closed()).isFalse();
      String input = m.session().getInputNames().iterator().next();
      assertThatThrownBy(() -> m.run(Map.of(input, t))).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("ppocr-v4-det").hasMessageContaining("closed");
      run.join();
      assertThat(ended.get()).as("the run in flight finished normally").isEqualTo(1);
      assertThat(m.close(0)).as("idle now, so it closes").isTrue();
      assertThat(m.closed()).isTrue();
    } finally {
      m.close();
    }
  }

  @Test
  void closeWaitsForTheRunInFlightAndThenCloses() throws Exception {
    OnnxModel m = plateModel();
    try (OnnxTensor t = bigInput()) {
      AtomicReference<Object> ended = new AtomicReference<>();
      Thread run = longRun(m, t, ended);
      assertThat(m.inFlight()).as("close is asked while the run is inside the session").isEqualTo(1);
      assertThat(m.close(600_000)).isTrue();
      assertThat(m.inFlight()).isZero();
      assertThat(m.closed()).isTrue();
      run.join();
      assertThat(ended.get()).as("the run got its result; the session was not closed under it").isEqualTo(1);
    }
  }
}
