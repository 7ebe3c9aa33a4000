package io.jmesos.dist.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jmesos.master.Master;
import io.jmesos.master.flags.MasterFlags;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The master benchmark's harness against a real master in this JVM over loopback: simulated agents register
 * through the internal protocol, simulated frameworks subscribe on the v1 scheduler API in protobuf and launch
 * instant tasks, and every count adds up on both sides and in the master's own metrics.
 */
@Timeout(90)
class MasterBenchHarnessTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Master master;

  @AfterEach
  void close() {
    if (master != null) {
      master.close();
    }
  }

  @Test
  void everyLaunchedTaskReachesRunningAndTheFinishingOnesFinish(@TempDir Path work) throws Exception {
    master = Master.builder().flags(MasterFlags.parse(new String[] {"--ip=127.0.0.1", "--port=0",
        "--work_dir=" + work, "--allocation_interval=100ms"}, Map.of())).build();
    InetSocketAddress address = master.start();
    try (SimulatedAgents agents = new SimulatedAgents(new SimulatedAgents.Options(5, 0, "cpus:2;mem:1024",
            "cpus:0.1;mem:32", 1, 10, 10, Duration.ofSeconds(1), false));
        SimulatedFrameworks frameworks = new SimulatedFrameworks(address,
            new SimulatedFrameworks.Options(2, "*", 0.1, 32, 4, 1, 2, 1000))) {
      agents.registerAll(address, WAIT);
      assertThat(agents.registered()).isEqualTo(5);
      assertThat(agents.registrationNanos()).hasSize(5);
      frameworks.subscribeAll(WAIT);

      frameworks.record(true);
      frameworks.launch(40, 15);
      await().atMost(WAIT).until(() -> frameworks.running() == 40 && frameworks.finished() == 15
          && agents.tasks().pending() == 0);
      frameworks.stopLaunching();

      assertThat(frameworks.launched()).as("tasks in ACCEPT calls").isEqualTo(40);
      assertThat(frameworks.latencies().sorted()).as("an ACCEPT -> TASK_RUNNING latency per task").hasSize(40);
      assertThat(frameworks.otherStates()).isZero();
      assertThat(frameworks.failedCalls()).isZero();
      assertThat(frameworks.errors()).isZero();
      assertThat(frameworks.acknowledgements()).isEqualTo(55);
      InstantTasks tasks = agents.tasks();
      assertThat(tasks.launched()).as("RunTaskMessages at the agents").isEqualTo(40);
      assertThat(tasks.acknowledged()).as("acknowledgements forwarded to the agents").isEqualTo(55);
      assertThat(tasks.finished()).isEqualTo(15);
      assertThat(tasks.unknownAcknowledgements()).isZero();
      assertThat(agents.unexpectedMessages()).isZero();

      JsonNode metrics = get(address, "/metrics/snapshot");
      assertThat(metrics.get("master/slaves_active").asInt()).isEqualTo(5);
      assertThat(metrics.get("master/frameworks_active").asInt()).isEqualTo(2);
      assertThat(metrics.get("master/tasks_running").asInt()).isEqualTo(25);
      assertThat(metrics.get("master/tasks_finished").asInt()).isEqualTo(15);
      assertThat(metrics.get("master/valid_status_update_acknowledgements").asInt()).isEqualTo(55);
      JsonNode state = get(address, "/state");
      int running = 0;
      int completed = 0;
      for (JsonNode framework : state.get("frameworks")) {
        running += framework.get("tasks").size();
        completed += framework.get("completed_tasks").size();
      }
      assertThat(running).isEqualTo(25);
      assertThat(completed).isEqualTo(15);

      assertThat(frameworks.reconcile(0).get()).as("a scheduler call answered").isEqualTo(202);
    }
  }

  @Test
  void tasksFinishedAtOnceReportOnlyTaskFinishedAndOffersAreHeldWhileTheBoundIsReached(@TempDir Path work)
      throws Exception {
    master = Master.builder().flags(MasterFlags.parse(new String[] {"--ip=127.0.0.1", "--port=0",
        "--work_dir=" + work, "--allocation_interval=100ms"}, Map.of())).build();
    InetSocketAddress address = master.start();
    try (SimulatedAgents agents = new SimulatedAgents(new SimulatedAgents.Options(3, 0, "cpus:2;mem:1024",
            "cpus:0.1;mem:32", 1, 10, 10, Duration.ofSeconds(1), false));
        SimulatedFrameworks frameworks = new SimulatedFrameworks(address,
            new SimulatedFrameworks.Options(2, "*", 0.1, 32, 10, 1, 2, 2))) {
      agents.registerAll(address, WAIT);
      frameworks.subscribeAll(WAIT);

      // At most one task awaiting its first update per framework: the other offers are held, then used.
      frameworks.launch(30, 20, true);
      await().atMost(WAIT).until(() -> frameworks.running() == 10 && frameworks.finished() == 20
          && agents.tasks().pending() == 0);
      frameworks.stopLaunching();

      assertThat(frameworks.launched()).isEqualTo(30);
      assertThat(frameworks.heldOffers()).as("offers kept while a framework had its share in flight").isPositive();
      assertThat(frameworks.awaitingRunning()).as("no task left awaiting its first update").isZero();
      assertThat(frameworks.otherStates()).isZero();
      assertThat(frameworks.failedCalls()).isZero();
      assertThat(frameworks.acknowledgements()).as("one per running task, one per finished task").isEqualTo(30);
      InstantTasks tasks = agents.tasks();
      assertThat(tasks.updatesSent()).isEqualTo(30);
      assertThat(tasks.acknowledged()).isEqualTo(30);
      assertThat(tasks.finished()).isEqualTo(20);
      assertThat(tasks.unknownAcknowledgements()).isZero();

      JsonNode metrics = get(address, "/metrics/snapshot");
      assertThat(metrics.get("master/tasks_running").asInt()).isEqualTo(10);
      assertThat(metrics.get("master/tasks_finished").asInt()).isEqualTo(20);
      JsonNode state = get(address, "/state");
      int completed = 0;
      for (JsonNode framework : state.get("frameworks")) {
        for (JsonNode task : framework.get("completed_tasks")) {
          completed++;
          assertThat(task.get("state").asText()).isEqualTo("TASK_FINISHED");
          assertThat(task.get("statuses")).hasSize(1);
          assertThat(task.get("statuses").get(0).get("state").asText()).isEqualTo("TASK_FINISHED");
        }
      }
      assertThat(completed).isEqualTo(20);
    }
  }

  private JsonNode get(InetSocketAddress address, String path) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + address.getPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return JSON.readTree(response.body());
  }
}
