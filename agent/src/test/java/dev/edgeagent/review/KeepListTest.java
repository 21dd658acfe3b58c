package dev.edgeagent.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgeagent.detect.Box;
import dev.edgeagent.detect.Detection;
import dev.edgeagent.detect.ObjectClass;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeepListTest {
  @TempDir
  Path tmp;

  private static final InputFingerprint INPUT = new InputFingerprint("a".repeat(64), "drive 0412.mp4");
  private static final Detection FACE = new Detection(ObjectClass.FACE, new Box(100, 200, 40, 48), 0.8);

  private KeepList load(String... lines) throws Exception {
    Path f = tmp.resolve("keep.txt");
    Files.writeString(f, String.join("\n", lines) + "\n");
    return KeepList.load(f, INPUT);
  }

  @Test
  void keepsExactlyTheListedRegionOnItsFrameAndNothingElse() throws Exception {
    KeepList keep = load("# a comment", "", KeepList.inputLine(INPUT),
        "keep frame=12 class=face box=101,199,40,50   # the poster");

    assertThat(keep.input().name()).isEqualTo("drive 0412.mp4");
    assertThat(keep.keepReason(11, FACE)).as("another frame").isNull();
    assertThat(keep.keepReason(12, new Detection(ObjectClass.PLATE, FACE.box(), 0.9))).as("another class").isNull();
    assertThat(keep.keepReason(12, new Detection(ObjectClass.FACE, new Box(300, 200, 40, 48), 0.8)))
        .as("another place on the frame").isNull();
    assertThat(keep.unmatched()).hasSize(1);

    assertThat(keep.keepReason(12, FACE)).isEqualTo("keep.txt:4");
    assertThat(keep.keepReason(12, FACE)).as("one entry keeps one region, not a duplicate box").isNull();
    assertThat(keep.unmatched()).isEmpty();
    assertThat(keep.matches()).singleElement().satisfies(m -> {
      assertThat(m.entry().frame()).isEqualTo(12);
      assertThat(m.detection()).isEqualTo(FACE);
    });
  }

  @Test
  void aBoxOverlappingLessThanHalfIsNotKept() throws Exception {
    KeepList keep = load(KeepList.inputLine(INPUT), "keep frame=0 class=face box=100,200,40,48");
    // shifted by half its width: IoU = 1/3
    assertThat(keep.keepReason(0, new Detection(ObjectClass.FACE, new Box(120, 200, 40, 48), 0.8))).isNull();
    assertThat(keep.keepReason(0, FACE)).isNotNull();
  }

  @Test
  void theFormattedLineReadsBackAsTheSameRegion() throws Exception {
    String line = KeepList.format(7, ObjectClass.PLATE, new Box(10.4, 20.6, 30.2, 9.7));
    assertThat(line).isEqualTo("keep frame=7 class=plate box=10,21,30,10");
    KeepList keep = load(KeepList.inputLine(INPUT), line);
    assertThat(keep.entries()).singleElement().satisfies(e -> {
      assertThat(e.frame()).isEqualTo(7);
      assertThat(e.cls()).isEqualTo(ObjectClass.PLATE);
    });
  }

  @Test
  void aListMadeForAnotherInputIsRefused() throws Exception {
    Path f = tmp.resolve("keep.txt");
    Files.writeString(f, "input " + "b".repeat(64) + " other.mp4\nkeep frame=1 class=face box=1,1,5,5\n");
    assertThatThrownBy(() -> KeepList.load(f, INPUT)).isInstanceOf(KeepListException.class)
        .hasMessageContaining("made for other.mp4").hasMessageContaining("not for this input drive 0412.mp4");
  }

  @Test
  void badLinesAreNamedWithTheirNumber() throws Exception {
    String in = KeepList.inputLine(INPUT);
    assertThatThrownBy(() -> load(in, "keep frame=1 class=dog box=1,1,5,5"))
        .hasMessageContaining("line 2").hasMessageContaining("'dog' is not a class");
    assertThatThrownBy(() -> load(in, "keep frame=1 class=face box=1,1,0,5")).hasMessageContaining("no area");
    assertThatThrownBy(() -> load(in, "keep frame=x class=face box=1,1,5,5")).hasMessageContaining("line 2: frame");
    assertThatThrownBy(() -> load(in, "keep class=face box=1,1,5,5")).hasMessageContaining("needs frame=N");
    assertThatThrownBy(() -> load(in, "keep frame=1 class=face box=1,1,5,5 colour=red"))
        .hasMessageContaining("unknown field 'colour'");
    assertThatThrownBy(() -> load(in, "remove frame=1")).hasMessageContaining("line 2: unknown line 'remove'");
    assertThatThrownBy(() -> load("keep frame=1 class=face box=1,1,5,5")).hasMessageContaining("no 'input");
    assertThatThrownBy(() -> load(in, in)).hasMessageContaining("a second input line");
  }

  @Test
  void aFolderFingerprintChangesWithAnyFileNameOrContent() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("frames"));
    Files.writeString(dir.resolve("a.jpg"), "one");
    Files.writeString(dir.resolve("b.jpg"), "two");
    InputFingerprint first = InputFingerprint.of(dir);
    assertThat(InputFingerprint.of(dir)).isEqualTo(first);
    Files.writeString(dir.resolve("b.jpg"), "tw0");
    InputFingerprint changed = InputFingerprint.of(dir);
    assertThat(changed.sha256()).isNotEqualTo(first.sha256());
    Files.move(dir.resolve("b.jpg"), dir.resolve("c.jpg"));
    assertThat(InputFingerprint.of(dir).sha256()).isNotEqualTo(changed.sha256());
    assertThat(InputFingerprint.of(dir.resolve("a.jpg")).sha256())
        .isEqualTo("7692c3ad3540bb803c020b3aee66cd8887123234ea0c6e7143c0add73ff431ed");
  }
}
