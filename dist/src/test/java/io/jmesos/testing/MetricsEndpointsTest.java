package io.jmesos.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jmesos.resources.Resources;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.MesosSchedulerDriver;
import org.apache.mesos.Protos.CommandInfo;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code /metrics/snapshot} and {@code /metrics/prometheus} on a running master and agent: Mesos 1.11's keys
 * (those mesos_exporter reads among them), counters that move with their events, and an exposition that
 * Prometheus' own {@code promtool} parses.
 */
@Timeout(90)
class MetricsEndpointsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** Mesos 1.11 master keys for features jmesos has (mesos_exporter v1.1.2 reads most of them). */
  static final List<String> MASTER_KEYS = List.of(
      "master/elected", "master/uptime_secs",
      "master/slaves_active", "master/slaves_inactive", "master/slaves_connected", "master/slaves_disconnected",
      "master/slaves_unreachable", "master/slave_registrations", "master/slave_reregistrations",
      "master/slave_removals", "master/slave_removals/reason_unhealthy", "master/slave_removals/reason_unregistered",
      "master/slave_shutdowns_scheduled", "master/slave_shutdowns_completed", "master/slave_shutdowns_canceled",
      "master/slave_unreachable_scheduled", "master/slave_unreachable_completed", "master/slave_unreachable_canceled",
      "master/recovery_slave_removals",
      "master/frameworks_active", "master/frameworks_inactive", "master/frameworks_connected",
      "master/frameworks_disconnected", "master/outstanding_offers", "master/operator_event_stream_subscribers",
      "master/tasks_staging", "master/tasks_starting", "master/tasks_running", "master/tasks_killing",
      "master/tasks_unreachable", "master/tasks_finished", "master/tasks_failed", "master/tasks_killed",
      "master/tasks_lost", "master/tasks_error", "master/tasks_dropped", "master/tasks_gone",
      "master/tasks_gone_by_operator",
      "master/cpus_total", "master/cpus_used", "master/cpus_percent", "master/mem_total", "master/mem_used",
      "master/mem_percent", "master/disk_total", "master/disk_used", "master/disk_percent", "master/gpus_total",
      "master/gpus_used", "master/gpus_percent",
      "master/cpus_revocable_total", "master/cpus_revocable_used", "master/cpus_revocable_percent",
      "master/mem_revocable_total", "master/mem_revocable_used", "master/disk_revocable_total",
      "master/disk_revocable_used", "master/gpus_revocable_total",
      "master/valid_status_updates", "master/invalid_status_updates",
      "master/valid_status_update_acknowledgements", "master/invalid_status_update_acknowledgements",
      "master/valid_framework_to_executor_messages", "master/invalid_framework_to_executor_messages",
      "master/valid_executor_to_framework_messages", "master/invalid_executor_to_framework_messages",
      "master/messages_register_framework", "master/messages_reregister_framework",
      "master/messages_unregister_framework", "master/messages_kill_task",
      "master/messages_status_update_acknowledgement", "master/messages_resource_request",
      "master/messages_launch_tasks", "master/messages_decline_offers", "master/messages_revive_offers",
      "master/messages_suppress_offers", "master/messages_reconcile_tasks", "master/messages_framework_to_executor",
      "master/messages_executor_to_framework", "master/messages_register_slave", "master/messages_reregister_slave",
      "master/messages_unregister_slave", "master/messages_status_update", "master/messages_exited_executor",
      "master/messages_deactivate_framework", "master/messages_update_slave",
      "master/dropped_messages",
      "master/event_queue_messages", "master/event_queue_dispatches", "master/event_queue_http_requests",
      "registrar/queued_operations", "registrar/registry_size_bytes", "registrar/state_fetch_ms",
      "registrar/state_store_ms", "registrar/state_store_ms/p50", "registrar/state_store_ms/p99",
      "allocator/event_queue_dispatches", "allocator/mesos/event_queue_dispatches",
      "allocator/mesos/allocation_runs", "allocator/mesos/allocation_run_ms", "allocator/mesos/allocation_run_ms/min",
      "allocator/mesos/allocation_run_ms/max", "allocator/mesos/allocation_run_ms/p50",
      "allocator/mesos/allocation_run_ms/p90", "allocator/mesos/allocation_run_ms/p95",
      "allocator/mesos/allocation_run_ms/p99", "allocator/mesos/allocation_run_ms/p999",
      "allocator/mesos/allocation_run_ms/p9999", "allocator/mesos/allocation_run_latency_ms",
      "allocator/mesos/allocation_run_latency_ms/p9999",
      "allocator/mesos/resources/cpus/total", "allocator/mesos/resources/cpus/offered_or_allocated",
      "allocator/mesos/resources/mem/total", "allocator/mesos/resources/mem/offered_or_allocated",
      "allocator/mesos/resources/disk/total", "allocator/mesos/resources/disk/offered_or_allocated",
      "system/cpus_total", "system/load_1min", "system/load_5min", "system/load_15min", "system/mem_total_bytes",
      "system/mem_free_bytes");

  /** Mesos 1.11 agent keys for features jmesos has (mesos_exporter v1.1.2 reads most of them). */
  static final List<String> AGENT_KEYS = List.of(
      "slave/uptime_secs", "slave/registered", "slave/recovery_errors", "slave/recovery_time_secs",
      "slave/frameworks_active", "slave/executor_directory_max_allowed_age_secs",
      "slave/tasks_staging", "slave/tasks_starting", "slave/tasks_running", "slave/tasks_killing",
      "slave/tasks_finished", "slave/tasks_failed", "slave/tasks_killed", "slave/tasks_lost", "slave/tasks_gone",
      "slave/executors_registering", "slave/executors_running", "slave/executors_terminating",
      "slave/executors_terminated", "slave/executors_preempted",
      "slave/valid_status_updates", "slave/invalid_status_updates", "slave/valid_framework_messages",
      "slave/invalid_framework_messages", "slave/container_launch_errors",
      "slave/cpus_total", "slave/cpus_used", "slave/cpus_percent", "slave/mem_total", "slave/mem_used",
      "slave/mem_percent", "slave/disk_total", "slave/disk_used", "slave/disk_percent", "slave/gpus_total",
      "slave/gpus_used", "slave/gpus_percent",
      "slave/cpus_revocable_total", "slave/cpus_revocable_used", "slave/cpus_revocable_percent",
      "slave/mem_revocable_total", "slave/mem_revocable_used", "slave/disk_revocable_total",
      "slave/disk_revocable_used", "slave/gpus_revocable_total", "slave/gpus_revocable_used",
      "gc/path_removals_pending", "gc/path_removals_succeeded", "gc/path_removals_failed",
      "containerizer/fetcher/task_fetches_succeeded", "containerizer/fetcher/task_fetches_failed",
      "containerizer/fetcher/cache_size_total_bytes", "containerizer/fetcher/cache_size_used_bytes",
      "system/cpus_total", "system/load_1min", "system/load_5min", "system/load_15min", "system/mem_total_bytes",
      "system/mem_free_bytes");

  /**
   * The keys mesos_exporter v1.1.2 reads by exact name (the resource {@code mesos_exporter_keys.tsv}, extracted
   * from its {@code master.go} and {@code slave.go}) that jmesos does not serve, each for the reason
   * {@code docs/compatibility.md} gives: no replicated log, no overlay network module, no xfs disk or linux
   * filesystem isolator, no image provisioner, container destruction failures not counted yet, and a key Mesos
   * 1.11 itself does not have.
   */
  static final List<String> EXPORTER_MASTER_KEYS_ABSENT = List.of(
      "registrar/log/ensemble_size", "registrar/log/recovered", "overlay/log/ensemble_size", "overlay/log/recovered");
  static final List<String> EXPORTER_AGENT_KEYS_ABSENT = List.of(
      "containerizer/mesos/container_destroy_errors",
      "containerizer/mesos/disk/project_ids_free", "containerizer/mesos/disk/project_ids_total",
      "containerizer/mesos/filesystem/containers_new_rootfs",
      "containerizer/mesos/provisioner/bind/remove_rootfs_errors",
      "containerizer/mesos/provisioner/remove_container_errors", "slave/tasks_error");

  @Test
  void theMasterAndTheAgentServeMesosKeysAndTheirCountersMoveWithTheirEvents() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      InetSocketAddress master = cluster.master().address();
      InetSocketAddress agent = cluster.agent(0).address();
      JsonNode before = json(master, "/metrics/snapshot");
      assertThat(before.get("master/messages_register_slave").asDouble()).isEqualTo(1.0);
      assertThat(before.get("master/messages_register_framework").asDouble()).isEqualTo(0.0);

      RecordingScheduler scheduler = new RecordingScheduler();
      MesosSchedulerDriver driver = cluster.driver(scheduler,
          FrameworkInfo.newBuilder().setUser("").setName("metrics").build());
      driver.start();
      Offer offer = scheduler.nextOffers().get(0);
      TaskInfo task = TaskInfo.newBuilder()
          .setName("finishes")
          .setTaskId(TaskID.newBuilder().setValue("finishes"))
          .setSlaveId(offer.getSlaveId())
          .addAllResources(Resources.parse("cpus:0.5;mem:64").toList())
          .setCommand(CommandInfo.newBuilder().setShell(true).setValue("true"))
          .build();
      driver.launchTasks(List.of(offer.getId()), List.of(task));
      scheduler.awaitStatus(task.getTaskId(), TaskState.TASK_FINISHED);
      cluster.settle();

      JsonNode masterMetrics = json(master, "/metrics/snapshot");
      assertThat(keys(masterMetrics)).containsAll(MASTER_KEYS);
      assertThat(masterMetrics.get("master/messages_register_framework").asDouble()).isEqualTo(1.0);
      assertThat(masterMetrics.get("master/messages_launch_tasks").asDouble()).isEqualTo(1.0);
      assertThat(masterMetrics.get("master/tasks_finished").asDouble()).isEqualTo(1.0);
      // TASK_STARTING? (command executor), TASK_RUNNING and TASK_FINISHED, each acknowledged by the driver.
      assertThat(masterMetrics.get("master/messages_status_update").asDouble()).isGreaterThanOrEqualTo(2.0);
      assertThat(masterMetrics.get("master/messages_status_update_acknowledgement").asDouble())
          .isEqualTo(masterMetrics.get("master/valid_status_update_acknowledgements").asDouble())
          .isGreaterThanOrEqualTo(2.0);
      assertThat(masterMetrics.get("system/cpus_total").asDouble()).isGreaterThanOrEqualTo(1.0);
      assertThat(masterMetrics.get("system/mem_total_bytes").asDouble())
          .isGreaterThan(masterMetrics.get("system/mem_free_bytes").asDouble());

      JsonNode agentMetrics = json(agent, "/metrics/snapshot");
      assertThat(keys(agentMetrics)).containsAll(AGENT_KEYS);
      assertThat(agentMetrics.get("slave/tasks_finished").asDouble()).isEqualTo(1.0);
      assertThat(agentMetrics.get("slave/valid_status_updates").asDouble()).isGreaterThanOrEqualTo(2.0);
      assertThat(agentMetrics.get("slave/registered").asDouble()).isEqualTo(1.0);
      // The task's container is one fetch (of no URIs).
      assertThat(agentMetrics.get("containerizer/fetcher/task_fetches_succeeded").asDouble()).isEqualTo(1.0);

      assertThat(exporterKeys("master")).hasSize(134).filteredOn(k -> !masterMetrics.has(k))
          .containsExactlyInAnyOrderElementsOf(EXPORTER_MASTER_KEYS_ABSENT);
      assertThat(exporterKeys("agent")).hasSize(63).filteredOn(k -> !agentMetrics.has(k))
          .containsExactlyInAnyOrderElementsOf(EXPORTER_AGENT_KEYS_ABSENT);
    }
  }

  @Test
  void prometheusExpositionOfBothDaemonsParsesWithPromtool() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      for (InetSocketAddress daemon : List.of(cluster.master().address(), cluster.agent(0).address())) {
        HttpResponse<String> response = get(daemon, "/metrics/prometheus");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        String body = "\n" + response.body();
        promtool(body);
        for (String key : keys(json(daemon, "/metrics/snapshot"))) {
          String name = "mesos_" + key.replaceAll("[^a-zA-Z0-9_]", "_");
          assertThat(body).contains("\n# HELP " + name + " Mesos metric " + key + "\n");
        }
        assertThat(body).contains("\njvm_memory_bytes_used{area=\"heap\"} ", "\njvm_threads_current ",
            "\nprocess_start_time_seconds ", "\njvm_gc_collection_seconds_total{gc=");
      }
      HttpResponse<String> badTimeout = get(cluster.master().address(), "/metrics/prometheus?timeout=soon");
      assertThat(badTimeout.statusCode()).isEqualTo(400);
    }
  }

  /**
   * Runs {@code promtool check metrics} on {@code exposition}: it must parse; lint remarks (exit 3) about
   * Mesos' names (gauges named {@code *_total}, {@code _ms} units) are not parse failures and are accepted.
   */
  private static void promtool(String exposition) throws IOException, InterruptedException {
    Process process;
    try {
      process = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError("promtool is missing: install Debian's 'prometheus' package (.ci/run does)", e);
    }
    try (OutputStream in = process.getOutputStream()) {
      in.write(exposition.getBytes(StandardCharsets.UTF_8));
    }
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    try (InputStream out = process.getInputStream()) {
      out.transferTo(output);
    }
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String report = output.toString(StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as("promtool exit code; report:%n%s", report).isIn(0, 3);
    for (String line : report.split("\n")) {
      if (!line.isBlank()) {
        assertThat(line).as("promtool report line").doesNotContainIgnoringCase("error")
            .matches("[a-zA-Z_][a-zA-Z0-9_]* .*");
      }
    }
  }

  /** The keys of {@code daemon} ({@code master} or {@code agent}) in {@code mesos_exporter_keys.tsv}. */
  private static List<String> exporterKeys(String daemon) throws IOException {
    List<String> keys = new ArrayList<>();
    try (InputStream in = MetricsEndpointsTest.class.getResourceAsStream("mesos_exporter_keys.tsv")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String[] columns = line.split("\t");
        if (!line.startsWith("#") && columns.length >= 2 && columns[0].equals(daemon)) {
          keys.add(columns[1]);
        }
      }
    }
    return keys;
  }

  private static List<String> keys(JsonNode node) {
    List<String> keys = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
      keys.add(it.next());
    }
    return keys;
  }

  private static JsonNode json(InetSocketAddress address, String path) throws IOException, InterruptedException {
    HttpResponse<String> response = get(address, path);
    assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static HttpResponse<String> get(InetSocketAddress address, String path)
      throws IOException, InterruptedException {
    URI uri = URI.create("http://" + address.getHostString() + ":" + address.getPort() + path);
    return HTTP.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
