package dev.edgeagent.status;

import dev.edgeagent.config.ConfigException;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * Who may see the status page. On a loopback address anyone who can reach the port already runs
 * on the box, so no token is asked for unless one is configured. On any other address a token
 * read from a file is required: as {@code Authorization: Bearer <token>}, or once as
 * {@code /?token=<token>}, which sets an HttpOnly, SameSite=Strict cookie and redirects to
 * {@code /} so the token does not stay in the address bar, the history or a proxy's log.
 */
public final class StatusAccess {
  static final String COOKIE = "edgeagent_status";
  /** Short tokens can be guessed over the network; 16 characters of a random string are enough. */
  static final int MIN_TOKEN_CHARS = 16;

  private final byte[] token;

  private StatusAccess(byte[] token) {
    this.token = token;
  }

  /** Everyone who reaches the port may look (a loopback bind without a token file). */
  public static StatusAccess open() {
    return new StatusAccess(null);
  }

  /** Only requests carrying {@code token}. */
  public static StatusAccess withToken(String token) {
    if (token == null || token.length() < MIN_TOKEN_CHARS) {
      throw new IllegalArgumentException("a status page token needs at least " + MIN_TOKEN_CHARS + " characters");
    }
    return new StatusAccess(token.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The access the settings ask for: a token from {@code tokenFile} when one is named, none on a
   * loopback host, and a refusal (with what to fix) for another host without a token file.
   */
  public static StatusAccess forBinding(String host, String tokenFile) throws ConfigException {
    if (tokenFile != null && !tokenFile.isBlank()) {
      return withToken(readToken(Path.of(tokenFile)));
    }
    if (isLoopback(host)) {
      return open();
    }
    if (!resolves(host)) {
      // the real problem, and the one the HTTP server would report when it binds
      throw unresolvable(host);
    }
    throw new ConfigException("http.host: " + host + " is reachable from other machines and the status page shows"
        + " the cameras' output; set http.token_file to a file holding a token of at least " + MIN_TOKEN_CHARS
        + " characters (for example: head -c 24 /dev/urandom | base64 > token; chmod 600 token),"
        + " or set status.enabled: false");
  }

  /** The settings error for an http.host that names no address (here, and when the server binds). */
  public static ConfigException unresolvable(String host) {
    return new ConfigException("http.host: '" + host + "' does not resolve; give an address such as 127.0.0.1");
  }

  static String readToken(Path file) throws ConfigException {
    String t;
    try {
      t = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new ConfigException("http.token_file: cannot read " + file + " (" + e.getClass().getSimpleName()
          + "): create it, readable by the agent's user, holding one token");
    }
    if (t.length() < MIN_TOKEN_CHARS || t.chars().anyMatch(Character::isWhitespace)) {
      throw new ConfigException("http.token_file: " + file + " must hold one token of at least " + MIN_TOKEN_CHARS
          + " characters and no spaces");
    }
    return t;
  }

  /** Only literal loopback addresses and "localhost": a name is never resolved to decide this. */
  static boolean isLoopback(String host) {
    if (host.equals("localhost")) {
      return true;
    }
    if (!host.matches("[0-9.]+|[0-9a-fA-F:]+")) {
      return false;
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static boolean resolves(String host) {
    try {
      InetAddress.getByName(host);
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  public boolean requiresToken() {
    return token != null;
  }

  /**
   * Lets the request through ({@code ctx.next()}), or answers it: a redirect that sets the
   * cookie for a correct {@code ?token=}, 401 otherwise.
   */
  void guard(RoutingContext ctx) {
    if (token == null) {
      ctx.next();
      return;
    }
    HttpServerRequest req = ctx.request();
    String query = req.getParam("token");
    if (query != null) {
      if (matches(query)) {
        ctx.response().addCookie(Cookie.cookie(COOKIE, query).setHttpOnly(true).setSameSite(CookieSameSite.STRICT)
            .setPath("/")).putHeader("location", "/").setStatusCode(303).end();
      } else {
        refuse(ctx);
      }
      return;
    }
    String auth = req.getHeader("authorization");
    Cookie cookie = req.getCookie(COOKIE);
    if (auth != null && auth.startsWith("Bearer ") && matches(auth.substring(7).strip())
        || cookie != null && matches(cookie.getValue())) {
      ctx.next();
    } else {
      refuse(ctx);
    }
  }

  private boolean matches(String offered) {
    // constant time: the answer's timing says nothing about how much of a guess was right
    return MessageDigest.isEqual(token, offered.getBytes(StandardCharsets.UTF_8));
  }

  private static void refuse(RoutingContext ctx) {
    ctx.response().setStatusCode(401).putHeader("content-type", "text/plain; charset=utf-8")
        .putHeader("www-authenticate", "Bearer")
        .end("The status page needs the token from http.token_file: open /?token=<token> once.\n");
  }
}
