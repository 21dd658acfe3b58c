package dev.edgeagent.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.edgeagent.TestAssets;
import dev.edgeagent.config.ConfigLoader;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.Mat;

/**
 * Issue 18 item 4: YuNet search runs of several calls (cameras) merged into one model run, on the
 * real model and real photos. Nothing here depends on timing: windows are a minute long and
 * batches run because they fill up, so a slow machine only makes the tests slower.
 */
class RunBatcherTest {
  /** Long enough never to expire during a test: batches here run because they are full. */
  static final long MINUTE = TimeUnit.MINUTES.toNanos(1);
  /** One pass at the frame's own resolution, no second look: one model run per frame. */
  static final YuNetDetector.Params ONE_PASS = new YuNetDetector.Params(0.3, 1, 1920, 0, 3, false, 0);

  static OnnxModel yunet;
  static Mat messi;
  static Mat mirrored;
  final ExecutorService threads = Executors.newCachedThreadPool();

  @BeforeAll
  static void load() throws Exception {
    dev.edgeagent.capture.OpenCv.ensureLoaded();
    yunet = OnnxModel.loadOwn(OwnModelManifest.load(), ConfigLoader.home(), "yunet-n", InferenceProvider.CPU, 1);
    messi = TestAssets.image("messi5.jpg");
    mirrored = new Mat();
    Core.flip(messi, mirrored, 1); // another picture of the same size: another camera
  }

  @AfterAll
  static void close() {
    yunet.close();
  }

  @AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }

  static YuNetDetector detector(int maxBatch, long windowNanos, AtomicInteger runs) {
    return new YuNetDetector(yunet, ONE_PASS, (m, n) -> runs.incrementAndGet(), TensorBuffers.reused(), maxBatch,
        windowNanos);
  }

  /** {@code faces} searching {@code img} on another thread, inside an inference call of its own. */
  Future<List<Detection>> camera(YuNetDetector faces, Mat img, InferenceCall call) {
    Callable<List<Detection>> search = () -> faces.detect(img);
    return threads.submit(() -> call.within(search));
  }

  @Test
  void twoCamerasSearchingAtOnceShareOneRunAndEachGetsTheFacesItFindsAlone() throws Exception {
    AtomicInteger alone = new AtomicInteger();
    List<Detection> wantA = detector(1, 0, alone).detect(messi);
    List<Detection> wantB = detector(1, 0, alone).detect(mirrored);
    assertThat(wantA).anySatisfy(d -> assertThat(d.box().iou(YuNetDetectorTest.MESSI)).isGreaterThan(0.4));
    assertThat(wantB).isNotEqualTo(wantA);

    AtomicInteger runs = new AtomicInteger();
    YuNetDetector shared = detector(2, MINUTE, runs); // a batch of two is full: it runs when the second joins
    for (int round = 0; round < 3; round++) { // the reused buffers hold the last round's values
      Future<List<Detection>> a = camera(shared, messi, new InferenceCall());
      Future<List<Detection>> b = camera(shared, mirrored, new InferenceCall());
      HotPathEquivalenceTest.assertSameDetections(a.get(), wantA);
      HotPathEquivalenceTest.assertSameDetections(b.get(), wantB);
    }
    assertThat(runs.get()).as("model runs for 3 x 2 frames").isEqualTo(3);
    assertThat(shared.sharedRuns().runs()).isEqualTo(3);
  }

  @Test
  void twoCamerasThroughTheInferencePoolShareOneRun() throws Exception {
    AtomicInteger alone = new AtomicInteger();
    List<Detection> wantA = detector(1, 0, alone).detect(messi);
    List<Detection> wantB = detector(1, 0, alone).detect(mirrored);
    AtomicInteger runs = new AtomicInteger();
    try (InferencePool pool = new InferencePool(2)) {
      DetectionStage stage = new DetectionStage(List.of(new DetectionStage.Scheduled(detector(2, MINUTE, runs), 1)),
          pool, TimeUnit.MINUTES.toMillis(2));
      Future<List<Detection>> a = threads.submit(() -> stage.detect(messi));
      Future<List<Detection>> b = threads.submit(() -> stage.detect(mirrored));
      HotPathEquivalenceTest.assertSameDetections(a.get(), wantA);
      HotPathEquivalenceTest.assertSameDetections(b.get(), wantB);
    }
    assertThat(runs.get()).isEqualTo(1);
  }

  @Test
  void aCallTerminatedWhileWaitingLeavesAndTheOthersStillGetTheirFaces() throws Exception {
    AtomicInteger alone = new AtomicInteger();
    List<Detection> wantB = detector(1, 0, alone).detect(mirrored);
    List<Detection> wantC = detector(1, 0, alone).detect(messi);
    AtomicInteger runs = new AtomicInteger();
    YuNetDetector shared = detector(3, MINUTE, runs);
    RunBatcher batcher = shared.sharedRuns();

    InferenceCall callA = new InferenceCall();
    Future<List<Detection>> a = camera(shared, messi, callA);
    await().atMost(Duration.ofMinutes(1)).until(() -> batcher.waiting() == 1);
    Future<List<Detection>> b = camera(shared, mirrored, new InferenceCall());
    await().atMost(Duration.ofMinutes(1)).until(() -> batcher.waiting() == 2);

    callA.terminate(); // A's frame timed out: A stops waiting, the batch does not run for it
    assertThat(failure(a)).isInstanceOf(DetectorException.class)
        .satisfies(e -> assertThat(((DetectorException) e).reason()).isEqualTo(DropReason.DETECTOR_TIMEOUT));
    assertThat(b.isDone()).as("B still waits for its run").isFalse();
    assertThat(runs.get()).isZero();

    // A third camera fills the batch (A's image still holds its seat), so it runs now.
    Future<List<Detection>> c = camera(shared, messi, new InferenceCall());
    HotPathEquivalenceTest.assertSameDetections(b.get(), wantB);
    HotPathEquivalenceTest.assertSameDetections(c.get(), wantC);
    assertThat(runs.get()).isEqualTo(1);
  }

  @Test
  void aSharedRunThatFailsFailsEveryCallInIt() throws Exception {
    YuNetTranslator.Placement p = YuNetTranslator.Placement.of(0, 0, 320, 320, 1.0);
    RunBatcher.Layout right = YuNetDetector.layout(p);
    Map<String, List<Long>> outputs = new LinkedHashMap<>(right.outputs());
    outputs.put("cls_8", List.of(7L, 1L)); // ONNX Runtime refuses to write 1600 rows into 7
    RunBatcher.Layout wrong = new RunBatcher.Layout(right.input(), right.image(), outputs);
    AtomicInteger runs = new AtomicInteger();
    RunBatcher batcher = new RunBatcher(yunet, MINUTE, 2, YuNetDetector.MAX_BATCH_FLOATS, TensorBuffers.reused(),
        (m, n) -> runs.incrementAndGet());
    List<Future<Map<String, FloatBuffer>>> calls = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      calls.add(threads.submit(() -> {
        try (RunBatcher.Seat seat = batcher.join(wrong, 1)) {
          FloatBuffer in = seat.input();
          TensorBuffers.zero(in, 0, in.limit());
          return seat.await();
        }
      }));
    }
    for (Future<Map<String, FloatBuffer>> call : calls) {
      assertThat(failure(call)).isInstanceOf(DetectorException.class)
          .satisfies(e -> assertThat(((DetectorException) e).reason()).isEqualTo(DropReason.DETECTOR_ERROR))
          .hasMessageContaining("shared by 2 calls");
    }
    assertThat(runs.get()).as("runs that returned").isZero();

    // The batcher is not left broken: a right layout runs on the same buffers.
    List<Future<Map<String, FloatBuffer>>> again = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      again.add(threads.submit(() -> {
        try (RunBatcher.Seat seat = batcher.join(right, 1)) {
          FloatBuffer in = seat.input();
          TensorBuffers.zero(in, 0, in.limit());
          return new LinkedHashMap<>(seat.await());
        }
      }));
    }
    for (Future<Map<String, FloatBuffer>> call : again) {
      assertThat(call.get()).containsOnlyKeys(right.outputs().keySet());
    }
    assertThat(batcher.runs()).isEqualTo(1);
  }

  /** Two 2048 x 2048 images in one run: long enough (about a second) to terminate calls during it. */
  static RunBatcher bigBatcher() {
    return new RunBatcher(yunet, MINUTE, 2, Long.MAX_VALUE, TensorBuffers.reused(), (m, n) -> { });
  }

  static final RunBatcher.Layout BIG = YuNetDetector.layout(YuNetTranslator.Placement.of(0, 0, 2048, 2048, 1.0));

  /** One call with one blank image in {@code batcher}, inside {@code call}: the floats of its cls_8 output. */
  Future<Integer> blank(RunBatcher batcher, InferenceCall call) {
    Callable<Integer> work = () -> {
      try (RunBatcher.Seat seat = batcher.join(BIG, 1)) {
        FloatBuffer in = seat.input();
        TensorBuffers.zero(in, 0, in.limit());
        return seat.await().get("cls_8").remaining();
      }
    };
    return threads.submit(() -> call.within(work));
  }

  /**
   * The call that completes a batch's input runs it on its own thread: A waits first, then B
   * joins and is the last to be ready, so B's thread makes the run (deterministically: B finds
   * the batch runnable while it still holds the batcher's lock).
   */
  @Test
  void theCallWhoseThreadMakesTheSharedRunCanBeTerminatedWithoutStoppingIt() throws Exception {
    terminatedDuringTheRun(false);
  }

  @Test
  void aWaitingCallTerminatedDuringTheSharedRunLeavesItRunning() throws Exception {
    terminatedDuringTheRun(true);
  }

  private void terminatedDuringTheRun(boolean terminateTheWaiter) throws Exception {
    RunBatcher batcher = bigBatcher();
    InferenceCall callA = new InferenceCall();
    InferenceCall callB = new InferenceCall();
    Future<Integer> a = blank(batcher, callA);
    await().atMost(Duration.ofMinutes(1)).until(() -> batcher.waiting() == 1);
    Future<Integer> b = blank(batcher, callB);
    await().pollInterval(Duration.ofMillis(1)).atMost(Duration.ofMinutes(1)).until(() -> yunet.inFlight() > 0);
    Future<Integer> gone = terminateTheWaiter ? a : b;
    Future<Integer> kept = terminateTheWaiter ? b : a;
    (terminateTheWaiter ? callA : callB).terminate();
    assertThat(failure(gone)).isInstanceOf(DetectorException.class)
        .satisfies(e -> assertThat(((DetectorException) e).reason()).isEqualTo(DropReason.DETECTOR_TIMEOUT));
    assertThat(kept.get(1, TimeUnit.MINUTES)).isEqualTo(256 * 256);
    assertThat(batcher.runs()).as("runs that returned").isEqualTo(1);
  }

  @Test
  void whenEveryCallOfASharedRunGivesUpTheRunIsTerminated() throws Exception {
    RunBatcher batcher = bigBatcher();
    InferenceCall callA = new InferenceCall();
    InferenceCall callB = new InferenceCall();
    Future<Integer> a = blank(batcher, callA);
    Future<Integer> b = blank(batcher, callB);
    await().pollInterval(Duration.ofMillis(1)).atMost(Duration.ofMinutes(1)).until(() -> yunet.inFlight() > 0);
    callA.terminate();
    callB.terminate();
    assertThat(failure(a)).isInstanceOf(DetectorException.class);
    assertThat(failure(b)).isInstanceOf(DetectorException.class);
    await().atMost(Duration.ofMinutes(1)).until(() -> yunet.inFlight() == 0);
    assertThat(batcher.runs()).as("runs that returned (a terminated one does not)").isZero();
  }

  @Test
  void aWindowOfZeroBuildsNoBatcherAndEveryCallRunsAlone() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    YuNetDetector plain = detector(4, 0, runs);
    assertThat(plain.sharedRuns()).isNull();
    assertThat(detector(1, MINUTE, runs).sharedRuns()).as("batches of one image share nothing").isNull();
    List<Detection> want = new YuNetDetector(yunet, ONE_PASS, (m, n) -> { }, TensorBuffers.reused(), 4)
        .detect(messi);
    Future<List<Detection>> a = camera(plain, messi, new InferenceCall());
    Future<List<Detection>> b = camera(plain, messi, new InferenceCall());
    assertThat(a.get()).isEqualTo(want);
    assertThat(b.get()).isEqualTo(want);
    assertThat(runs.get()).isEqualTo(2);
  }

  private static Throwable failure(Future<?> f) throws InterruptedException {
    try {
      f.get(1, TimeUnit.MINUTES);
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (java.util.concurrent.TimeoutException e) {
      return e;
    }
  }
}
