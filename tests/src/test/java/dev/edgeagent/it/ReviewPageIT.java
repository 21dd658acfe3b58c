package dev.edgeagent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeagent.capture.OpenCv;
import dev.edgeagent.cli.EdgeAgentCli;
import dev.edgeagent.cli.ExitCodes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Review and undo end to end, judged by a real headless browser (Debian's chromium through
 * chromium-driver): {@code anonymize --review} writes a page whose thumbnails load, whose
 * controls work and whose keep list, saved as a file, makes a re-run with {@code --keep} leave
 * exactly the ticked regions unredacted, and nothing else.
 */
class ReviewPageIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  private static ChromeDriver browser;

  @TempDir
  static Path tmp;

  @BeforeAll
  static void startBrowser() {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
        "chromium and chromium-driver are not installed: run bin/install-test-tools");
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
        .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--window-size=1280,1000", "--user-data-dir=" + tmp.resolve("chromium-profile"));
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
    browser = new ChromeDriver(service, options);
    browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  void tickingARegionOnThePageAndRerunningWithItsKeepListLeavesExactlyThatRegion() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("photos"));
    for (String name : List.of("messi5.jpg", "scenetext01.jpg")) {
      Files.copy(media(name), in.resolve(name));
    }
    Path review = tmp.resolve("review");
    Run first = anonymize("--input", in.toString(), "--output", tmp.resolve("out1").toString(), "--review",
        review.toString());
    assertThat(first.exit).as(first.err).isZero();
    long regions = first.summary.get("reviewed_regions").asLong();
    assertThat(regions).isEqualTo(first.summary.get("faces").asLong() + first.summary.get("plates").asLong())
        .isGreaterThanOrEqualTo(3);
    assertThat(Files.getPosixFilePermissions(review)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    assertThat(Files.getPosixFilePermissions(review.resolve("index.html")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    Run plain = anonymize("--input", in.toString(), "--output", tmp.resolve("plain").toString());
    for (String name : List.of("messi5.jpg", "scenetext01.jpg")) {
      assertThat(Files.readAllBytes(tmp.resolve("out1").resolve(name))).as("--review alone un-redacts nothing: " + name)
          .isEqualTo(Files.readAllBytes(tmp.resolve("plain").resolve(name)));
    }
    assertThat(plain.exit).isZero();

    browser.get(review.resolve("index.html").toUri().toString());
    List<WebElement> cards = browser.findElements(By.cssSelector("figure.region"));
    assertThat(cards).hasSize((int) regions);
    assertThat(js("return Array.from(document.images).filter(i => i.complete && i.naturalWidth > 0).length"))
        .as("every thumbnail decodes in the browser").isEqualTo(regions);
    assertThat(browser.findElement(By.id("totals")).getAttribute("data-regions")).isEqualTo(Long.toString(regions));
    String untouched = keepListText();
    assertThat(untouched).contains("input ").doesNotContain("\nkeep ");

    // The class filter hides the other class; the score order puts the lowest score first.
    new Select(browser.findElement(By.id("filter-class"))).selectByValue("plate");
    assertThat(browser.findElements(By.cssSelector("figure.region.face")))
        .allSatisfy(c -> assertThat(c.isDisplayed()).isFalse());
    assertThat(browser.findElements(By.cssSelector("figure.region.plate")))
        .allSatisfy(c -> assertThat(c.isDisplayed()).isTrue());
    new Select(browser.findElement(By.id("filter-class"))).selectByValue("");
    new Select(browser.findElement(By.id("order"))).selectByValue("score");
    List<Double> scores = new ArrayList<>();
    browser.findElements(By.cssSelector("figure.region")).forEach(c -> scores.add(Double.valueOf(c.getAttribute("data-score"))));
    assertThat(scores).isSorted();

    // Tick the best face (messi's) and take the keep list the page builds.
    WebElement face = browser.findElements(By.cssSelector("figure.region.face")).stream()
        .max((a, b) -> Double.compare(Double.parseDouble(a.getAttribute("data-score")),
            Double.parseDouble(b.getAttribute("data-score")))).orElseThrow();
    face.findElement(By.cssSelector("input.keep")).click();
    String keepLine = face.getAttribute("data-keep");
    String list = keepListText();
    assertThat(list.lines().filter(l -> l.startsWith("keep "))).containsExactly(keepLine);
    assertThat(browser.findElement(By.id("selected-count")).getText()).isEqualTo("1");
    assertThat(browser.findElement(By.id("download")).getAttribute("href")).startsWith("blob:");
    Path keepFile = tmp.resolve("keep.txt");
    Files.writeString(keepFile, list);

    Path out2 = tmp.resolve("out2");
    Run second = anonymize("--input", in.toString(), "--output", out2.toString(), "--keep", keepFile.toString());
    assertThat(second.exit).as(second.err).isZero();
    assertThat(second.summary.get("kept").asLong()).isEqualTo(1);
    assertThat(second.summary.get("keep_unmatched")).isEmpty();
    assertThat(second.summary.get("faces").asLong()).isEqualTo(first.summary.get("faces").asLong() - 1);
    assertThat(second.summary.get("plates").asLong()).isEqualTo(first.summary.get("plates").asLong());
    JsonNode kept = second.summary.get("kept_regions").get(0);
    assertThat(kept.get("class").asText()).isEqualTo("face");
    assertThat(second.err).contains("left 1 region(s) unredacted");

    // The kept face is back in the output as it is in the input; in the first run it was removed.
    OpenCv.ensureLoaded();
    Rect box = new Rect(kept.get("box").get(0).asInt(), kept.get("box").get(1).asInt(), kept.get("box").get(2).asInt(),
        kept.get("box").get(3).asInt());
    String file = "messi5.jpg";
    assertThat(meanDiff(in.resolve(file), out2.resolve(file), box)).as("kept: as in the input").isLessThan(6);
    assertThat(meanDiff(in.resolve(file), tmp.resolve("out1").resolve(file), box)).as("first run: removed")
        .isGreaterThan(15);
  }

  @Test
  void wholeTrackOnAVideoKeepsEveryFrameOfThatTrackOnTheRerun() throws Exception {
    Path review = tmp.resolve("review-video");
    String[] common = {"--input", media("Megamind.avi").toString(), "--set", "pipeline.max_frames=12", "--no-plates"};
    Run first = anonymize(concat(common, "--output", tmp.resolve("v1.mkv").toString(), "--review", review.toString()));
    assertThat(first.exit).as(first.err).isZero();

    browser.get(review.resolve("index.html").toUri().toString());
    WebElement firstFace = browser.findElements(By.cssSelector("figure.region.face")).get(0);
    String track = firstFace.getAttribute("data-track");
    List<WebElement> sameTrack = browser.findElements(By.cssSelector("figure.region[data-track='" + track + "']"));
    assertThat(sameTrack).as("Megamind's face is followed over several frames").hasSizeGreaterThan(3);
    firstFace.findElement(By.cssSelector("button.track")).click();
    assertThat(sameTrack).allSatisfy(c -> assertThat(c.findElement(By.cssSelector("input.keep")).isSelected()).isTrue());
    String list = keepListText();
    assertThat(list.lines().filter(l -> l.startsWith("keep "))).hasSize(sameTrack.size());
    Path keepFile = tmp.resolve("keep-track.txt");
    Files.writeString(keepFile, list);

    Run second = anonymize(concat(common, "--output", tmp.resolve("v2.mkv").toString(), "--keep", keepFile.toString()));
    assertThat(second.exit).as(second.err).isZero();
    assertThat(second.summary.get("kept").asLong()).as("the re-run finds the same regions").isEqualTo(sameTrack.size());
    assertThat(second.summary.get("keep_unmatched")).isEmpty();
  }

  @Test
  void aKeepListIsRefusedForAnyOtherInput() throws Exception {
    Path other = Files.createDirectories(tmp.resolve("other"));
    Files.copy(media("messi5.jpg"), other.resolve("messi5.jpg"));
    Files.copy(media("scenetext02.jpg"), other.resolve("scenetext02.jpg"));
    Path keepFile = tmp.resolve("keep-wrong.txt");
    Files.writeString(keepFile, "input " + "0".repeat(64) + " photos\nkeep frame=0 class=face box=227,93,30,39\n");
    Run r = anonymize("--input", other.toString(), "--output", tmp.resolve("o").toString(), "--keep", keepFile.toString());
    assertThat(r.exit).isEqualTo(ExitCodes.DATA_ERR);
    assertThat(r.err).contains("it was made for photos").contains("not for this input other");
    assertThat(tmp.resolve("o")).as("nothing written").doesNotExist();
  }

  private static double meanDiff(Path a, Path b, Rect box) {
    Mat x = Imgcodecs.imread(a.toString());
    Mat y = Imgcodecs.imread(b.toString());
    Mat d = new Mat();
    Core.absdiff(x.submat(box), y.submat(box), d);
    double[] s = Core.sumElems(d).val;
    return (s[0] + s[1] + s[2]) / (3.0 * box.area());
  }

  private static String keepListText() {
    return (String) js("return document.getElementById('keep-list').value");
  }

  private static Object js(String script) {
    Object v = ((JavascriptExecutor) browser).executeScript(script);
    return v;
  }

  private static Path media(String name) {
    Path p = PipelineHarness.home().resolve(".cache/media").resolve(name);
    assertThat(p).as("run tests/media/fetch-media.sh").isRegularFile();
    return p;
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  private record Run(int exit, JsonNode summary, String err) {}

  private static synchronized Run anonymize(String... args) throws Exception {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int exit;
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      String[] all = concat(new String[] {"anonymize", "--models-dir",
          PipelineHarness.home().resolve(".cache/models").toString()}, args);
      exit = EdgeAgentCli.execute(all);
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    List<String> lines = o.toString(StandardCharsets.UTF_8).lines().toList();
    JsonNode summary = lines.isEmpty() ? null : new ObjectMapper().readTree(lines.get(lines.size() - 1));
    return new Run(exit, summary, e.toString(StandardCharsets.UTF_8));
  }
}
