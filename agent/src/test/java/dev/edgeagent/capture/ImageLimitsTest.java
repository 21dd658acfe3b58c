package dev.edgeagent.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgeagent.TestAssets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;

class ImageLimitsTest {
  @TempDir
  Path tmp;

  static final ImageLimits DEFAULTS = ImageLimits.defaults();

  @Test
  void theCraftedPngIsWellFormedAndSmall() throws Exception {
    Path bomb = CraftedPng.write(tmp.resolve("bomb.png"), 50_000, 50_000);
    byte[] b = Files.readAllBytes(bomb);
    assertThat(b.length).as("a few hundred bytes").isLessThan(1024);
    // The IHDR CRC (bytes 29..32) covers its type and data (bytes 12..28).
    CRC32 crc = new CRC32();
    crc.update(b, 12, 17);
    assertThat(java.nio.ByteBuffer.wrap(b, 29, 4).getInt()).isEqualTo((int) crc.getValue());
    assertThat(ImageHeader.read(bomb)).isEqualTo(new ImageHeader.Size(50_000, 50_000));
  }

  @Test
  void everyFormatTheAgentReadsDeclaresTheSizeItDecodesTo() throws Exception {
    Mat messi = TestAssets.image("messi5.jpg");
    assertThat(ImageHeader.read(TestAssets.media("messi5.jpg")))
        .isEqualTo(new ImageHeader.Size(messi.cols(), messi.rows()));
    Mat odd = messi.submat(0, 301, 0, 457); // odd sizes catch a width/height mix-up
    for (String name : new String[] {"a.png", "a.bmp", "a.ppm", "a.pgm", "a.tiff", "a.jpg", "lossy.webp",
        "lossless.webp"}) {
      Path f = tmp.resolve(name);
      MatOfInt params = new MatOfInt(Imgcodecs.IMWRITE_WEBP_QUALITY, name.startsWith("lossless") ? 101 : 80);
      Mat img = odd;
      if (name.endsWith(".pgm")) {
        img = new Mat();
        org.opencv.imgproc.Imgproc.cvtColor(odd, img, org.opencv.imgproc.Imgproc.COLOR_BGR2GRAY);
      }
      assertThat(Imgcodecs.imwrite(f.toString(), img, params)).as(name).isTrue();
      Mat decoded = Imgcodecs.imread(f.toString());
      assertThat(ImageHeader.read(f)).as(name).isEqualTo(new ImageHeader.Size(decoded.cols(), decoded.rows()))
          .isEqualTo(new ImageHeader.Size(457, 301));
      assertThat(DEFAULTS.check(f)).as(name).isEqualTo(new ImageHeader.Size(457, 301));
    }
  }

  @Test
  void theDefaultsTakeAn8kImage() throws Exception {
    Path uhd = CraftedPng.write(tmp.resolve("8k.png"), 7680, 4320);
    assertThat(DEFAULTS.check(uhd)).isEqualTo(new ImageHeader.Size(7680, 4320));
  }

  @Test
  void aHeaderClaimingTooMuchIsRefusedNamingTheLimit() throws Exception {
    Path bomb = CraftedPng.write(tmp.resolve("bomb.png"), 50_000, 50_000);
    assertThatThrownBy(() -> DEFAULTS.check(bomb)).isInstanceOf(CaptureException.class)
        .hasMessageContaining("bomb.png").hasMessageContaining("50000 x 50000")
        .hasMessageContaining("capture.max_image_side")
        .satisfies(e -> assertThat(((CaptureException) e).missing()).as("bad data, not a missing input").isFalse());
    ImageLimits sidesAllowed = new ImageLimits(DEFAULTS.maxPixels(), 100_000, DEFAULTS.maxBytes());
    assertThatThrownBy(() -> sidesAllowed.check(bomb)).hasMessageContaining("2500000000 pixels")
        .hasMessageContaining("capture.max_image_pixels");
  }

  @Test
  void aFileOverTheByteLimitIsRefusedBeforeItsHeaderIsRead() throws Exception {
    Path messi = TestAssets.media("messi5.jpg");
    ImageLimits small = new ImageLimits(DEFAULTS.maxPixels(), DEFAULTS.maxSide(), 1024);
    assertThatThrownBy(() -> small.check(messi)).hasMessageContaining("capture.max_image_bytes");
  }

  @Test
  void aFileWithNoKnownHeaderIsRefused() throws Exception {
    Path junk = Files.write(tmp.resolve("junk.jpg"), new byte[] {1, 2, 3, 4, 5});
    assertThatThrownBy(() -> DEFAULTS.check(junk)).isInstanceOf(CaptureException.class)
        .hasMessageContaining("unreadable image header");
    Path cut = Files.write(tmp.resolve("cut.jpg"), java.util.Arrays.copyOf(Files.readAllBytes(
        TestAssets.media("messi5.jpg")), 10));
    assertThatThrownBy(() -> DEFAULTS.check(cut)).hasMessageContaining("cut short");
  }

  @Test
  void aFolderSkipsAndCountsTheBombAndGoesOnWithTheRealImage() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    CraftedPng.write(in.resolve("a-bomb.png"), 50_000, 50_000);
    Files.copy(TestAssets.media("messi5.jpg"), in.resolve("b-messi.jpg"));
    try (FrameSource s = Sources.open("cam", in.toString(), 2, false, DEFAULTS)) {
      RawFrame f = s.next();
      assertThat(f).isNotNull();
      assertThat(f.meta().sourceName()).isEqualTo("b-messi.jpg");
      f.close();
      assertThat(s.next()).isNull();
      assertThat(s.unreadable()).isEqualTo(1);
      assertThat(((ImageFolderSource) s).unreadableReasons()).singleElement().asString()
          .contains("a-bomb.png").contains("capture.max_image_side");
    }
  }
}
