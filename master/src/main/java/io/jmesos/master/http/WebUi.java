package io.jmesos.master.http;

import io.jmesos.http.HttpHandler;
import io.jmesos.http.HttpRequest;
import io.jmesos.http.HttpResponder;
import io.jmesos.http.HttpResponse;
import io.jmesos.http.HttpRouter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web UI, built from {@code webui/} into the master's resources under {@value #ROOT}: {@code /} is its
 * {@code index.html} (revalidated on every load), {@value #ASSETS} its content-hashed assets (cached for a
 * year). Only flat file names are served, so no request reaches outside the UI's directory; an unknown one is
 * 404. Files are read from the classpath once and kept. Thread-safe.
 */
public final class WebUi implements HttpHandler {
  /** The classpath directory the UI is built into. */
  public static final String ROOT = "io/jmesos/webui/";
  /** The URL prefix (and directory under {@link #ROOT}) of the UI's assets. */
  public static final String ASSETS = "/static/";
  private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml",
      "png", "image/png",
      "ico", "image/x-icon",
      "woff2", "font/woff2",
      "json", "application/json",
      "map", "application/json");

  private final ClassLoader loader;
  private final Map<String, Optional<byte[]>> cache = new ConcurrentHashMap<>();

  public WebUi() {
    this(WebUi.class.getClassLoader());
  }

  WebUi(ClassLoader loader) {
    this.loader = loader;
  }

  /** Routes {@code /} (and {@code /index.html}) and the assets' prefix of {@code router} to a new web UI. */
  public static void install(HttpRouter router) {
    WebUi webUi = new WebUi();
    router.route(webUi, "/", "/index.html").routePrefix(ASSETS, webUi);
  }

  @Override
  public void handle(HttpRequest request, HttpResponder responder) {
    responder.respond(respond(request));
  }

  HttpResponse respond(HttpRequest request) {
    if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
      return HttpResponse.text(405, "Expecting 'GET', received '" + request.method() + "'")
          .withHeader("Allow", "GET");
    }
    String path = request.path();
    if (path.equals("/") || path.equals("/index.html")) {
      return file("index.html", "no-cache");
    }
    if (path.startsWith(ASSETS) && FILE_NAME.matcher(path.substring(ASSETS.length())).matches()) {
      return file(ASSETS.substring(1) + path.substring(ASSETS.length()), "public, max-age=31536000, immutable");
    }
    return notFound(path);
  }

  private HttpResponse file(String name, String cacheControl) {
    Optional<byte[]> body = cache.computeIfAbsent(name, this::load);
    if (body.isEmpty()) {
      return notFound("/" + name);
    }
    return HttpResponse.of(200, contentType(name), body.get())
        .withHeader("Cache-Control", cacheControl)
        .withHeader("X-Content-Type-Options", "nosniff");
  }

  private Optional<byte[]> load(String name) {
    try (InputStream in = loader.getResourceAsStream(ROOT + name)) {
      return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the web UI's " + name, e);
    }
  }

  private static HttpResponse notFound(String path) {
    return HttpResponse.text(404, "No web UI file at " + path);
  }

  static String contentType(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "application/octet-stream" : TYPES.getOrDefault(name.substring(dot + 1),
        "application/octet-stream");
  }
}
