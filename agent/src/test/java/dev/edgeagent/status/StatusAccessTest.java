package dev.edgeagent.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgeagent.config.ConfigException;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusAccessTest {
  private static final String TOKEN = "0123456789abcdefXYZ";

  @TempDir
  Path tmp;

  @Test
  void loopbackNeedsNoTokenAnotherAddressRefusesToStartWithoutOne() throws Exception {
    assertThat(StatusAccess.forBinding("127.0.0.1", "").requiresToken()).isFalse();
    assertThat(StatusAccess.forBinding("::1", "").requiresToken()).isFalse();
    assertThat(StatusAccess.forBinding("localhost", null).requiresToken()).isFalse();
    for (String host : new String[] {"0.0.0.0", "::", "192.0.2.7"}) {
      assertThatThrownBy(() -> StatusAccess.forBinding(host, "")).isInstanceOf(ConfigException.class)
          .hasMessageContaining("http.token_file").hasMessageContaining(host);
    }
    assertThatThrownBy(() -> StatusAccess.forBinding("no-such-host.invalid", "")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("does not resolve");
    Path file = Files.writeString(tmp.resolve("token"), TOKEN + "\n");
    assertThat(StatusAccess.forBinding("0.0.0.0", file.toString()).requiresToken()).isTrue();
    assertThat(StatusAccess.forBinding("127.0.0.1", file.toString()).requiresToken())
        .as("a token file given is used on loopback too").isTrue();
  }

  @Test
  void aTokenFileThatIsMissingShortOrSpacedIsRefusedSayingWhatToFix() throws Exception {
    assertThatThrownBy(() -> StatusAccess.forBinding("0.0.0.0", tmp.resolve("none").toString()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cannot read");
    Path shortOne = Files.writeString(tmp.resolve("short"), "abc");
    assertThatThrownBy(() -> StatusAccess.forBinding("0.0.0.0", shortOne.toString()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("at least 16");
    Path spaced = Files.writeString(tmp.resolve("spaced"), "0123456789 abcdefghij");
    assertThatThrownBy(() -> StatusAccess.forBinding("0.0.0.0", spaced.toString()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("no spaces");
  }

  @Test
  void theGuardAcceptsTheBearerHeaderOrTheCookieItSetsAndRefusesTheRest() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      StatusAccess access = StatusAccess.withToken(TOKEN);
      Router router = Router.router(vertx);
      router.route("/*").handler(access::guard);
      router.get("/").handler(ctx -> ctx.response().end("page"));
      int port = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").toCompletionStage()
          .toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
      String base = "http://127.0.0.1:" + port;

      assertThat(send(http, base + "/", null, null).statusCode()).isEqualTo(401);
      assertThat(send(http, base + "/", "Bearer " + TOKEN + "x", null).statusCode()).isEqualTo(401);
      assertThat(send(http, base + "/?token=guess-guess-guess-guess", null, null).statusCode()).isEqualTo(401);
      HttpResponse<String> ok = send(http, base + "/", "Bearer " + TOKEN, null);
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.body()).isEqualTo("page");

      HttpResponse<String> login = send(http, base + "/?token=" + TOKEN, null, null);
      assertThat(login.statusCode()).isEqualTo(303);
      assertThat(login.headers().firstValue("location")).hasValue("/");
      String cookie = login.headers().firstValue("set-cookie").orElseThrow();
      assertThat(cookie).contains(StatusAccess.COOKIE + "=" + TOKEN).containsIgnoringCase("HttpOnly")
          .containsIgnoringCase("SameSite=Strict");
      assertThat(send(http, base + "/", null, StatusAccess.COOKIE + "=" + TOKEN).statusCode()).isEqualTo(200);
      assertThat(send(http, base + "/", null, StatusAccess.COOKIE + "=nope").statusCode()).isEqualTo(401);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void anOpenGuardLetsEveryRequestThrough() {
    assertThat(StatusAccess.open().requiresToken()).isFalse();
    assertThatThrownBy(() -> StatusAccess.withToken("short")).isInstanceOf(IllegalArgumentException.class);
  }

  private static HttpResponse<String> send(HttpClient http, String url, String auth, String cookie) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    if (auth != null) {
      b.header("authorization", auth);
    }
    if (cookie != null) {
      b.header("cookie", cookie);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
