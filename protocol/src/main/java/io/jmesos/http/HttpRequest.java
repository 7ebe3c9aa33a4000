package io.jmesos.http;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An inbound HTTP request, fully read, with the principal it authenticated as when its route's realm requires
 * authentication ({@link #principal()}). Immutable.
 */
public final class HttpRequest {
  private final String method;
  private final String path;
  private final Map<String, List<String>> query;
  private final Map<String, String> headers;
  private final byte[] body;
  private final SocketAddress remote;
  private final String principal;
  private final Map<String, String> claims;

  public HttpRequest(String method, String path, Map<String, List<String>> query, Map<String, String> headers,
      byte[] body, SocketAddress remote) {
    this.method = Objects.requireNonNull(method);
    this.path = Objects.requireNonNull(path);
    this.query = Collections.unmodifiableMap(query);
    TreeMap<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    h.putAll(headers);
    this.headers = Collections.unmodifiableMap(h);
    this.body = body;
    this.remote = remote;
    this.principal = null;
    this.claims = Map.of();
  }

  private HttpRequest(HttpRequest request, String principal, Map<String, String> claims) {
    this.method = request.method;
    this.path = request.path;
    this.query = request.query;
    this.headers = request.headers;
    this.body = request.body;
    this.remote = request.remote;
    this.principal = Objects.requireNonNull(principal, "principal");
    this.claims = Map.copyOf(claims);
  }

  /** This request, authenticated as {@code principal}. */
  public HttpRequest withPrincipal(String principal) {
    return new HttpRequest(this, principal, Map.of());
  }

  /** This request, authenticated as {@code principal} with the claims of its token (libprocess' JWT). */
  public HttpRequest withPrincipal(String principal, Map<String, String> claims) {
    return new HttpRequest(this, principal, claims);
  }

  /** The claims of the principal (a JWT's); empty for a Basic principal or an unauthenticated request. */
  public Map<String, String> claims() {
    return claims;
  }

  /**
   * The principal the request authenticated as, or null when its route's realm does not require authentication
   * (Mesos' {@code Option<Principal>} handed to handlers).
   */
  public String principal() {
    return principal;
  }

  public String method() {
    return method;
  }

  public String path() {
    return path;
  }

  public Map<String, List<String>> query() {
    return query;
  }

  /** First value of a query parameter, or null. */
  public String param(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** Header value (case-insensitive name), or null. */
  public String header(String name) {
    return headers.get(name);
  }

  public Map<String, String> headers() {
    return headers;
  }

  public byte[] body() {
    return body;
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  public SocketAddress remote() {
    return remote;
  }

  /** The media type of the body without parameters, lower case, or null. */
  public String contentType() {
    return MediaTypes.strip(header("Content-Type"));
  }

  @Override
  public String toString() {
    return method + " " + path + " from " + remote;
  }
}
