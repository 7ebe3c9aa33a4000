package io.jmesos.master;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.jmesos.http.HttpClient;
import io.jmesos.http.HttpResponse;
import io.jmesos.internal.Messages.RunTaskMessage;
import io.jmesos.internal.Messages.StatusUpdate;
import io.jmesos.internal.Messages.StatusUpdateMessage;
import io.jmesos.master.testing.FakeAgent;
import io.jmesos.master.testing.TestCluster;
import io.jmesos.master.testing.TestScheduler;
import io.jmesos.master.testing.V1;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The master's {@code /frameworks}, {@code /slaves} and {@code /tasks}, as Mesos 1.11 serves them: the parts of
 * {@code /state} they list, their query parameters, and {@code /tasks}' order (by the first status's time,
 * descending by default) with {@code offset} and {@code limit}.
 */
@Timeout(60)
class ListingEndpointsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private TestCluster cluster;
  private HttpClient http;
  private TestScheduler scheduler;
  private FakeAgent agent;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster();
    http = new HttpClient("listing-test");
    scheduler = cluster.scheduler(true);
    scheduler.subscribe(TestScheduler.frameworkInfo().build());
    agent = cluster.agent("cpus:2;mem:1024");
    Offer offer = scheduler.expect(Event.Type.OFFERS).getOffers().getOffers(0);
    // Three tasks whose first statuses are at times 1, 3 and 2; a fourth stays staging (no status).
    scheduler.call(V1.launch(offer,
        V1.commandTask("a", offer.getAgentId(), "cpus:0.1;mem:32"),
        V1.commandTask("b", offer.getAgentId(), "cpus:0.1;mem:32"),
        V1.commandTask("c", offer.getAgentId(), "cpus:0.1;mem:32"),
        V1.commandTask("staging", offer.getAgentId(), "cpus:0.1;mem:32")));
    List<RunTaskMessage> runs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      runs.add(agent.expect(RunTaskMessage.getDefaultInstance()));
    }
    for (RunTaskMessage run : runs) {
      String id = run.getTask().getTaskId().getValue();
      double time = switch (id) {
        case "a" -> 1.0;
        case "b" -> 3.0;
        case "c" -> 2.0;
        default -> -1;
      };
      if (time < 0) {
        continue;
      }
      ByteString uuid = ByteString.copyFrom(new byte[] {(byte) id.charAt(0), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
          13, 14, 15});
      agent.send(StatusUpdateMessage.newBuilder().setUpdate(StatusUpdate.newBuilder()
          .setFrameworkId(run.getFrameworkId()).setSlaveId(agent.id()).setTimestamp(time).setUuid(uuid)
          .setStatus(TaskStatus.newBuilder().setTaskId(run.getTask().getTaskId()).setState(TaskState.TASK_RUNNING)
              .setTimestamp(time).setUuid(uuid))).build());
      scheduler.expect(Event.Type.UPDATE);
    }
  }

  @AfterEach
  void stop() throws Exception {
    http.close();
    cluster.close();
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse r = http.get(cluster.address, path).get(10, TimeUnit.SECONDS);
    assertThat(r.status()).as(path).isEqualTo(200);
    assertThat(r.header("Content-Type")).startsWith("application/json");
    return MAPPER.readTree(r.body());
  }

  private List<String> taskIds(String path) throws Exception {
    List<String> ids = new ArrayList<>();
    get(path).get("tasks").forEach(t -> ids.add(t.get("id").asText()));
    return ids;
  }

  @Test
  void tasksAreSortedByTheirFirstStatusAndPaged() throws Exception {
    assertThat(taskIds("/tasks")).containsExactly("b", "c", "a", "staging");
    assertThat(taskIds("/master/tasks.json?order=asc")).containsExactly("staging", "a", "c", "b");
    assertThat(taskIds("/tasks?order=asc&offset=1&limit=2")).containsExactly("a", "c");
    assertThat(taskIds("/tasks?limit=1")).containsExactly("b");
    assertThat(taskIds("/tasks?offset=9")).isEmpty();
    assertThat(taskIds("/tasks?limit=nonsense")).as("an invalid limit is the default, as Mesos")
        .containsExactly("b", "c", "a", "staging");
    String frameworkId = scheduler.frameworkId().getValue();
    assertThat(taskIds("/tasks?framework_id=" + frameworkId + "&task_id=c")).containsExactly("c");
    assertThat(taskIds("/tasks?framework_id=other")).isEmpty();
    JsonNode task = get("/tasks?task_id=a").get("tasks").get(0);
    assertThat(task.get("state").asText()).isEqualTo("TASK_RUNNING");
    assertThat(task.get("framework_id").asText()).isEqualTo(frameworkId);
    assertThat(task.get("slave_id").asText()).isEqualTo(agent.id().getValue());
  }

  @Test
  void frameworksAndSlavesListWhatStateLists() throws Exception {
    JsonNode state = get("/state");
    JsonNode frameworks = get("/frameworks");
    assertThat(frameworks.get("frameworks")).isEqualTo(state.get("frameworks"));
    assertThat(frameworks.get("completed_frameworks")).isEmpty();
    assertThat(frameworks.get("unregistered_frameworks")).isEmpty();
    String frameworkId = scheduler.frameworkId().getValue();
    assertThat(get("/master/frameworks?framework_id=" + frameworkId).get("frameworks")).hasSize(1);
    assertThat(get("/frameworks.json?framework_id=other").get("frameworks")).isEmpty();

    JsonNode slaves = get("/slaves");
    // /slaves adds the full resources (Mesos' SlavesWriter) to what /state lists.
    JsonNode listed = slaves.get("slaves").deepCopy();
    for (JsonNode slave : listed) {
      assertThat(slave.has("unreserved_resources_full")).isTrue();
      ((com.fasterxml.jackson.databind.node.ObjectNode) slave).remove(List.of("reserved_resources_full",
          "unreserved_resources_full", "used_resources_full", "offered_resources_full"));
    }
    assertThat(listed).isEqualTo(state.get("slaves"));
    assertThat(slaves.get("recovered_slaves")).isEmpty();
    assertThat(get("/master/slaves.json?slave_id=" + agent.id().getValue()).get("slaves").get(0).get("hostname")
        .asText()).isEqualTo("fake-host");
    assertThat(get("/slaves?slave_id=other").get("slaves")).isEmpty();
  }

  @Test
  void flagsListsTheMastersFlags() throws Exception {
    JsonNode flags = get("/flags").get("flags");
    assertThat(flags.get("registry").asText()).isNotEmpty();
    assertThat(flags.get("agent_ping_timeout").asText()).isNotEmpty();
    assertThat(get("/master/flags.json").get("flags")).isEqualTo(flags);
    assertThat(get("/state").get("flags")).isEqualTo(flags);
  }

  /** Mesos' /state-summary: agents and frameworks with their task counts by state and each other's ids. */
  @Test
  void stateSummaryCountsTasksByState() throws Exception {
    JsonNode summary = get("/state-summary");
    String frameworkId = scheduler.frameworkId().getValue();
    assertThat(summary.get("hostname").asText()).isNotEmpty();
    JsonNode slave = summary.get("slaves").get(0);
    assertThat(slave.get("id").asText()).isEqualTo(agent.id().getValue());
    assertThat(slave.get("TASK_RUNNING").asInt()).isEqualTo(3);
    assertThat(slave.get("TASK_STAGING").asInt()).isEqualTo(1);
    assertThat(slave.get("TASK_FINISHED").asInt()).isZero();
    assertThat(slave.get("framework_ids")).extracting(JsonNode::asText).containsExactly(frameworkId);
    assertThat(slave.get("resources").get("cpus").asDouble()).isEqualTo(2.0);
    JsonNode framework = summary.get("frameworks").get(0);
    assertThat(framework.get("id").asText()).isEqualTo(frameworkId);
    assertThat(framework.get("TASK_RUNNING").asInt()).isEqualTo(3);
    assertThat(framework.get("TASK_STAGING").asInt()).isEqualTo(1);
    assertThat(framework.get("slave_ids")).extracting(JsonNode::asText).containsExactly(agent.id().getValue());
    assertThat(framework.get("used_resources").get("cpus").asDouble()).isEqualTo(0.4, org.assertj.core.data
        .Offset.offset(1e-9));
    assertThat(framework.has("tasks")).as("a summary lists no tasks").isFalse();
    assertThat(get("/master/state-summary").get("slaves")).hasSize(1);
  }

  /** Mesos' /teardown: a form body naming the framework; errors as Mesos words them. */
  @Test
  void teardownEndpointRemovesTheFramework() throws Exception {
    String form = "application/x-www-form-urlencoded";
    HttpResponse missing = http.post(cluster.address, "/teardown", form, new byte[0], java.util.Map.of())
        .get(10, TimeUnit.SECONDS);
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.bodyText()).isEqualTo("Missing 'frameworkId' query parameter in the request body");
    HttpResponse unknown = http.post(cluster.address, "/teardown", form, "frameworkId=nope".getBytes(),
        java.util.Map.of()).get(10, TimeUnit.SECONDS);
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.bodyText()).isEqualTo("No framework found with specified ID");
    assertThat(http.get(cluster.address, "/teardown").get(10, TimeUnit.SECONDS).status()).isEqualTo(405);

    String id = scheduler.frameworkId().getValue();
    HttpResponse done = http.post(cluster.address, "/master/teardown", form, ("frameworkId=" + id).getBytes(),
        java.util.Map.of())
        .get(10, TimeUnit.SECONDS);
    assertThat(done.status()).isEqualTo(200);
    JsonNode state = get("/state");
    assertThat(state.get("frameworks")).isEmpty();
    assertThat(state.get("completed_frameworks").get(0).get("id").asText()).isEqualTo(id);
    assertThat(state.get("completed_frameworks").get(0).get("completed_tasks")).hasSize(4);
  }

  /** ?jsonp wraps a JSON endpoint's document for a script tag, as Mesos' web UI loads an agent's. */
  @Test
  void jsonpWrapsTheDocument() throws Exception {
    HttpResponse r = http.get(cluster.address, "/state-summary?jsonp=cb_1").get(10, TimeUnit.SECONDS);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).isEqualTo("text/javascript");
    String body = r.bodyText();
    assertThat(body).startsWith("cb_1(").endsWith(")");
    JsonNode wrapped = MAPPER.readTree(body.substring("cb_1(".length(), body.length() - 1));
    assertThat(wrapped.get("slaves").get(0).get("id").asText()).isEqualTo(agent.id().getValue());
    assertThat(http.get(cluster.address, "/tasks?jsonp=x%3Dalert(1)").get(10, TimeUnit.SECONDS).status())
        .isEqualTo(400);
  }

  /** /version as Mesos': the version with the build's date, time and user (and git commit when built in git). */
  @Test
  void versionHasTheBuildFields() throws Exception {
    JsonNode version = get("/version");
    assertThat(version.get("version").asText()).isEqualTo("1.11.0");
    assertThat(version.get("build_user").asText()).isNotEmpty();
    assertThat(version.get("build_time").asDouble()).isPositive();
    assertThat(version.get("build_date").asText()).matches("\\d{4}-\\d{2}-\\d{2} .*");
  }
}
