package io.jmesos.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Routes requests by path: exact paths first, then the longest registered prefix. Unknown paths get 404
 * with a message. Routes are installed before the server starts; lookups are then read-only and safe from
 * any thread.
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
    HttpHandler handler = exact.get(path);
    if (handler == null) {
      for (Map.Entry<String, HttpHandler> e : prefixes) {
        if (path.startsWith(e.getKey())) {
          handler = e.getValue();
          break;
        }
      }
    }
    if (handler == null) {
      responder.respond(HttpResponse.text(404, "No endpoint at " + request.path()));
      return;
    }
    handler.handle(request, responder);
  }
}
