package dev.edgeagent.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgeagent.capture.OpenCv;
import dev.edgeagent.detect.Box;
import dev.edgeagent.detect.ObjectClass;
import dev.edgeagent.redact.Redaction;
import dev.edgeagent.redact.RedactionMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

class LeakCounterTest {
  static {
    OpenCv.ensureLoaded();
  }

  @TempDir
  Path tmp;

  static MotSequence.Row face(int frame, long id, double x, boolean counted) {
    return new MotSequence.Row(frame, id, ObjectClass.FACE, new Box(x, 10, 20, 20), counted, 1);
  }

  static Redaction over(double x, double w) {
    Box b = new Box(x, 10, w, 20);
    return new Redaction(ObjectClass.FACE, b, b, 0.9, RedactionMode.SOLID, 0);
  }

  @Test
  void countsLeakedFramesTracksAndTheLongestRunOfOneTrack() {
    LeakCounter c = new LeakCounter();
    // Track 1: covered, leaked, leaked, ignored (hidden), leaked, covered -> a run of 3 across the hidden frame.
    boolean[] covered = {true, false, false, true, false, true};
    for (int f = 1; f <= 6; f++) {
      boolean ignored = f == 4;
      List<Redaction> rs = covered[f - 1] && !ignored ? List.of(over(100, 20)) : List.of();
      c.add("clip", f, 320, 240, List.of(face(f, 1, 100, !ignored)), Map.of(), rs);
    }
    // Track 2 on another clip: 85% covered is a leak (90% needed).
    c.add("other", 1, 320, 240, List.of(face(1, 1, 100, true)), Map.of(), List.of(over(100, 17)));
    JsonNode j = c.toJson();
    assertThat(j.get("object_frames").asLong()).isEqualTo(6);
    assertThat(j.get("leaked_object_frames").asLong()).isEqualTo(4);
    assertThat(j.get("tracks").asLong()).isEqualTo(2);
    assertThat(j.get("leaked_tracks").asLong()).isEqualTo(2);
    assertThat(j.get("tracks_leaked_2_or_more_consecutive").asLong()).isEqualTo(1);
    assertThat(j.get("longest_leak_frames").asInt()).isEqualTo(3);
    assertThat(j.at("/longest_leak/clip").asText()).isEqualTo("clip");
    assertThat(j.at("/longest_leak/last_frame").asInt()).isEqualTo(5);
    assertThat(c.leaks()).hasSize(4).allSatisfy(l -> assertThat(l.covered()).isLessThan(0.9));
    assertThat(j.at("/plate/object_frames").asLong()).isZero();
    assertThat(j.at("/plate/leaked_fraction").isNull()).isTrue();
  }

  @Test
  void totalsAddedUpFromEachClipEqualOneCounterThatSawEveryFrame() {
    LeakCounter both = new LeakCounter();
    LeakCounter a = new LeakCounter();
    LeakCounter b = new LeakCounter();
    // Clip by clip, as eval-video feeds them.
    for (int f = 1; f <= 3; f++) {
      List<Redaction> rs = f == 2 ? List.of() : List.of(over(100, 20));
      both.add("a", f, 320, 240, List.of(face(f, 1, 100, true)), Map.of(), rs);
      a.add("a", f, 320, 240, List.of(face(f, 1, 100, true)), Map.of(), rs);
    }
    for (int f = 1; f <= 3; f++) {
      both.add("b", f, 320, 240, List.of(face(f, 1, 100, true)), Map.of(), List.of());
      b.add("b", f, 320, 240, List.of(face(f, 1, 100, true)), Map.of(), List.of());
    }
    LeakCounter total = new LeakCounter();
    total.addAll(a);
    total.addAll(b);
    assertThat(total.toJson()).isEqualTo(both.toJson());
    assertThat(total.leaks()).isEqualTo(both.leaks());
    assertThat(total.frames()).isEqualTo(6);
    assertThat(total.toJson().get("tracks").asInt()).isEqualTo(2);
  }

  @Test
  void aRegionIsCorrectWhenItOverlapsAnyTruthOfItsFrameIgnoredOnesIncluded() {
    LeakCounter c = new LeakCounter();
    c.add("clip", 1, 320, 240, List.of(face(1, 1, 100, false)), Map.of(), List.of(over(95, 30), over(200, 20)));
    JsonNode j = c.toJson();
    assertThat(j.get("regions").asLong()).isEqualTo(2);
    assertThat(j.get("precision").asDouble()).isEqualTo(0.5);
    assertThat(j.get("object_frames").asLong()).isZero();
  }

  @Test
  void leaksAreSplitBySpeed() {
    LeakCounter c = new LeakCounter();
    MotSequence.Row slow = face(2, 1, 100, true);
    MotSequence.Row fast = face(2, 2, 200, true);
    c.add("clip", 2, 320, 240, List.of(slow, fast), Map.of(slow, 2.0, fast, 35.0), List.of(over(100, 20)));
    JsonNode bins = c.toJson().get("by_speed_px_per_frame");
    assertThat(bins.get(0).get("speed").asText()).isEqualTo("0-5");
    assertThat(bins.get(0).get("leaked").asLong()).isZero();
    assertThat(bins.get(4).get("speed").asText()).isEqualTo("30+");
    assertThat(bins.get(4).get("leaked").asLong()).isEqualTo(1);
  }

  @Test
  void aSequenceIsReadWithItsSparseFramesAndSpeeds() throws Exception {
    Path clip = tmp.resolve("c");
    Files.createDirectories(clip.resolve("gt"));
    Files.writeString(clip.resolve("seqinfo.ini"), "[Sequence]\nname=walk\nseqLength=30\nsource=walk.avi\n");
    Files.writeString(clip.resolve("gt/gt.txt"), "1,4,10,10,20,20,1,1,1\n11,4,110,10,20,20,1,1,1\n11,5,0,0,8,4,0,2,0.1\n");
    Files.writeString(clip.resolve("frames.txt"), "1\n11\n21\n");
    MotSequence s = MotSequence.load(clip);
    assertThat(s.name()).isEqualTo("walk");
    assertThat(s.declaredLength()).isEqualTo(30);
    assertThat(s.annotated(21)).isTrue();
    assertThat(s.annotated(2)).isFalse();
    assertThat(s.rows(11)).extracting(MotSequence.Row::cls).containsExactly(ObjectClass.FACE, ObjectClass.PLATE);
    assertThat(s.rows(11).get(1).counted()).isFalse();
    assertThat(s.speeds().get(s.rows(11).get(0))).isEqualTo(10.0);
    assertThatThrownBy(() -> s.frames(null)).isInstanceOf(DatasetException.class).hasMessageContaining("--media");
    Files.writeString(tmp.resolve("walk.avi"), "");
    assertThat(s.frames(tmp)).isEqualTo(tmp.resolve("walk.avi"));
    Files.writeString(clip.resolve("seqinfo.ini"), "[Sequence]\nname=walk\nsource=walk.avi\nsha256=" + "0".repeat(64) + "\n");
    assertThatThrownBy(() -> MotSequence.load(clip).frames(tmp)).isInstanceOf(DatasetException.class)
        .hasMessageContaining("is not the video");
  }

  @Test
  void aBrokenAnnotationNamesTheLineAndWhatIsWrong() throws Exception {
    Path clip = tmp.resolve("bad");
    Files.createDirectories(clip);
    Files.writeString(clip.resolve("gt.txt"), "1,1,10,10,20,20,1,1,1\n2,1,10,10,20,20,1,3,1\n");
    assertThatThrownBy(() -> MotSequence.load(clip)).isInstanceOf(DatasetException.class)
        .hasMessageContaining("gt.txt:2").hasMessageContaining("class 3");
    Files.writeString(clip.resolve("gt.txt"), "1,1,10,10,20,20,1\n");
    Files.writeString(clip.resolve("frames.txt"), "5\n");
    assertThatThrownBy(() -> MotSequence.load(clip)).isInstanceOf(DatasetException.class)
        .hasMessageContaining("frame 1 has boxes but is not listed");
    assertThatThrownBy(() -> MotSequence.loadAll(tmp.resolve("nothing"))).isInstanceOf(DatasetException.class);
  }

  @Test
  void aPartlyHiddenObjectIsScoredOnItsVisiblePixels() throws Exception {
    // A 20 x 20 face whose right half is behind a pole; the redaction covers the left half only.
    Path mask = tmp.resolve("000001_1.png");
    Mat m = new Mat(20, 20, CvType.CV_8UC1, new Scalar(0));
    m.submat(new Rect(0, 0, 10, 20)).setTo(new Scalar(255));
    Imgcodecs.imwrite(mask.toString(), m);
    MotSequence.Row half = new MotSequence.Row(1, 1, ObjectClass.FACE, new Box(100, 10, 20, 20), true, 0.5, mask);
    LeakCounter c = new LeakCounter();
    c.add("clip", 1, 320, 240, List.of(half), Map.of(), List.of(over(100, 10)));
    assertThat(c.toJson().get("leaked_object_frames").asLong()).isZero();
    // Without the mask the same redaction leaves half the box: a leak.
    LeakCounter plain = new LeakCounter();
    plain.add("clip", 1, 320, 240, List.of(face(1, 1, 100, true)), Map.of(), List.of(over(100, 10)));
    assertThat(plain.toJson().get("leaked_object_frames").asLong()).isEqualTo(1);
    // Covering the hidden half instead of the visible one leaks.
    LeakCounter wrong = new LeakCounter();
    wrong.add("clip", 1, 320, 240, List.of(half), Map.of(), List.of(over(110, 10)));
    assertThat(wrong.toJson().get("leaked_object_frames").asLong()).isEqualTo(1);
    m.release();
  }

  @Test
  void aSequenceFindsTheVisibilityMaskOfARow() throws Exception {
    Path clip = tmp.resolve("m");
    Files.createDirectories(clip.resolve("gt/visible"));
    Files.writeString(clip.resolve("gt/gt.txt"), "3,2,10,10,20,20,1,1,0.5\n4,2,12,10,20,20,1,1,1\n");
    Files.writeString(clip.resolve("gt/visible/000003_2.png"), "");
    MotSequence s = MotSequence.load(clip);
    assertThat(s.rows(3).get(0).visibleMask()).isEqualTo(clip.resolve("gt/visible/000003_2.png"));
    assertThat(s.rows(4).get(0).visibleMask()).isNull();
  }
}
