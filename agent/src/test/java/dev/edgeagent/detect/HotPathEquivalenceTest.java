package dev.edgeagent.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeagent.TestAssets;
import dev.edgeagent.config.ConfigLoader;
import dev.edgeagent.pipeline.Components;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Issue 18, item 4: the reused-buffer, pinned-output and batched paths give what the old path
 * (a fresh buffer for everything, outputs allocated by ONNX Runtime, one run per pass) gave, on
 * real models and real photos. Each reused path first runs on a larger image, so its buffers
 * are bigger than needed and hold another image's values: stale padding would show here.
 */
class HotPathEquivalenceTest {
  static OnnxModel yunet;
  static OnnxModel textDet;
  static OnnxModel textRec;
  static OnnxModel plateMap;
  static OnnxModel plateCls;
  static List<String> characters;

  @BeforeAll
  static void load() throws Exception {
    dev.edgeagent.capture.OpenCv.ensureLoaded();
    yunet = OnnxModel.loadOwn(OwnModelManifest.load(), ConfigLoader.home(), "yunet-n", InferenceProvider.CPU, 1);
    plateMap = OnnxModel.loadOwn(OwnModelManifest.load(), ConfigLoader.home(), "plate-det-s4",
        InferenceProvider.CPU, 1);
    plateCls = OnnxModel.loadOwn(OwnModelManifest.load(), ConfigLoader.home(), "plate-cls", InferenceProvider.CPU, 1);
    textDet = OnnxModel.load(ModelManifest.load(), TestAssets.modelsDir(), "ppocr-v4-det", InferenceProvider.CPU, 1);
    textRec = TextRecognizerTest.loadModel();
    characters = TextRecognizer.loadCharacters(ModelManifest.load(), TestAssets.modelsDir(),
        Components.PLATE_READER_CHARACTERS);
  }

  @AfterAll
  static void close() {
    for (OnnxModel m : new OnnxModel[] {yunet, textDet, textRec, plateMap, plateCls}) {
      m.close();
    }
  }

  /** messi5 with a drawn plate and a drawn sign: text lines and plate candidates to read. */
  static Mat street() {
    Mat img = TestAssets.image("messi5.jpg");
    PlateDetectorTest.drawPlate(img, 30, 270, "KA05 MX 2391", 0.8);
    PlateDetectorTest.drawPlate(img, 330, 40, "8FV480", 0.9);
    return img;
  }

  /** A larger image than {@link #street()}, run first to leave bigger, dirty buffers behind. */
  static Mat larger() {
    Mat img = TestAssets.image("scenetext01.jpg");
    Mat big = new Mat();
    Imgproc.resize(img, big, new Size(1280, 960));
    img.release();
    return big;
  }

  static PlateReadingFilter reader(TensorBuffers buffers) {
    return new PlateReadingFilter(new TextRecognizer(textRec, characters, (m, n) -> { }, buffers),
        new PlateReadingFilter.Params(6, 0.5, true));
  }

  static PlateDetector textDetector(TensorBuffers buffers) {
    return new PlateDetector(textDet, new TextDetectionTranslator.Params(960, 0.3, 0.5, 1.6, 6, 1.0, 15),
        0.15, 0.5, reader(buffers), (m, n) -> { }, buffers);
  }

  static PlateMapDetector plateMapDetector(TensorBuffers buffers) {
    return new PlateMapDetector(plateMap, new PlateMapDetector.Params(1920, 0.5, 0.6, 0.125, 4, 2),
        new PlateCropVerifier(plateCls, 0.3, (m, n) -> { }, buffers), reader(buffers), (m, n) -> { }, buffers);
  }

  static YuNetDetector yunetDetector(TensorBuffers buffers, int maxBatch, int maxPassPx, AtomicInteger runs) {
    return new YuNetDetector(yunet, new YuNetDetector.Params(0.3, 2, maxPassPx, 0.5, 3, false, 0),
        (m, n) -> runs.incrementAndGet(), buffers, maxBatch);
  }

  @Test
  void theTextDetectorAndItsReaderFindTheSameLinesWithReusedBuffersAndPinnedOutputs() throws Exception {
    Mat img = street();
    List<Detection> before = textDetector(TensorBuffers.perCall()).detect(img);
    PlateDetector after = textDetector(TensorBuffers.reused());
    after.detect(larger());
    assertThat(before).isNotEmpty();
    assertThat(after.detect(img)).isEqualTo(before);
    assertThat(after.detect(img)).as("a second run on the same buffers").isEqualTo(before);
  }

  @Test
  void thePlateMapItsClassifierAndItsReaderGiveTheSameBoxesWithReusedBuffers() throws Exception {
    Mat img = PlateMapModelTest.photoWithPlate(new Rect(30, 280, 170, 38));
    List<Detection> before = plateMapDetector(TensorBuffers.perCall()).detect(img);
    PlateMapDetector after = plateMapDetector(TensorBuffers.reused());
    after.detect(larger());
    assertThat(before).isNotEmpty();
    assertThat(after.detect(img)).isEqualTo(before);
  }

  @Test
  void thePlateMapInputIsZeroPaddedInAReusedBufferThatHeldALargerFrame() throws Exception {
    Mat img = PlateMapModelTest.photoWithPlate(new Rect(30, 280, 170, 38));
    int[] hw = PlateMapDetector.inputSize(img.cols(), img.rows(), 1920);
    assertThat(hw[1]).as("padded columns").isGreaterThan(img.cols());
    assertThat(hw[0]).as("padded rows").isGreaterThan(img.rows());
    TensorBuffers reused = TensorBuffers.reused();
    Mat big = larger();
    try (TensorBuffers.Scope scope = reused.open()) {
      PlateMapDetector.tensor(big, PlateMapDetector.inputSize(big.cols(), big.rows(), 1920), scope).close();
    }
    try (TensorBuffers.Scope freshScope = TensorBuffers.perCall().open();
         TensorBuffers.Scope reusedScope = reused.open();
         ai.onnxruntime.OnnxTensor fresh = PlateMapDetector.tensor(img, hw, freshScope);
         ai.onnxruntime.OnnxTensor again = PlateMapDetector.tensor(img, hw, reusedScope)) {
      float[] want = fresh.getFloatBuffer().array();
      float[] got = again.getFloatBuffer().array();
      assertThat(got.length).isEqualTo(want.length);
      // The first differing float (-1: none); a diff of 600 000 floats would take minutes to print.
      assertThat(java.util.Arrays.mismatch(got, want)).isEqualTo(-1);
    }
  }

  @Test
  void theRecogniserReadsTheSameWithAPinnedOutputOnceItKnowsTheWidth() throws Exception {
    Mat img = TestAssets.image("messi5.jpg");
    Box plate = PlateDetectorTest.drawPlate(img, 30, 270, "KA05 MX 2391", 0.8);
    Box shorter = PlateDetectorTest.drawPlate(img, 330, 40, "8FV480", 0.9);
    List<TextRecognizer.Reading> before = new TextRecognizer(textRec, characters, (m, n) -> { },
        TensorBuffers.perCall()).read(img, List.of(plate, shorter));
    TextRecognizer after = new TextRecognizer(textRec, characters, (m, n) -> { }, TensorBuffers.reused());
    // The first run at this width learns the output shape (unpinned), the next pins it; the
    // batch in between puts the long plate where the short line goes, so stale pixels would
    // lie right of the short line unless its padding is cleared.
    assertThat(after.read(img, List.of(plate, shorter))).isEqualTo(before);
    after.read(img, List.of(plate, plate));
    assertThat(after.read(img, List.of(plate, shorter))).isEqualTo(before);
    assertThat(PlateText.alnum(before.get(0).text())).isEqualTo("KA05MX2391");
  }

  @Test
  void yunetGivesTheSameFacesWithReusedBuffersAndPinnedOutputs() throws Exception {
    Mat img = TestAssets.image("messi5.jpg");
    AtomicInteger runs = new AtomicInteger();
    List<Detection> before = yunetDetector(TensorBuffers.perCall(), 1, 1920, runs).detect(img);
    YuNetDetector after = yunetDetector(TensorBuffers.reused(), 1, 1920, runs);
    after.detect(larger());
    assertThat(before).anySatisfy(d -> assertThat(d.box().iou(YuNetDetectorTest.MESSI)).isGreaterThan(0.4));
    assertThat(after.detect(img)).isEqualTo(before);
  }

  @Test
  void yunetSearchesTheTilesOfAPassInBatchesAndFindsWhatOneRunPerTileFound() throws Exception {
    Mat img = TestAssets.image("messi5.jpg");
    // 256 px passes: this 548 x 342 photo and its 2x pass are cut into tiles of one input size.
    AtomicInteger single = new AtomicInteger();
    List<Detection> before = yunetDetector(TensorBuffers.perCall(), 1, 256, single).detect(img);
    AtomicInteger batched = new AtomicInteger();
    List<Detection> after = yunetDetector(TensorBuffers.reused(), 4, 256, batched).detect(img);
    assertThat(batched.get()).as("model runs").isLessThan(single.get());
    assertSameDetections(after, before);
    assertThat(before).anySatisfy(d -> assertThat(d.box().iou(YuNetDetectorTest.MESSI)).isGreaterThan(0.4));
  }

  @Test
  void batchesGroupOnlyPassesOfOneInputSizeUpToTheLimits() {
    List<YuNetDetector.Pass> passes = YuNetDetector.passes(1920, 1080,
        new YuNetDetector.Params(0.3, 2, 640, 0, 3, false, 0));
    List<List<YuNetDetector.Pass>> batches = YuNetDetector.batches(passes, 4);
    assertThat(batches.stream().mapToInt(List::size).sum()).isEqualTo(passes.size());
    List<YuNetDetector.Pass> flattened = batches.stream().flatMap(List::stream).toList();
    assertThat(flattened).isEqualTo(passes);
    for (List<YuNetDetector.Pass> b : batches) {
      assertThat(b).hasSizeBetween(1, 4);
      YuNetTranslator.Placement p = b.get(0).placement();
      assertThat(b).allSatisfy(x -> {
        assertThat(x.placement().inputWidth()).isEqualTo(p.inputWidth());
        assertThat(x.placement().inputHeight()).isEqualTo(p.inputHeight());
      });
      assertThat((long) b.size() * p.floats()).isLessThanOrEqualTo(YuNetDetector.MAX_BATCH_FLOATS);
    }
    assertThat(batches).anySatisfy(b -> assertThat(b).hasSizeGreaterThan(1));
    assertThat(YuNetDetector.batches(passes, 1)).allSatisfy(b -> assertThat(b).hasSize(1));
  }

  @Test
  void twoThreadsOnOneDetectorNeverSeeEachOthersBuffers() throws Exception {
    Mat a = street();
    Mat b = larger();
    PlateMapDetector shared = plateMapDetector(TensorBuffers.reused());
    AtomicInteger runs = new AtomicInteger();
    YuNetDetector faces = yunetDetector(TensorBuffers.reused(), 4, 1920, runs);
    List<Detection> wantA = concat(plateMapDetector(TensorBuffers.perCall()).detect(a),
        yunetDetector(TensorBuffers.perCall(), 1, 1920, runs).detect(a));
    List<Detection> wantB = concat(plateMapDetector(TensorBuffers.perCall()).detect(b),
        yunetDetector(TensorBuffers.perCall(), 1, 1920, runs).detect(b));
    assertThat(wantA).isNotEqualTo(wantB);
    List<List<Detection>> gotA = new ArrayList<>();
    List<List<Detection>> gotB = new ArrayList<>();
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
    Thread ta = new Thread(() -> repeat(start, shared, faces, a, gotA, failures));
    Thread tb = new Thread(() -> repeat(start, shared, faces, b, gotB, failures));
    ta.start();
    tb.start();
    ta.join();
    tb.join();
    assertThat(failures).isEmpty();
    assertThat(gotA).hasSize(4).allSatisfy(r -> assertThat(r).isEqualTo(wantA));
    assertThat(gotB).hasSize(4).allSatisfy(r -> assertThat(r).isEqualTo(wantB));
  }

  private static void repeat(java.util.concurrent.CyclicBarrier start, PlateMapDetector plates, YuNetDetector faces,
      Mat img, List<List<Detection>> out, List<Throwable> failures) {
    try {
      start.await();
      for (int i = 0; i < 4; i++) {
        out.add(concat(plates.detect(img), faces.detect(img)));
      }
    } catch (Exception | AssertionError e) {
      failures.add(e);
    }
  }

  private static List<Detection> concat(List<Detection> x, List<Detection> y) {
    List<Detection> all = new ArrayList<>(x);
    all.addAll(y);
    return all;
  }

  /**
   * A batched convolution may sum in another order than a single one: the same detections, each
   * box within a hundredth of a pixel and each score within 1e-4.
   */
  static void assertSameDetections(List<Detection> got, List<Detection> want) {
    assertThat(got).hasSameSizeAs(want);
    for (Detection w : want) {
      assertThat(got).as("a match for " + w).anySatisfy(g -> {
        assertThat(g.cls()).isEqualTo(w.cls());
        assertThat(Math.abs(g.score() - w.score())).isLessThan(1e-4);
        assertThat(Math.abs(g.box().x() - w.box().x())).isLessThan(0.01);
        assertThat(Math.abs(g.box().y() - w.box().y())).isLessThan(0.01);
        assertThat(Math.abs(g.box().w() - w.box().w())).isLessThan(0.01);
        assertThat(Math.abs(g.box().h() - w.box().h())).isLessThan(0.01);
      });
    }
  }

  @Test
  void aPinnedOutputOfTheWrongShapeFailsTheRunInsteadOfReadingGarbage() throws Exception {
    try (TensorBuffers.Scope buffers = TensorBuffers.perCall().open();
         ai.onnxruntime.OnnxTensor t = ai.onnxruntime.OnnxTensor.createTensor(
            ai.onnxruntime.OrtEnvironment.getEnvironment(), buffers.direct(TensorBuffers.slot("test input"), 3 * 64 * 96),
            new long[] {1, 3, 64, 96});
         PinnedOutputs wrong = PinnedOutputs.none().pin("plate_prob",
             buffers.direct(TensorBuffers.slot("test output"), 16 * 24), new long[] {1, 1, 24, 16})) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> plateMap.run(Map.of("image", t), wrong).close())
          .isInstanceOf(ai.onnxruntime.OrtException.class);
    }
  }
}
