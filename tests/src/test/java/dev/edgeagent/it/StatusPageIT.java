package dev.edgeagent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Issue 15, "a live status page": the packaged agent on a real broker with one camera, its page
 * opened in a real headless browser (Debian's chromium through chromium-driver). The page loads
 * from the jar, the preview of the anonymized output changes while frames flow, the frame
 * counter moves, and the broker, spool and model rows are filled. A screenshot is kept as
 * {@code tests/target/status-page.png}. A second run bound to every address shows the token
 * rule: refused without it, the page with it.
 */
class StatusPageIT {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  @TempDir
  Path tmp;
  private Process agent;
  private ChromeDriver browser;

  @AfterEach
  void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (agent != null && agent.isAlive()) {
      agent.destroy();
      agent.waitFor(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void thePageShowsALivePreviewAndCountersThatMoveWhileFramesFlow() throws Exception {
    assumeBrowser();
    Path log = tmp.resolve("run.log");
    agent = startAgent(log, "front", List.of());
    int port = httpPort(log);
    browser = browser();
    browser.get("http://127.0.0.1:" + port + "/");

    assertThat(browser.getTitle()).isEqualTo("edge-agent status");
    await().atMost(Duration.ofSeconds(60)).until(() -> text("#overall").equals("UP"));
    WebElement card = browser.findElement(By.cssSelector("article.camera[data-camera='front']"));
    assertThat(card.findElement(By.cssSelector(".state")).getText()).isEqualTo("running");

    // the preview: a JPEG of the anonymized output that decodes, then another one
    await().atMost(Duration.ofSeconds(60)).until(() -> previewDecoded() && !previewSeq().isEmpty());
    String firstSeq = previewSeq();
    String firstSrc = card.findElement(By.cssSelector("img.preview")).getAttribute("src");
    assertThat(firstSrc).startsWith("data:image/jpeg;base64,");
    long firstFrames = figure("frames");
    await().atMost(Duration.ofSeconds(60)).until(() -> !previewSeq().equals(firstSeq));
    assertThat(card.findElement(By.cssSelector("img.preview")).getAttribute("src")).isNotEqualTo(firstSrc);
    await().atMost(Duration.ofSeconds(30)).until(() -> figure("frames") > firstFrames);
    await().atMost(Duration.ofSeconds(30)).until(() -> Double.parseDouble(figureText("fps")) > 0);

    // the rest of the page: broker and spool, models with hashes and providers
    await().atMost(Duration.ofSeconds(30)).until(() -> field("broker").equals("ok"));
    assertThat(field("topic")).isEqualTo("status");
    assertThat(field("spool depth")).matches("\\d+ records?, [0-9.]+ MiB");
    assertThat(field("oldest record")).isNotEmpty();
    List<String> models = new ArrayList<>();
    browser.findElements(By.cssSelector("#models tbody tr")).forEach(r -> models.add(r.getText()));
    assertThat(models).isNotEmpty().anySatisfy(m -> assertThat(m).startsWith("yunet").matches(".* [0-9a-f]{12} cpu"));
    assertThat(browser.findElements(By.cssSelector("#errors li"))).isNotEmpty();

    Path shot = Path.of(System.getProperty("user.dir"), "target", "status-page.png");
    Files.createDirectories(shot.getParent());
    Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), shot, StandardCopyOption.REPLACE_EXISTING);
    assertThat(Files.size(shot)).isGreaterThan(10_000);
  }

  @Test
  void boundToEveryAddressThePageNeedsTheTokenFromItsFile() throws Exception {
    Path tokenFile = tmp.resolve("token");
    String token = "k3PqZ8wXv2Lr9sT4mN7bY1cD";
    Files.writeString(tokenFile, token + "\n");
    Path log = tmp.resolve("run.log");
    agent = startAgent(log, "gate", List.of("--set", "http.host=0.0.0.0", "--set", "http.token_file=" + tokenFile));
    int port = httpPort(log);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    String base = "http://127.0.0.1:" + port;
    assertThat(get(http, base + "/", null).statusCode()).isEqualTo(401);
    assertThat(get(http, base + "/status/stream", null).statusCode()).isEqualTo(401);
    assertThat(get(http, base + "/status/snapshot", "Bearer wrong-token-of-enough-length").statusCode()).isEqualTo(401);
    HttpResponse<String> snap = get(http, base + "/status/snapshot", "Bearer " + token);
    assertThat(snap.statusCode()).isEqualTo(200);
    assertThat(snap.body()).contains("\"gate\"");
    assertThat(get(http, base + "/health/live", null).statusCode()).as("probes need no token").isEqualTo(200);

    assumeBrowser();
    browser = browser();
    browser.get(base + "/?token=" + token);
    assertThat(browser.getCurrentUrl()).as("the token leaves the address bar").isEqualTo(base + "/");
    await().atMost(Duration.ofSeconds(60)).until(() -> browser.findElements(
        By.cssSelector("article.camera[data-camera='gate']")).size() == 1);
  }

  private Process startAgent(Path log, String camera, List<String> extra) throws Exception {
    Path home = PipelineHarness.home();
    Path config = tmp.resolve("agent.yaml");
    // vtest.avi: 795 frames, about a minute through the agent here, so frames flow while the page is watched
    Path video = home.resolve(".cache/media/vtest.avi");
    assertThat(video).as("run tests/media/fetch-media.sh").isRegularFile();
    Files.writeString(config, "cameras:\n  - id: " + camera + "\n    input: \"" + video + "\"\n"
        + "pipeline:\n  max_frames: 700\n");
    List<String> cmd = new ArrayList<>(List.of(
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java", "-Xmx1g",
        "-Dedgeagent.home=" + home, "-jar", home.resolve("agent/target/edge-agent.jar").toString(), "run",
        "--config", config.toString(), "--bootstrap", KAFKA.bootstrapServers(), "--topic", "status",
        "--spool-dir", tmp.resolve("spool").toString(), "--drain-timeout", "30",
        "--models-dir", home.resolve(".cache/models").toString(), "--set", "detect.plates=false",
        "--set", "http.port=0", "--set", "spool.min_free_bytes=0"));
    cmd.addAll(extra);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    await().atMost(Duration.ofSeconds(90)).until(() -> !p.isAlive() || CameraIndependenceIT.httpPort(log) > 0);
    assertThat(p.isAlive()).as(Files.readString(log)).isTrue();
    return p;
  }

  private static int httpPort(Path log) throws Exception {
    return CameraIndependenceIT.httpPort(log);
  }

  private static HttpResponse<String> get(HttpClient http, String url, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    if (authorization != null) {
      b.header("authorization", authorization);
    }
    // the stream never ends when allowed; refused, it answers at once
    if (url.endsWith("/status/stream")) {
      return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString()).get(10, TimeUnit.SECONDS);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void assumeBrowser() {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
        "chromium and chromium-driver are not installed: run bin/install-test-tools");
  }

  private ChromeDriver browser() {
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
        .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--window-size=1280,1000", "--user-data-dir=" + tmp.resolve("chromium-profile"));
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
    ChromeDriver d = new ChromeDriver(service, options);
    d.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    return d;
  }

  private String figureText(String name) {
    return text("article.camera[data-camera='front'] [data-figure='" + name + "']");
  }

  private long figure(String name) {
    String t = figureText(name);
    return t.matches("\\d+") ? Long.parseLong(t) : -1;
  }

  private String field(String name) {
    return text("#link dd[data-field='" + name + "']");
  }

  /**
   * The rendered text of the first element {@code css} selects, "" when there is none, read in
   * one script call: the page replaces these elements every second, so finding one and then
   * reading it in a second call can meet a node that is already gone (a stale element).
   */
  private String text(String css) {
    Object t = ((JavascriptExecutor) browser).executeScript(
        "const e = document.querySelector(arguments[0]); return e ? e.innerText.trim() : '';", css);
    return t == null ? "" : t.toString();
  }

  private String previewSeq() {
    return browser.findElement(By.cssSelector("article.camera[data-camera='front'] img.preview"))
        .getAttribute("data-seq");
  }

  private boolean previewDecoded() {
    Object ok = ((JavascriptExecutor) browser).executeScript(
        "const i = document.querySelector(\"article.camera[data-camera='front'] img.preview\");"
            + " return i.complete && i.naturalWidth > 0;");
    return Boolean.TRUE.equals(ok);
  }
}
