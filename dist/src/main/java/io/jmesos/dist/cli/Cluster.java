package io.jmesos.dist.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The cluster as the CLI sees it: the leading master (resolved on first use) and its agents, read over HTTP.
 * Mesos' {@code cli.mesos} helpers ({@code get_agents}, {@code get_frameworks}, {@code get_tasks}).
 */
final class Cluster {
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final Supplier<String> masterSpec;
  private final MesosHttp http;
  private final Supplier<CliConfig> config;
  private InetSocketAddress master;

  Cluster(Supplier<String> masterSpec) {
    this(masterSpec, new MesosHttp(TIMEOUT), () -> null);
  }

  /** Reads over {@code http}, with the credentials of {@code config} (null: none). */
  Cluster(Supplier<String> masterSpec, MesosHttp http, Supplier<CliConfig> config) {
    this.masterSpec = masterSpec;
    this.http = http;
    this.config = config;
  }

  InetSocketAddress master() {
    if (master == null) {
      master = MasterResolver.resolve(masterSpec.get(), TIMEOUT);
    }
    return master;
  }

  /** {@code key} of the master's {@code endpoint}, an error when the answer lacks it. */
  JsonNode fromMaster(String endpoint, String key) {
    CliConfig file = config.get();
    JsonNode data = http.get(master(), endpoint, file == null ? null : file.masterAuthorization().orElse(null));
    if (!data.has(key)) {
      throw new CliException("Missing '" + key + "' key in data retrieved from master on '" + endpoint + "'");
    }
    return data.get(key);
  }

  JsonNode fromAgent(InetSocketAddress agent, String endpoint) {
    CliConfig file = config.get();
    return http.get(agent, endpoint, file == null ? null : file.agentAuthorization().orElse(null));
  }

  List<JsonNode> agents() {
    return list(fromMaster("/slaves", "slaves"));
  }

  List<JsonNode> frameworks() {
    return list(fromMaster("/master/frameworks", "frameworks"));
  }

  /** The tasks of {@code /tasks} in Mesos' order, all of them or those with {@code taskId}. */
  List<JsonNode> tasks(String taskId) {
    String query = "?order=asc&limit=-1" + (taskId == null ? "" : "&task_id=" + encode(taskId));
    return list(fromMaster("/tasks" + query, "tasks"));
  }

  /** The task with this id, an error naming it when the master knows none. */
  JsonNode task(String taskId) {
    List<JsonNode> tasks = tasks(taskId);
    if (tasks.isEmpty()) {
      throw new CliException("Unable to find task '" + taskId + "'");
    }
    return tasks.get(0);
  }

  /** A task's latest state as Mesos' CLI shows it: its last status's, else {@code state}, else UNKNOWN. */
  static String state(JsonNode task) {
    JsonNode statuses = task.path("statuses");
    if (statuses.isArray() && statuses.size() > 0) {
      return statuses.get(statuses.size() - 1).path("state").asText("UNKNOWN");
    }
    return task.path("state").asText("UNKNOWN");
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  static List<JsonNode> list(JsonNode array) {
    List<JsonNode> list = new ArrayList<>();
    array.forEach(list::add);
    return list;
  }
}
