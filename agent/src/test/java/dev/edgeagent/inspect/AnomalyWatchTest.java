package dev.edgeagent.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.edgeagent.detect.OwnModelManifest;
import dev.edgeagent.redact.AnonymizedFrame;
import dev.edgeagent.redact.TestFrames;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The watch scores frames beside the camera, never in its way, and every frame after a result
 * carries the newest one, naming the frame it describes. Frames are noise (192 x 192, about half
 * a second to score on one thread), which the field flow finds unusual; their capture clock is
 * 1 ms per sequence number ({@link TestFrames}).
 */
class AnomalyWatchTest {
  private static final Duration SCORING = Duration.ofMinutes(2);

  /** Scored and failed cameras, as the watch reported them. */
  private static final class Calls implements AnomalyWatch.Listener {
    final List<String> scored = new CopyOnWriteArrayList<>();
    final List<String> failed = new CopyOnWriteArrayList<>();

    @Override
    public void scored(String camera, long nanos) {
      assertThat(nanos).isPositive();
      scored.add(camera);
    }

    @Override
    public void failed(String camera) {
      failed.add(camera);
    }
  }

  private static AnonymizedFrame frame(long seq) {
    return TestFrames.anonymized("gimbal", seq, 192, 192, true);
  }

  @Test
  void framesAfterAScoredOneCarryItsSummaryNamingTheAnalysedFrame() throws Exception {
    Calls calls = new Calls();
    try (PatchFlowModel model = PatchFlowModelTest.load();
         AnomalyWatch watch = new AnomalyWatch(new CropInspector(model), new AnomalyWatch.Options(60_000, 30_000, 2),
             calls)) {
      try (AnonymizedFrame first = watch.attach(frame(1))) {
        assertThat(first.anomaly()).as("nothing was scored before the first frame").isNull();
        assertThat(first.pixels().empty()).isFalse();
      }
      await().atMost(SCORING).until(() -> !watch.scoring());
      assertThat(calls.scored).containsExactly("gimbal");

      AnonymizedFrame.Anomaly a;
      try (AnonymizedFrame later = watch.attach(frame(5))) {
        a = later.anomaly();
        assertThat(later.meta().sequence()).isEqualTo(5);
        assertThat(later.redactions()).hasSize(1);
      }
      assertThat(a).isNotNull();
      assertThat(a.analysedSequence()).isEqualTo(1);
      assertThat(a.analysedWallMillis()).isEqualTo(1_795_000_000_001L);
      assertThat(a.ageMillis()).isEqualTo(4);
      assertThat(a.model().id()).isEqualTo(PatchFlowModel.NAME);
      assertThat(a.model().sha256()).isEqualTo(OwnModelManifest.load().get(PatchFlowModel.NAME).orElseThrow().sha256());
      assertThat(a.threshold()).isEqualTo(model.contract().threshold());
      assertThat(a.scoreRule()).isEqualTo(model.contract().scoreRule().key());
      assertThat(a.score()).as("noise is unusual for a field flow").isGreaterThan(a.threshold());
      assertThat(a.flaggedRegions()).isPositive();
      assertThat(a.regions()).hasSizeBetween(1, 2).hasSizeLessThanOrEqualTo(a.flaggedRegions());
      assertThat(a.regions()).allSatisfy(r -> {
        assertThat(r.box().x()).isBetween(0.0, 192.0);
        assertThat(r.box().x() + r.box().w()).isLessThanOrEqualTo(192.0);
        assertThat(r.box().y() + r.box().h()).isLessThanOrEqualTo(192.0);
        assertThat(r.score()).isGreaterThanOrEqualTo(r.meanScore());
        assertThat(r.patches()).isPositive();
      });
      assertThat(a.regions().get(0).score()).isEqualTo(a.score());
      assertThat(watch.scoring()).as("within the interval nothing new is offered").isFalse();
      assertThat(calls.scored).hasSize(1);
    }
  }

  @Test
  void aCameraIsScoredAgainOnlyAfterTheIntervalAndOldResultsAreNotAttached() throws Exception {
    Calls calls = new Calls();
    try (PatchFlowModel model = PatchFlowModelTest.load();
         AnomalyWatch watch = new AnomalyWatch(new CropInspector(model), new AnomalyWatch.Options(100, 50, 5),
             calls)) {
      watch.attach(frame(1)).close();
      await().atMost(SCORING).until(() -> !watch.scoring());
      try (AnonymizedFrame young = watch.attach(frame(50))) {
        assertThat(young.anomaly()).isNotNull();
        assertThat(young.anomaly().ageMillis()).isEqualTo(49);
      }
      try (AnonymizedFrame old = watch.attach(frame(99))) {
        assertThat(old.anomaly()).as("captured 98 ms after the analysed frame: older than max age 50").isNull();
      }
      assertThat(calls.scored).as("frames 50 and 99 came within the 100 ms interval").hasSize(1);
      watch.attach(frame(101)).close();
      await().atMost(SCORING).until(() -> calls.scored.size() == 2);
      await().atMost(SCORING).until(() -> !watch.scoring());
      try (AnonymizedFrame next = watch.attach(frame(120))) {
        assertThat(next.anomaly().analysedSequence()).isEqualTo(101);
      }
      assertThat(calls.failed).isEmpty();
    }
  }

  @Test
  void aFailedScoringClearsTheCamerasResultAndIsReported() throws Exception {
    Calls calls = new Calls();
    PatchFlowModel model = PatchFlowModelTest.load();
    try (AnomalyWatch watch = new AnomalyWatch(new CropInspector(model), new AnomalyWatch.Options(0, 60_000, 5),
        calls)) {
      watch.attach(frame(1)).close();
      await().atMost(SCORING).until(() -> !watch.scoring());
      try (AnonymizedFrame f = watch.attach(frame(2))) {
        assertThat(f.anomaly()).isNotNull();
      }
      await().atMost(SCORING).until(() -> calls.scored.size() == 2 && !watch.scoring());
      model.close(); // every later run of the flow fails
      watch.attach(frame(3)).close();
      await().atMost(SCORING).until(() -> calls.failed.size() == 1 && !watch.scoring());
      try (AnonymizedFrame f = watch.attach(frame(4))) {
        assertThat(f.anomaly()).as("an old result must not pass for a current one").isNull();
      }
      assertThat(calls.failed).containsOnly("gimbal");
    }
  }

  @Test
  void closingStopsScoringAndNothingIsOfferedAfter() throws Exception {
    Calls calls = new Calls();
    try (PatchFlowModel model = PatchFlowModelTest.load()) {
      AnomalyWatch watch = new AnomalyWatch(new CropInspector(model), new AnomalyWatch.Options(0, 60_000, 5), calls);
      watch.attach(frame(1)).close();
      assertThat(watch.close(60_000)).as("the run in progress ended").isTrue();
      try (AnonymizedFrame f = watch.attach(frame(2))) {
        assertThat(watch.scoring()).isFalse();
        assertThat(f.anomaly()).isNull();
      }
      assertThat(calls.failed).as("a run terminated by close is not a failure").isEmpty();
    }
  }

  @Test
  void theFrameThatCarriesASummaryTakesOverThePixels() throws Exception {
    try (PatchFlowModel model = PatchFlowModelTest.load();
         AnomalyWatch watch = new AnomalyWatch(new CropInspector(model), new AnomalyWatch.Options(60_000, 60_000, 5),
             AnomalyWatch.Listener.NONE)) {
      watch.attach(frame(1)).close();
      await().atMost(SCORING).until(() -> !watch.scoring());
      AnonymizedFrame in = frame(2);
      try (AnonymizedFrame out = watch.attach(in)) {
        assertThat(out).isNotSameAs(in);
        assertThat(out.pixels().cols()).isEqualTo(192);
        assertThatThrownBy(in::pixels).isInstanceOf(IllegalStateException.class);
      }
    }
  }
}
