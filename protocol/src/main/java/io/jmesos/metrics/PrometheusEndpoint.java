package io.jmesos.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jmesos.http.EventStream;
import io.jmesos.http.HttpHandler;
import io.jmesos.http.HttpResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code /metrics/prometheus} (a jmesos addition): asks a daemon's {@code /metrics/snapshot} handler for its
 * snapshot, with the same request (so {@code timeout} is honoured as there), and answers with the snapshot in
 * Prometheus' text format ({@link PrometheusText}). Anything but a 200 snapshot is passed back unchanged.
 * Thread-safe.
 */
public final class PrometheusEndpoint {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PrometheusEndpoint() {}

  /** The Prometheus endpoint over {@code snapshot}, a handler that answers with Mesos' snapshot JSON. */
  public static HttpHandler of(HttpHandler snapshot) {
    return (request, responder) -> snapshot.handle(request, new io.jmesos.http.HttpResponder() {
      @Override
      public void respond(HttpResponse response) {
        responder.respond(response.status() == 200 ? exposition(response) : response);
      }

      @Override
      public EventStream stream(int status, Map<String, String> headers) {
        throw new IllegalStateException("/metrics/snapshot does not stream");
      }
    });
  }

  private static HttpResponse exposition(HttpResponse snapshot) {
    Map<String, Double> values = new TreeMap<>();
    try {
      JsonNode root = JSON.readTree(snapshot.body());
      for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
        Map.Entry<String, JsonNode> field = it.next();
        if (field.getValue().isNumber()) {
          values.put(field.getKey(), field.getValue().doubleValue());
        }
      }
    } catch (IOException e) {
      return HttpResponse.text(500, "Failed to read the metrics snapshot: " + e.getMessage());
    }
    return HttpResponse.of(200, PrometheusText.CONTENT_TYPE,
        PrometheusText.render(values).getBytes(StandardCharsets.UTF_8));
  }
}
