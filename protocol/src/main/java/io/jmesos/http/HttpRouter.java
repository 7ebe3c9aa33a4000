package io.jmesos.http;

import io.jmesos.security.Authentication;
import io.jmesos.security.HttpAuthenticators;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes requests by path with libprocess' rules: a trailing slash is ignored; the exact path first, then the
 * longest registered prefix, then, for a nested path, its parents' exact routes, nearest first, as libprocess
 * serves {@code /a/b/c} by {@code /a/b} or {@code /a} when it has no handler (never by {@code /}). Unknown paths
 * get 404 with a message. {@code ?jsonp=callback} wraps JSON answers to GET ({@link Jsonp}).
 *
 * <p>Each route belongs to an authentication realm or to none, as libprocess' {@code route(path, realm, ...)}.
 * When the {@link HttpAuthenticators} have an authenticator for the route's realm, it runs before the handler:
 * a refused request gets its answer ({@code 401} with a challenge) and never reaches the handler; an accepted one
 * reaches it with its {@link HttpRequest#principal()}. Routes are installed before the server starts; lookups
 * are then read-only and safe from any thread.
 */
public final class HttpRouter implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(HttpRouter.class);

  private final HttpAuthenticators authenticators;
  private final Map<String, Route> exact = new LinkedHashMap<>();
  private final List<Map.Entry<String, Route>> prefixes = new ArrayList<>();

  /** A router whose realms require no authentication. */
  public HttpRouter() {
    this(HttpAuthenticators.NONE);
  }

  public HttpRouter(HttpAuthenticators authenticators) {
    this.authenticators = Objects.requireNonNull(authenticators, "authenticators");
  }

  /** Routes one exact path (and its aliases, e.g. "/master/state" and "/state"), in no realm. */
  public HttpRouter route(HttpHandler handler, String... paths) {
    return route(null, handler, paths);
  }

  /** Routes one exact path and its aliases in {@code realm} (null: none). */
  public HttpRouter route(String realm, HttpHandler handler, String... paths) {
    Route route = new Route(realm, handler);
    for (String path : paths) {
      if (exact.putIfAbsent(path, route) != null) {
        throw new IllegalStateException("Route " + path + " installed twice");
      }
    }
    return this;
  }

  /** Routes every path that starts with {@code prefix}, in no realm. */
  public HttpRouter routePrefix(String prefix, HttpHandler handler) {
    return routePrefix(null, prefix, handler);
  }

  /** Routes every path that starts with {@code prefix} in {@code realm} (null: none). */
  public HttpRouter routePrefix(String realm, String prefix, HttpHandler handler) {
    prefixes.add(Map.entry(prefix, new Route(realm, handler)));
    prefixes.sort((a, b) -> Integer.compare(b.getKey().length(), a.getKey().length()));
    return this;
  }

  public Set<String> paths() {
    return new TreeSet<>(exact.keySet());
  }

  /**
   * The realm of the route that serves {@code path}; empty when that route is in no realm.
   *
   * @throws IllegalArgumentException when no route serves {@code path}
   */
  public Optional<String> realm(String path) {
    Route route = find(normalize(path));
    if (route == null) {
      throw new IllegalArgumentException("No route serves " + path);
    }
    return Optional.ofNullable(route.realm);
  }

  @Override
  public void handle(HttpRequest request, HttpResponder responder) {
    Route route = find(normalize(request.path()));
    if (route == null) {
      responder.respond(HttpResponse.text(404, "No endpoint at " + request.path()));
      return;
    }
    Optional<Authentication> authentication = authenticators.authenticate(route.realm, request);
    if (authentication.isPresent()) {
      Optional<HttpResponse> refusal = authentication.get().refusal();
      if (refusal.isPresent()) {
        LOG.debug("Refused {} in realm '{}': {}", request, route.realm, refusal.get().status());
        responder.respond(refusal.get());
        return;
      }
      request = request.withPrincipal(authentication.get().principal().orElseThrow(),
          authentication.get().claims());
    }
    HttpResponse invalid = Jsonp.invalid(request);
    if (invalid != null) {
      responder.respond(invalid);
      return;
    }
    route.handler.handle(request, Jsonp.wrap(request, responder));
  }

  private static String normalize(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  private Route find(String path) {
    Route route = exact.get(path);
    if (route != null) {
      return route;
    }
    for (Map.Entry<String, Route> e : prefixes) {
      if (path.startsWith(e.getKey())) {
        return e.getValue();
      }
    }
    for (int slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
      route = exact.get(path.substring(0, slash));
      if (route != null) {
        return route;
      }
    }
    return null;
  }

  /** A handler and its realm (null: none). */
  private static final class Route {
    final String realm;
    final HttpHandler handler;

    Route(String realm, HttpHandler handler) {
      this.realm = realm;
      this.handler = Objects.requireNonNull(handler, "handler");
    }
  }
}
