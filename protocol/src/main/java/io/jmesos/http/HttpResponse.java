package io.jmesos.http;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** A complete HTTP response. Immutable; build with the static factories and {@link #withHeader}. */
public final class HttpResponse {
  private final int status;
  private final Map<String, String> headers;
  private final byte[] body;

  public HttpResponse(int status, Map<String, String> headers, byte[] body) {
    this.status = status;
    TreeMap<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    h.putAll(headers);
    this.headers = Collections.unmodifiableMap(h);
    this.body = Objects.requireNonNull(body);
  }

  public static HttpResponse of(int status, String contentType, byte[] body) {
    return new HttpResponse(status, Map.of("Content-Type", contentType), body);
  }

  public static HttpResponse json(String json) {
    return of(200, MediaTypes.JSON, json.getBytes(StandardCharsets.UTF_8));
  }

  public static HttpResponse json(byte[] json) {
    return of(200, MediaTypes.JSON, json);
  }

  /** A plain-text response, e.g. an error message for a 400. */
  public static HttpResponse text(int status, String message) {
    return of(status, MediaTypes.TEXT, message.getBytes(StandardCharsets.UTF_8));
  }

  public static HttpResponse status(int status) {
    return new HttpResponse(status, Map.of(), new byte[0]);
  }

  public static HttpResponse accepted() {
    return status(202);
  }

  public static HttpResponse ok() {
    return status(200);
  }

  public HttpResponse withHeader(String name, String value) {
    TreeMap<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    h.putAll(headers);
    h.put(name, value);
    return new HttpResponse(status, h, body);
  }

  public int status() {
    return status;
  }

  public Map<String, String> headers() {
    return headers;
  }

  public String header(String name) {
    return headers.get(name);
  }

  public byte[] body() {
    return body;
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "HTTP " + status + " (" + body.length + " bytes)";
  }
}
