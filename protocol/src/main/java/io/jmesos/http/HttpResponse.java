package io.jmesos.http;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A complete HTTP response. Immutable; build with the static factories and {@link #withHeader}. The body is
 * either bytes held in memory or, for {@link #file}, a file the server streams from disk when it writes the
 * response (its length is taken then).
 */
public final class HttpResponse {
  private final int status;
  private final Map<String, String> headers;
  private final byte[] body;
  private final Path file;

  public HttpResponse(int status, Map<String, String> headers, byte[] body) {
    this(status, headers, body, null);
  }

  private HttpResponse(int status, Map<String, String> headers, byte[] body, Path file) {
    this.status = status;
    TreeMap<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    h.putAll(headers);
    this.headers = Collections.unmodifiableMap(h);
    this.body = Objects.requireNonNull(body);
    this.file = file;
  }

  /**
   * A response whose body is the content of {@code file}, sent without reading it into memory (the server
   * answers 404 if the file is gone by then, 500 if it cannot be opened).
   */
  public static HttpResponse file(int status, String contentType, Path file) {
    return new HttpResponse(status, Map.of("Content-Type", contentType), new byte[0], Objects.requireNonNull(file));
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
    return new HttpResponse(status, h, body, file);
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

  /** The in-memory body; empty for a {@link #file} response. */
  public byte[] body() {
    return body;
  }

  /** The file to stream as the body, or null when the body is {@link #body()}. */
  public Path file() {
    return file;
  }

  /** The status code and its reason phrase, e.g. {@code 401 Unauthorized}, as Mesos prints a response status. */
  public static String statusLine(int status) {
    return io.netty.handler.codec.http.HttpResponseStatus.valueOf(status).toString();
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "HTTP " + status + (file != null ? " (file " + file + ")" : " (" + body.length + " bytes)");
  }
}
