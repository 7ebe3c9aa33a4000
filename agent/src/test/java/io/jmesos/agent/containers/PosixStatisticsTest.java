package io.jmesos.agent.containers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jmesos.agent.testing.AgentHarness;
import io.jmesos.http.HttpResponse;
import io.jmesos.http.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import io.jmesos.resources.Resources;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.mesos.Protos.TaskInfo;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code /monitor/statistics} under the default posix isolators: usage summed over the process tree. */
@Timeout(60)
class PosixStatisticsTest {
  @TempDir
  Path workDir;
  AgentHarness h;

  @AfterEach
  void tearDown() {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void statisticsSumTheProcessTreeAndShowTheLimits() throws Exception {
    h = new AgentHarness(workDir).start();
    h.register();
    assertThat(h.getJson("/monitor/statistics").isArray()).isTrue();
    assertThat(h.getJson("/monitor/statistics").size()).isZero();
    TaskInfo task = AgentHarness.customExecutorTask("t1", "e1", "sh -c 'while :; do :; done' & exec sleep 600");
    task = task.toBuilder().setExecutor(task.getExecutor().toBuilder()
        .addAllResources(Resources.parse("cpus:0.25;mem:48", "*").toList())).build();
    h.runTask(task);
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
      JsonNode all = h.getJson("/monitor/statistics.json");
      return all.size() == 1 && all.get(0).get("statistics").path("cpus_user_time_secs").asDouble() > 0.05;
    });
    JsonNode entry = h.getJson("/slave(1)/monitor/statistics").get(0);
    assertThat(entry.get("executor_id").asText()).isEqualTo("e1");
    assertThat(entry.get("framework_id").asText()).isEqualTo(AgentHarness.FRAMEWORK_ID.getValue());
    JsonNode stats = entry.get("statistics");
    assertThat(stats.get("cpus_limit").asDouble()).isEqualTo(0.25);
    assertThat(stats.get("mem_limit_bytes").asLong()).isEqualTo(48L << 20);
    // A shell and a sleep: more than nothing, far less than a gigabyte.
    assertThat(stats.get("mem_rss_bytes").asLong()).isBetween(100_000L, 1L << 30);
    assertThat(stats.has("cpus_nr_periods")).isFalse();

    // The operator API's GET_CONTAINERS carries the same usage.
    HttpResponse response = h.http.post(h.agent.address(), "/api/v1", MediaTypes.JSON,
        "{\"type\":\"GET_CONTAINERS\"}".getBytes(StandardCharsets.UTF_8), java.util.Map.of()).get(10, TimeUnit.SECONDS);
    assertThat(response.status()).isEqualTo(200);
    JsonNode container = new ObjectMapper().readTree(response.body()).get("get_containers").get("containers").get(0);
    assertThat(container.get("executor_id").get("value").asText()).isEqualTo("e1");
    JsonNode usage = container.get("resource_statistics");
    assertThat(usage.get("mem_limit_bytes").asLong()).isEqualTo(48L << 20);
    assertThat(usage.get("mem_rss_bytes").asLong()).isPositive();
    assertThat(usage.get("cpus_user_time_secs").asDouble()).isPositive();

    // Mesos' /containers: the container with its status and usage, filtered by Mesos' query parameters.
    JsonNode listed = h.getJson("/containers").get(0);
    String containerId = container.get("container_id").get("value").asText();
    assertThat(listed.get("container_id").asText()).isEqualTo(containerId);
    assertThat(listed.get("executor_id").asText()).isEqualTo("e1");
    assertThat(listed.get("framework_id").asText()).isEqualTo(AgentHarness.FRAMEWORK_ID.getValue());
    assertThat(listed.get("status").get("container_id").get("value").asText()).isEqualTo(containerId);
    assertThat(listed.get("status").get("executor_pid").asLong()).isPositive();
    assertThat(listed.get("statistics").get("mem_limit_bytes").asLong()).isEqualTo(48L << 20);
    assertThat(h.getJson("/containers?container_id=" + containerId)).hasSize(1);
    assertThat(h.getJson("/slave(1)/containers?container_id=other")).isEmpty();
    assertThat(h.getJson("/containers?framework_id=" + AgentHarness.FRAMEWORK_ID.getValue()
        + "&executor_id=e1")).hasSize(1);
    HttpResponse refused = h.http.get(h.agent.address(), "/containers?executor_id=e1").get(10, TimeUnit.SECONDS);
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.bodyText()).isEqualTo("Supported query parameters are container_id only, framework_id only,"
        + " or executor_id and framework_id only");

    // KILL_CONTAINER (SIGKILL by default) destroys the executor's container; its task fails as when an executor
    // dies; the container is then unknown (404), and signals other than SIGKILL and SIGTERM are refused.
    String kill = "{\"type\":\"KILL_CONTAINER\",\"kill_container\":{\"container_id\":{\"value\":\""
        + containerId + "\"}";
    assertThat(operator(kill + ",\"signal\":2}}").status()).isEqualTo(400);
    assertThat(operator(kill + "}}").status()).isEqualTo(200);
    assertThat(h.awaitUpdate("t1", org.apache.mesos.Protos.TaskState.TASK_FAILED).getStatus().getReason())
        .isEqualTo(org.apache.mesos.Protos.TaskStatus.Reason.REASON_EXECUTOR_TERMINATED);
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> h.getJson("/containers").isEmpty());
    HttpResponse gone = operator(kill + "}}");
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.bodyText()).isEqualTo("Container '" + containerId + "' cannot be found (or is already killed)");
  }

  private HttpResponse operator(String json) throws Exception {
    return h.http.post(h.agent.address(), "/api/v1", MediaTypes.JSON, json.getBytes(StandardCharsets.UTF_8),
        java.util.Map.of()).get(10, TimeUnit.SECONDS);
  }
}
