package io.jmesos.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Routes requests by path with libprocess' rules: a trailing slash is ignored; the exact path first, then the
 * longest registered prefix, then, for a nested path, its parents' exact routes, nearest first, as libprocess
 * serves {@code /a/b/c} by {@code /a/b} or {@code /a} when it has no handler (never by {@code /}). Unknown paths
 * get 404 with a message. {@code ?jsonp=callback} wraps JSON answers to GET ({@link Jsonp}). Routes are
 * installed before the server starts; lookups are then read-only and safe from any thread.
 */
public final class HttpRouter implements HttpHandler {
  private final Map<String, HttpHandler> exact = new LinkedHashMap<>();
  private final List<Map.Entry<String, HttpHandler>> prefixes = new ArrayList<>();

  /** Routes one exact path (and its aliases, e.g. "/master/state" and "/state"). */
  public HttpRouter route(HttpHandler handler, String... paths) {
    for (String path : paths) {
      if (exact.putIfAbsent(path, handler) != null) {
        throw new IllegalStateException("Route " + path + " installed twice");
      }
    }
    return this;
  }

  /** Routes every path that starts with {@code prefix}. */
  public HttpRouter routePrefix(String prefix, HttpHandler handler) {
    prefixes.add(Map.entry(prefix, handler));
    prefixes.sort((a, b) -> Integer.compare(b.getKey().length(), a.getKey().length()));
    return this;
  }

  public Set<String> paths() {
    return new TreeSet<>(exact.keySet());
  }

  @Override
  public void handle(HttpRequest request, HttpResponder responder) {
    String path = request.path();
    if (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    HttpHandler handler = find(path);
    if (handler == null) {
      responder.respond(HttpResponse.text(404, "No endpoint at " + request.path()));
      return;
    }
    HttpResponse invalid = Jsonp.invalid(request);
    if (invalid != null) {
      responder.respond(invalid);
      return;
    }
    handler.handle(request, Jsonp.wrap(request, responder));
  }

  private HttpHandler find(String path) {
    HttpHandler handler = exact.get(path);
    if (handler != null) {
      return handler;
    }
    for (Map.Entry<String, HttpHandler> e : prefixes) {
      if (path.startsWith(e.getKey())) {
        return e.getValue();
      }
    }
    for (int slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
      handler = exact.get(path.substring(0, slash));
      if (handler != null) {
        return handler;
      }
    }
    return null;
  }
}
