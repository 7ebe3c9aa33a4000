package io.jmesos.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a daemon's JSON endpoints (a master's or an agent's) from the outside, as an operator's tool would:
 * {@code /state} and {@code /metrics/snapshot}, plus helpers that find frameworks, agents and tasks in a
 * master's {@code /state} document. Stateless apart from its HTTP client; safe to use from any thread.
 */
final class DaemonEndpoints {
  /** The three places a master's {@code /state} lists a framework's tasks, in Mesos' field names. */
  static final List<String> TASK_SECTIONS = List.of("tasks", "unreachable_tasks", "completed_tasks");

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final int port;

  DaemonEndpoints(int port) {
    this.port = port;
  }

  JsonNode state() throws IOException, InterruptedException {
    return getJson("/state");
  }

  JsonNode metrics() throws IOException, InterruptedException {
    return getJson("/metrics/snapshot");
  }

  int status(String path) throws IOException, InterruptedException {
    return get(path).statusCode();
  }

  /**
   * Where a master's {@code /redirect} points: the {@code Location} of its 307 ({@code //host:port} of the
   * leader it knows), or empty when it answers anything else (503 while it knows no leader).
   */
  Optional<String> redirect() throws IOException, InterruptedException {
    HttpResponse<String> response = get("/redirect");
    return response.statusCode() == 307 ? response.headers().firstValue("Location") : Optional.empty();
  }

  int port() {
    return port;
  }

  private JsonNode getJson(String path) throws IOException, InterruptedException {
    HttpResponse<String> response = get(path);
    if (response.statusCode() != 200) {
      throw new IOException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The entry of {@code frameworks} (registered frameworks only) with this id. */
  static Optional<JsonNode> framework(JsonNode state, String frameworkId) {
    return find(state.path("frameworks"), frameworkId);
  }

  /** The entry of {@code slaves} with this id. */
  static Optional<JsonNode> agent(JsonNode state, String agentId) {
    return find(state.path("slaves"), agentId);
  }

  /**
   * Where the framework's {@code /state} entry lists the task: each of {@link #TASK_SECTIONS} mapped to the
   * task entries with that id it holds (empty lists where it has none; all empty if the framework is
   * missing).
   */
  static Map<String, List<JsonNode>> placements(JsonNode state, String frameworkId, String taskId) {
    Map<String, List<JsonNode>> placements = new LinkedHashMap<>();
    JsonNode framework = framework(state, frameworkId).orElse(null);
    for (String section : TASK_SECTIONS) {
      List<JsonNode> found = new ArrayList<>();
      if (framework != null) {
        for (JsonNode task : framework.path(section)) {
          if (taskId.equals(task.path("id").asText())) {
            found.add(task);
          }
        }
      }
      placements.put(section, found);
    }
    return placements;
  }

  /** Checks, softly, that the framework's /state entry lists the task exactly once, in {@code section}, as {@code
   * expected}. */
  static void checkOnlyIn(org.assertj.core.api.SoftAssertions s, JsonNode state, String frameworkId, String taskId,
      String section, org.apache.mesos.Protos.TaskState expected) {
    Map<String, List<JsonNode>> placements = placements(state, frameworkId, taskId);
    String where = "/state placements of " + taskId + " " + describe(placements);
    Optional<JsonNode> task = onlyIn(placements, section);
    s.assertThat(task).as(where + ": exactly once, in " + section).isPresent();
    task.ifPresent(t -> s.assertThat(t.path("state").asText()).as(where + ": state").isEqualTo(expected.name()));
  }

  /** The task entry if {@code section} lists it exactly once and no other section lists it. */
  static Optional<JsonNode> onlyIn(Map<String, List<JsonNode>> placements, String section) {
    boolean elsewhere = placements.entrySet().stream()
        .anyMatch(e -> !e.getKey().equals(section) && !e.getValue().isEmpty());
    List<JsonNode> here = placements.getOrDefault(section, List.of());
    return here.size() == 1 && !elsewhere ? Optional.of(here.get(0)) : Optional.empty();
  }

  /** {@code placements} as "section: [state, ...]" pairs, for failure messages. */
  static String describe(Map<String, List<JsonNode>> placements) {
    StringBuilder out = new StringBuilder("{");
    placements.forEach((section, tasks) -> {
      out.append(out.length() > 1 ? ", " : "").append(section).append(": [");
      for (int i = 0; i < tasks.size(); i++) {
        out.append(i > 0 ? ", " : "").append(tasks.get(i).path("state").asText());
      }
      out.append(']');
    });
    return out.append('}').toString();
  }

  private static Optional<JsonNode> find(JsonNode array, String id) {
    for (JsonNode node : array) {
      if (id.equals(node.path("id").asText())) {
        return Optional.of(node);
      }
    }
    return Optional.empty();
  }
}
