package dev.edgeagent.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.edgeagent.TestAssets;
import java.nio.FloatBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A timed-out call's native run is stopped, not left running: {@link InferencePool.Submitted#abandon}
 * sets the terminate flag of the run options the call's {@link OnnxModel#run} uses, and ONNX Runtime
 * ends the run with an error instead of a result.
 */
class InferenceTerminateTest {
  @Test
  void abandoningACallTerminatesItsRunningModelRun() throws Exception {
    try (OnnxModel model = OnnxModel.load(ModelManifest.load(), TestAssets.modelsDir(), "ppocr-v4-det",
            InferenceProvider.CPU, 1);
         InferencePool pool = new InferencePool(1)) {
      String input = model.session().getInputNames().iterator().next();
      int side = 2048; // seconds of work on one CPU thread: far longer than it takes to abandon it
      try (OnnxTensor t = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(),
          FloatBuffer.allocate(3 * side * side), new long[] {1, 3, side, side})) {
        java.util.concurrent.atomic.AtomicReference<Object> ended = new java.util.concurrent.atomic.AtomicReference<>();
        InferencePool.Submitted<Boolean> call = pool.submit("det", () -> {
          try (OrtSession.Result r = model.run(Map.of(input, t))) {
            ended.set("a result");
            return true;
          } catch (OrtException e) {
            ended.set(e);
            throw e;
          }
        }, System.nanoTime() + 600_000_000_000L);
        while (call.call().runsStarted() == 0) {
          Thread.onSpinWait();
        }
        call.abandon();
        assertThat(call.call().terminated()).isTrue();
        assertThatThrownBy(() -> call.future().get()).isInstanceOf(java.util.concurrent.CancellationException.class);
        while (pool.busy() > 0) {
          Thread.onSpinWait(); // the slot frees only once the run has returned
        }
        assertThat(ended.get()).as("how the native run ended").isInstanceOf(OrtException.class);
        assertThat(((OrtException) ended.get()).getMessage()).contains("terminate");
      }
    }
  }

  @Test
  void aRunStartedByACallAlreadyTerminatedFailsAtOnceWithTheTerminateError() throws Exception {
    try (OnnxModel model = OnnxModel.load(ModelManifest.load(), TestAssets.modelsDir(), "ppocr-v4-det",
        InferenceProvider.CPU, 1)) {
      String input = model.session().getInputNames().iterator().next();
      try (OnnxTensor t = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(),
          FloatBuffer.allocate(3 * 64 * 64), new long[] {1, 3, 64, 64})) {
        assertThat(model.run(Map.of(input, t)).size()).as("the same run, not terminated, succeeds").isPositive();
        InferenceCall call = new InferenceCall();
        call.terminate();
        assertThatThrownBy(() -> call.within(() -> model.run(Map.of(input, t))))
            .isInstanceOf(OrtException.class).hasMessageContaining("terminate");
      }
    }
  }
}
