package io.jmesos.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * libprocess' {@code ?jsonp=callback}: a 200 JSON answer to a GET is wrapped as {@code callback(<json>)} with
 * Content-Type {@code text/javascript}, as Mesos' {@code OK(json, jsonp)} writes it, so that a page on another
 * origin (Mesos' web UI reading an agent) can load it with a script tag. Unlike Mesos, the callback must be a
 * JavaScript name path ({@code [A-Za-z_$][A-Za-z0-9_$]*} joined by dots, at most 128 characters): anything else
 * is answered 400, so the parameter cannot inject script.
 */
public final class Jsonp {
  public static final String JAVASCRIPT = "text/javascript";
  private static final Pattern CALLBACK =
      Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");

  private Jsonp() {}

  /** The error for a request whose {@code jsonp} parameter is not a callback name, or null when it is fine. */
  static HttpResponse invalid(HttpRequest request) {
    String callback = request.param("jsonp");
    if (callback == null || (callback.length() <= 128 && CALLBACK.matcher(callback).matches())) {
      return null;
    }
    return HttpResponse.text(400, "Invalid 'jsonp' query parameter: expecting a JavaScript function name");
  }

  /** A responder that wraps the JSON answer of a GET carrying {@code jsonp}; {@code responder} itself otherwise. */
  static HttpResponder wrap(HttpRequest request, HttpResponder responder) {
    String callback = request.param("jsonp");
    if (callback == null || !(request.method().equals("GET") || request.method().equals("HEAD"))) {
      return responder;
    }
    return new HttpResponder() {
      @Override
      public void respond(HttpResponse response) {
        responder.respond(wrap(callback, response));
      }

      @Override
      public EventStream stream(int status, Map<String, String> headers) {
        return responder.stream(status, headers);
      }
    };
  }

  /** {@code response} as {@code callback(<body>)} when it is a 200 in-memory JSON body; unchanged otherwise. */
  public static HttpResponse wrap(String callback, HttpResponse response) {
    String type = response.header("Content-Type");
    if (response.status() != 200 || response.file() != null || type == null
        || !MediaTypes.JSON.equals(type.split(";", 2)[0].trim())) {
      return response;
    }
    byte[] prefix = (callback + "(").getBytes(StandardCharsets.US_ASCII);
    byte[] json = response.body();
    byte[] body = new byte[prefix.length + json.length + 1];
    System.arraycopy(prefix, 0, body, 0, prefix.length);
    System.arraycopy(json, 0, body, prefix.length, json.length);
    body[body.length - 1] = ')';
    HttpResponse wrapped = HttpResponse.of(200, JAVASCRIPT, body);
    for (Map.Entry<String, String> header : response.headers().entrySet()) {
      if (!header.getKey().equalsIgnoreCase("Content-Type") && !header.getKey().equalsIgnoreCase("Content-Length")) {
        wrapped = wrapped.withHeader(header.getKey(), header.getValue());
      }
    }
    return wrapped;
  }
}
