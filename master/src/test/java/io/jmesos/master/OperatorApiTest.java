package io.jmesos.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.jmesos.http.HttpClient;
import io.jmesos.http.HttpResponse;
import io.jmesos.http.MediaTypes;
import io.jmesos.internal.Messages.RunTaskMessage;
import io.jmesos.internal.Messages.StatusUpdate;
import io.jmesos.internal.Messages.StatusUpdateMessage;
import io.jmesos.json.MesosJson;
import io.jmesos.master.testing.FakeAgent;
import io.jmesos.master.testing.TestCluster;
import io.jmesos.master.testing.TestScheduler;
import io.jmesos.master.testing.V1;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Metric;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.Role;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.master.Protos.Call;
import org.apache.mesos.v1.master.Protos.Response;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The v1 operator API, {@code POST /api/v1}: request checks, then each implemented call in JSON and protobuf. */
@Timeout(60)
class OperatorApiTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private TestCluster cluster;
  private HttpClient http;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster();
    http = new HttpClient("operator-test");
  }

  @AfterEach
  void stop() {
    http.close();
    cluster.close();
  }

  // ---- Request checks ----

  @Test
  void otherMethodsAre405() throws Exception {
    HttpResponse r = http.get(cluster.address, "/api/v1").get(10, TimeUnit.SECONDS);
    assertThat(r.status()).isEqualTo(405);
    assertThat(r.header("Allow")).isEqualTo("POST");
    assertThat(r.bodyText()).isEqualTo("Expecting one of { 'POST' }, but received 'GET'");
  }

  @Test
  void missingContentTypeIs400() throws Exception {
    HttpResponse r = post("/api/v1", Map.of(), json(call(Call.Type.GET_HEALTH)));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.bodyText()).isEqualTo("Expecting 'Content-Type' to be present");
  }

  @Test
  void otherMediaTypesAre415() throws Exception {
    HttpResponse r = post("/api/v1", Map.of("Content-Type", "text/plain"), new byte[0]);
    assertThat(r.status()).isEqualTo(415);
    assertThat(r.bodyText()).isEqualTo("Expecting 'Content-Type' of application/json or application/x-protobuf");
  }

  @Test
  void bodiesThatDoNotParseAre400() throws Exception {
    HttpResponse garbage = post("/api/v1", Map.of("Content-Type", MediaTypes.PROTOBUF), new byte[] {(byte) 0xff});
    assertThat(garbage.status()).isEqualTo(400);
    assertThat(garbage.bodyText()).isEqualTo("Failed to parse body into Call protobuf");

    // A READ_FILE without its required path does not parse as a protobuf Call.
    byte[] partial = Call.newBuilder().setType(Call.Type.READ_FILE)
        .setReadFile(Call.ReadFile.newBuilder().setOffset(0).buildPartial()).buildPartial().toByteArray();
    HttpResponse uninitialized = post("/api/v1", Map.of("Content-Type", MediaTypes.PROTOBUF), partial);
    assertThat(uninitialized.status()).isEqualTo(400);
    assertThat(uninitialized.bodyText()).isEqualTo("Failed to parse body into Call protobuf");

    HttpResponse malformed = post("/api/v1", Map.of("Content-Type", MediaTypes.JSON), bytes("{\"type\":"));
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.bodyText()).startsWith("Failed to parse body into JSON: ");

    HttpResponse empty = post("/api/v1", Map.of("Content-Type", MediaTypes.JSON), new byte[0]);
    assertThat(empty.status()).isEqualTo(400);
    assertThat(empty.bodyText()).startsWith("Failed to parse body into JSON: ");

    HttpResponse notACall = post("/api/v1", Map.of("Content-Type", MediaTypes.JSON),
        bytes("{\"type\":\"GET_METRICS\",\"get_metrics\":3}"));
    assertThat(notACall.status()).isEqualTo(400);
    assertThat(notACall.bodyText()).startsWith("Failed to convert JSON into Call protobuf: ");
  }

  @ParameterizedTest(name = "json={0}")
  @ValueSource(booleans = {true, false})
  void callsThatDoNotValidateAre400(boolean json) throws Exception {
    HttpResponse noType = post(Call.getDefaultInstance(), json);
    assertThat(noType.status()).isEqualTo(400);
    assertThat(noType.bodyText()).isEqualTo("Failed to validate master::Call: Expecting 'type' to be present");

    HttpResponse noField = post(Call.newBuilder().setType(Call.Type.GET_METRICS).build(), json);
    assertThat(noField.status()).isEqualTo(400);
    assertThat(noField.bodyText())
        .isEqualTo("Failed to validate master::Call: Expecting 'get_metrics' to be present");

    // Calls answered 501 are validated first, as Mesos does.
    HttpResponse teardown = post(Call.newBuilder().setType(Call.Type.TEARDOWN).build(), json);
    assertThat(teardown.status()).isEqualTo(400);
    assertThat(teardown.bodyText())
        .isEqualTo("Failed to validate master::Call: Expecting 'teardown' to be present");
  }

  @Test
  void anAcceptThatAdmitsNeitherJsonNorProtobufIs406() throws Exception {
    HttpResponse r = post("/api/v1", Map.of("Content-Type", MediaTypes.JSON, "Accept", "text/html"),
        json(call(Call.Type.GET_HEALTH)));
    assertThat(r.status()).isEqualTo(406);
    assertThat(r.bodyText())
        .isEqualTo("Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'");
  }

  @Test
  void acceptPicksTheEncodingAndPrefersJson() throws Exception {
    byte[] body = json(call(Call.Type.GET_HEALTH));
    HttpResponse none = post("/api/v1", Map.of("Content-Type", MediaTypes.JSON), body);
    HttpResponse both = post("/api/v1", Map.of("Content-Type", MediaTypes.JSON,
        "Accept", MediaTypes.PROTOBUF + ", " + MediaTypes.JSON), body);
    HttpResponse protobuf = post("/api/v1", Map.of("Content-Type", MediaTypes.JSON,
        "Accept", MediaTypes.PROTOBUF), body);

    assertThat(none.header("Content-Type")).isEqualTo(MediaTypes.JSON);
    assertThat(both.header("Content-Type")).isEqualTo(MediaTypes.JSON);
    assertThat(protobuf.header("Content-Type")).isEqualTo(MediaTypes.PROTOBUF);
    assertThat(Response.parseFrom(protobuf.body()).getGetHealth().getHealthy()).isTrue();
  }

  @ParameterizedTest(name = "json={0}")
  @ValueSource(booleans = {true, false})
  void otherCallTypesAre501(boolean json) throws Exception {
    HttpResponse unknown = post(call(Call.Type.UNKNOWN), json);
    assertThat(unknown.status()).isEqualTo(501);

    // The maintenance reads, once 501 here, are answered now (see MasterMaintenanceTest).
    for (Call.Type type : List.of(Call.Type.GET_MAINTENANCE_SCHEDULE, Call.Type.GET_MAINTENANCE_STATUS)) {
      HttpResponse r = post(call(type), json);
      assertThat(r.status()).as(type.name()).isEqualTo(200);
    }
  }

  /** A fresh cluster has no operation: the list is present and empty. */
  @ParameterizedTest(name = "json={0}")
  @ValueSource(booleans = {true, false})
  void getOperationsListsNone(boolean json) throws Exception {
    HttpResponse r = post(call(Call.Type.GET_OPERATIONS), json);
    assertThat(r.status()).isEqualTo(200);
    Response response = json ? MesosJson.parse(r.body(), Response.newBuilder()).build() : Response.parseFrom(r.body());
    assertThat(response.getType()).isEqualTo(Response.Type.GET_OPERATIONS);
    assertThat(response.hasGetOperations()).isTrue();
    assertThat(response.getGetOperations().getOperationsList()).isEmpty();
  }

  @Test
  void theMasterAliasAndATrailingSlashRouteToTheSameEndpoint() throws Exception {
    byte[] body = json(call(Call.Type.GET_HEALTH));
    for (String path : List.of("/master/api/v1", "/api/v1/")) {
      HttpResponse r = post(path, Map.of("Content-Type", MediaTypes.JSON), body);
      assertThat(r.status()).as(path).isEqualTo(200);
      assertThat(MesosJson.parse(r.body(), Response.newBuilder()).getGetHealth().getHealthy()).isTrue();
    }
  }

  /** Mesos' master serves every route of its process under {@code /master/} too: the scheduler API included. */
  @Test
  void theSchedulerApiIsAlsoUnderTheMasterPrefix() throws Exception {
    for (String path : List.of("/api/v1/scheduler", "/master/api/v1/scheduler")) {
      HttpResponse r = post(path, Map.of(), new byte[0]);
      assertThat(r.status()).as(path).isEqualTo(400);
      assertThat(r.bodyText()).as(path).isEqualTo("Expecting 'Content-Type' to be present");
    }
  }

  // ---- Calls ----

  @ParameterizedTest(name = "json={0}")
  @ValueSource(booleans = {true, false})
  void healthVersionFlagsAndMaster(boolean json) throws Exception {
    Response health = call(Call.Type.GET_HEALTH, json);
    assertThat(health.getType()).isEqualTo(Response.Type.GET_HEALTH);
    assertThat(health.getGetHealth().getHealthy()).isTrue();

    Response version = call(Call.Type.GET_VERSION, json);
    assertThat(version.getType()).isEqualTo(Response.Type.GET_VERSION);
    assertThat(version.getGetVersion().getVersionInfo().getVersion()).isEqualTo("1.11.0");

    Response flags = call(Call.Type.GET_FLAGS, json);
    assertThat(flags.getType()).isEqualTo(Response.Type.GET_FLAGS);
    Map<String, String> byName = new HashMap<>();
    flags.getGetFlags().getFlagsList().forEach(f -> byName.put(f.getName(), f.getValue()));
    assertThat(byName).isEqualTo(cluster.master.flags().asMap());
    assertThat(byName).containsEntry("ip", "127.0.0.1").containsEntry("allocator", "HierarchicalDRF");

    Response master = call(Call.Type.GET_MASTER, json);
    assertThat(master.getType()).isEqualTo(Response.Type.GET_MASTER);
    Response.GetMaster m = master.getGetMaster();
    assertThat(m.getMasterInfo().getId()).isEqualTo(cluster.master.id());
    assertThat(m.getMasterInfo().getPort()).isEqualTo(cluster.address.getPort());
    assertThat(m.getMasterInfo().getVersion()).isEqualTo("1.11.0");
    assertThat(m.getStartTime()).isEqualTo(1_700_000_000.0);
    assertThat(m.getElectedTime()).isEqualTo(m.getStartTime());
  }

  @ParameterizedTest(name = "json={0}")
  @ValueSource(booleans = {true, false})
  void metricsAreTheSnapshotsValuesByName(boolean json) throws Exception {
    Running running = launch();

    Response response = call(Call.Type.GET_METRICS, json);
    assertThat(response.getType()).isEqualTo(Response.Type.GET_METRICS);
    List<Metric> metrics = response.getGetMetrics().getMetricsList();
    List<String> names = metrics.stream().map(Metric::getName).toList();
    assertThat(names).isSorted();
    JsonNode snapshot = MAPPER.readTree(http.get(cluster.address, "/metrics/snapshot").get(10, TimeUnit.SECONDS)
        .body());
    assertThat(names).containsExactlyInAnyOrderElementsOf(() -> snapshot.fieldNames());
    for (Metric metric : metrics) {
      // The machine's gauges (free memory, load) and the mailbox's move between the two reads.
      if (!metric.getName().startsWith("system/") && !metric.getName().startsWith("master/event_queue_")) {
        assertThat(metric.getValue()).as(metric.getName()).isEqualTo(snapshot.get(metric.getName()).asDouble());
      }
    }
    assertThat(value(metrics, "system/mem_total_bytes")).isEqualTo(snapshot.get("system/mem_total_bytes").asDouble());
    assertThat(value(metrics, "master/tasks_running")).isEqualTo(1.0);
    assertThat(value(metrics, "master/elected")).isEqualTo(1.0);
    assertThat(running.scheduler.frameworkId()).isNotNull();
  }

  @ParameterizedTest(name = "json={0}")
  @ValueSource(booleans = {true, false})
  @SuppressWarnings("deprecation") // Mesos still fills the deprecated role; checks empty deprecated lists.
  void agents(boolean json) throws Exception {
    Running running = launch();

    Response response = call(Call.Type.GET_AGENTS, json);
    assertThat(response.getType()).isEqualTo(Response.Type.GET_AGENTS);
    assertThat(response.getGetAgents().getRecoveredAgentsList()).isEmpty();
    assertThat(response.getGetAgents().getAgentsList()).hasSize(1);
    var agent = response.getGetAgents().getAgents(0);
    assertThat(agent.getAgentInfo().getId().getValue()).isEqualTo(running.agent.id().getValue());
    assertThat(agent.getAgentInfo().getHostname()).isEqualTo("fake-host");
    assertThat(agent.getAgentInfo().getResourcesList()).allSatisfy(r -> assertThat(r.hasRole()).isFalse());
    assertThat(agent.getActive()).isTrue();
    assertThat(agent.getDeactivated()).isFalse();
    assertThat(agent.getVersion()).isEqualTo("1.11.0");
    assertThat(agent.getPid()).isEqualTo("slave(1)@127.0.0.1:5051");
    assertThat(agent.getRegisteredTime().getNanoseconds()).isEqualTo(1_700_000_000L * 1_000_000_000L);
    assertThat(agent.hasReregisteredTime()).isFalse();
    assertThat(scalar(agent.getTotalResourcesList(), "cpus")).isEqualTo(2.0);
    assertThat(agent.getTotalResourcesList()).allSatisfy(r -> assertThat(r.getRole()).isEqualTo("*"));
    // The task (cpus:0.5) and its executor (cpus:0.1).
    assertThat(scalar(agent.getAllocatedResourcesList(), "cpus")).isEqualTo(0.6);
    assertThat(agent.getAllocatedResourcesList())
        .allSatisfy(r -> assertThat(r.getAllocationInfo().getRole()).isEqualTo("*"));
  }

  @ParameterizedTest(name = "json={0}")
  @ValueSource(booleans = {true, false})
  @SuppressWarnings("deprecation") // Mesos still fills the deprecated role; checks empty deprecated lists.
  void frameworks(boolean json) throws Exception {
    Running running = launch();

    Response response = call(Call.Type.GET_FRAMEWORKS, json);
    assertThat(response.getType()).isEqualTo(Response.Type.GET_FRAMEWORKS);
    assertThat(response.getGetFrameworks().getCompletedFrameworksList()).isEmpty();
    assertThat(response.getGetFrameworks().getFrameworksList()).hasSize(1);
    var framework = response.getGetFrameworks().getFrameworks(0);
    assertThat(framework.getFrameworkInfo().getId()).isEqualTo(running.scheduler.frameworkId());
    assertThat(framework.getFrameworkInfo().getName()).isEqualTo("test-framework");
    assertThat(framework.getActive()).isTrue();
    assertThat(framework.getConnected()).isTrue();
    assertThat(framework.getRecovered()).isFalse();
    assertThat(framework.getRegisteredTime().getNanoseconds()).isPositive();
    assertThat(framework.getReregisteredTime()).isEqualTo(framework.getRegisteredTime());
    assertThat(framework.hasUnregisteredTime()).isFalse();
    assertThat(scalar(framework.getAllocatedResourcesList(), "cpus")).isEqualTo(0.6);
    assertThat(scalar(framework.getAllocatedResourcesList(), "mem")).isEqualTo(64.0);
    assertThat(framework.getAllocatedResourcesList()).allSatisfy(r -> assertThat(r.getRole()).isEqualTo("*"));
    double offeredCpus = framework.getOffersList().stream()
        .mapToDouble(o -> scalar(o.getResourcesList(), "cpus")).sum();
    assertThat(scalar(framework.getOfferedResourcesList(), "cpus")).isEqualTo(offeredCpus);
    assertThat(framework.hasOfferConstraints()).isTrue();
  }

  @ParameterizedTest(name = "json={0}")
  @ValueSource(booleans = {true, false})
  @SuppressWarnings("deprecation") // Mesos still fills the deprecated role; checks empty deprecated lists.
  void executorsAndTasks(boolean json) throws Exception {
    Running running = launch();

    Response executors = call(Call.Type.GET_EXECUTORS, json);
    assertThat(executors.getType()).isEqualTo(Response.Type.GET_EXECUTORS);
    assertThat(executors.getGetExecutors().getExecutorsList()).hasSize(1);
    var executor = executors.getGetExecutors().getExecutors(0);
    assertThat(executor.getExecutorInfo().getExecutorId().getValue()).isEqualTo("exec-1");
    assertThat(executor.getAgentId().getValue()).isEqualTo(running.agent.id().getValue());

    Response tasks = call(Call.Type.GET_TASKS, json);
    assertThat(tasks.getType()).isEqualTo(Response.Type.GET_TASKS);
    Response.GetTasks t = tasks.getGetTasks();
    assertThat(t.getTasksList()).hasSize(1);
    assertThat(t.getTasks(0).getTaskId().getValue()).isEqualTo("task-1");
    assertThat(t.getTasks(0).getState()).isEqualTo(org.apache.mesos.v1.Protos.TaskState.TASK_RUNNING);
    assertThat(t.getTasks(0).getAgentId().getValue()).isEqualTo(running.agent.id().getValue());
    assertThat(t.getTasks(0).getExecutorId().getValue()).isEqualTo("exec-1");
    assertThat(t.getTasks(0).getStatusesList()).hasSize(1);
    assertThat(t.getUnreachableTasksList()).isEmpty();
    assertThat(t.getCompletedTasksList()).isEmpty();
    assertThat(t.getPendingTasksList()).isEmpty();
    assertThat(t.getOrphanTasksList()).isEmpty();
  }

  @ParameterizedTest(name = "json={0}")
  @ValueSource(booleans = {true, false})
  void stateHoldsTasksExecutorsFrameworksAndAgents(boolean json) throws Exception {
    launch();

    Response response = call(Call.Type.GET_STATE, json);
    assertThat(response.getType()).isEqualTo(Response.Type.GET_STATE);
    Response.GetState state = response.getGetState();
    assertThat(state.getGetTasks()).isEqualTo(call(Call.Type.GET_TASKS, json).getGetTasks());
    assertThat(state.getGetExecutors()).isEqualTo(call(Call.Type.GET_EXECUTORS, json).getGetExecutors());
    assertThat(state.getGetFrameworks()).isEqualTo(call(Call.Type.GET_FRAMEWORKS, json).getGetFrameworks());
    assertThat(state.getGetAgents()).isEqualTo(call(Call.Type.GET_AGENTS, json).getGetAgents());
    assertThat(state.getGetTasks().getTasksList()).hasSize(1);
    assertThat(state.getGetAgents().getAgentsList()).hasSize(1);
  }

  @ParameterizedTest(name = "json={0}")
  @ValueSource(booleans = {true, false})
  void aTornDownFrameworkAndItsTasksAreCompleted(boolean json) throws Exception {
    Running running = launch();
    running.scheduler.call(org.apache.mesos.v1.scheduler.Protos.Call.newBuilder()
        .setType(org.apache.mesos.v1.scheduler.Protos.Call.Type.TEARDOWN));
    cluster.settle();

    Response.GetFrameworks frameworks = call(Call.Type.GET_FRAMEWORKS, json).getGetFrameworks();
    assertThat(frameworks.getFrameworksList()).isEmpty();
    assertThat(frameworks.getCompletedFrameworksList()).hasSize(1);
    var completed = frameworks.getCompletedFrameworks(0);
    assertThat(completed.getFrameworkInfo().getId()).isEqualTo(running.scheduler.frameworkId());
    assertThat(completed.getConnected()).isFalse();
    assertThat(completed.hasUnregisteredTime()).isTrue();

    Response.GetTasks tasks = call(Call.Type.GET_TASKS, json).getGetTasks();
    assertThat(tasks.getTasksList()).isEmpty();
    assertThat(tasks.getCompletedTasksList()).hasSize(1);
    assertThat(tasks.getCompletedTasks(0).getState()).isEqualTo(org.apache.mesos.v1.Protos.TaskState.TASK_KILLED);
  }

  @ParameterizedTest(name = "json={0}")
  @ValueSource(booleans = {true, false})
  void tasksOnAnUnreachableAgentAreListedUnreachable(boolean json) throws Exception {
    Running running = launch(TestScheduler.frameworkInfo().addCapabilities(FrameworkInfo.Capability.newBuilder()
        .setType(FrameworkInfo.Capability.Type.PARTITION_AWARE)).build());
    for (int i = 0; i < 5; i++) {
      cluster.advance(Duration.ofSeconds(15));
    }
    assertThat(running.scheduler.expect(Event.Type.UPDATE).getUpdate().getStatus().getState())
        .isEqualTo(org.apache.mesos.v1.Protos.TaskState.TASK_UNREACHABLE);

    Response.GetTasks tasks = call(Call.Type.GET_TASKS, json).getGetTasks();
    assertThat(tasks.getTasksList()).isEmpty();
    assertThat(tasks.getCompletedTasksList()).isEmpty();
    assertThat(tasks.getUnreachableTasksList()).hasSize(1);
    assertThat(tasks.getUnreachableTasks(0).getTaskId().getValue()).isEqualTo("task-1");
    assertThat(call(Call.Type.GET_AGENTS, json).getGetAgents().getAgentsList()).isEmpty();
  }

  @ParameterizedTest(name = "json={0}")
  @ValueSource(booleans = {true, false})
  void rolesOfASingleRoleFramework(boolean json) throws Exception {
    Running running = launch();

    Response response = call(Call.Type.GET_ROLES, json);
    assertThat(response.getType()).isEqualTo(Response.Type.GET_ROLES);
    assertThat(response.getGetRoles().getRolesList()).hasSize(1);
    Role role = response.getGetRoles().getRoles(0);
    assertThat(role.getName()).isEqualTo("*");
    assertThat(role.getWeight()).isEqualTo(1.0);
    assertThat(role.getFrameworksList()).containsExactly(running.scheduler.frameworkId());
    var framework = call(Call.Type.GET_FRAMEWORKS, json).getGetFrameworks().getFrameworks(0);
    double held = scalar(framework.getAllocatedResourcesList(), "cpus")
        + scalar(framework.getOfferedResourcesList(), "cpus");
    assertThat(scalar(role.getResourcesList(), "cpus")).isCloseTo(held, within(1e-9));
    assertThat(role.getResourcesList()).extracting(Resource::getName).isSubsetOf("cpus", "disk", "gpus", "mem");
  }

  @ParameterizedTest(name = "json={0}")
  @ValueSource(booleans = {true, false})
  void rolesIncludeReservationsAndAncestorsSorted(boolean json) throws Exception {
    TestScheduler scheduler = cluster.scheduler(true);
    scheduler.subscribe(TestScheduler.frameworkInfo().addRoles("eng/web").addCapabilities(
        FrameworkInfo.Capability.newBuilder().setType(FrameworkInfo.Capability.Type.MULTI_ROLE)).build());
    cluster.agent("cpus:1;mem:64;cpus(ops):2");
    scheduler.expect(Event.Type.OFFERS);
    cluster.settle();

    List<Role> roles = call(Call.Type.GET_ROLES, json).getGetRoles().getRolesList();
    assertThat(roles).extracting(Role::getName).containsExactly("eng", "eng/web", "ops");
    Role eng = roles.get(0);
    Role web = roles.get(1);
    Role ops = roles.get(2);
    assertThat(eng.getFrameworksList()).isEmpty();
    assertThat(web.getFrameworksList()).containsExactly(scheduler.frameworkId());
    assertThat(ops.getFrameworksList()).isEmpty();
    // The offer to eng/web counts for eng too (its subtree); the ops reservation is not offered to eng/web.
    assertThat(scalar(web.getResourcesList(), "cpus")).isEqualTo(1.0);
    assertThat(eng.getResourcesList()).isEqualTo(web.getResourcesList());
    assertThat(ops.getResourcesList()).isEmpty();
  }

  @Test
  void jsonAlwaysListsWhatMesosAlwaysLists() throws Exception {
    JsonNode agents = rawJson(Call.Type.GET_AGENTS);
    assertThat(agents.toString()).isEqualTo("{\"type\":\"GET_AGENTS\",\"get_agents\":{\"agents\":[],"
        + "\"recovered_agents\":[]}}");
    JsonNode state = rawJson(Call.Type.GET_STATE).get("get_state");
    assertThat(state.get("get_tasks").toString())
        .isEqualTo("{\"tasks\":[],\"unreachable_tasks\":[],\"completed_tasks\":[]}");
    assertThat(state.get("get_executors").toString()).isEqualTo("{\"executors\":[]}");
    assertThat(state.get("get_frameworks").toString())
        .isEqualTo("{\"frameworks\":[],\"completed_frameworks\":[]}");
    assertThat(state.get("get_agents").toString()).isEqualTo("{\"agents\":[],\"recovered_agents\":[]}");
    assertThat(rawJson(Call.Type.GET_ROLES).toString()).isEqualTo("{\"type\":\"GET_ROLES\",\"get_roles\":{}}");
    assertThat(rawJson(Call.Type.GET_HEALTH).toString())
        .isEqualTo("{\"type\":\"GET_HEALTH\",\"get_health\":{\"healthy\":true}}");
  }

  // ---- Helpers ----

  /** A framework (subscribed with {@code info}) running task-1 (cpus:0.5;mem:32) under executor exec-1. */
  private record Running(TestScheduler scheduler, FakeAgent agent) {}

  private Running launch() throws Exception {
    return launch(TestScheduler.frameworkInfo().build());
  }

  private Running launch(FrameworkInfo info) throws Exception {
    TestScheduler scheduler = cluster.scheduler(true);
    scheduler.subscribe(info);
    FakeAgent agent = cluster.agent("cpus:2;mem:1024;ports:[31000-32000]");
    Offer offer = scheduler.expect(Event.Type.OFFERS).getOffers().getOffers(0);
    TaskInfo task = TaskInfo.newBuilder()
        .setName("task-1")
        .setTaskId(org.apache.mesos.v1.Protos.TaskID.newBuilder().setValue("task-1"))
        .setAgentId(offer.getAgentId())
        .addAllResources(V1.resources("cpus:0.5;mem:32", "*"))
        .setExecutor(ExecutorInfo.newBuilder()
            .setExecutorId(ExecutorID.newBuilder().setValue("exec-1"))
            .setCommand(CommandInfo.newBuilder().setValue("my-executor"))
            .addAllResources(V1.resources("cpus:0.1;mem:32", "*")))
        .build();
    scheduler.call(V1.launch(offer, task));
    RunTaskMessage run = agent.expect(RunTaskMessage.getDefaultInstance());
    ByteString uuid = ByteString.copyFrom(new byte[16]);
    agent.send(StatusUpdateMessage.newBuilder().setUpdate(StatusUpdate.newBuilder()
        .setFrameworkId(run.getFrameworkId()).setSlaveId(agent.id()).setTimestamp(2.0).setUuid(uuid)
        .setStatus(TaskStatus.newBuilder().setTaskId(run.getTask().getTaskId()).setState(TaskState.TASK_RUNNING)
            .setTimestamp(2.0).setUuid(uuid))).build());
    scheduler.expect(Event.Type.UPDATE);
    cluster.settle();
    return new Running(scheduler, agent);
  }

  /** A call of {@code type} with the field its validation requires. */
  private static Call call(Call.Type type) {
    Call.Builder call = Call.newBuilder().setType(type);
    if (type == Call.Type.GET_METRICS) {
      call.setGetMetrics(Call.GetMetrics.getDefaultInstance());
    }
    return call.build();
  }

  /** Posts {@code type} in JSON or protobuf (the same for Accept) and decodes the 200 response. */
  private Response call(Call.Type type, boolean json) throws Exception {
    HttpResponse r = post(call(type), json);
    assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
    assertThat(r.header("Content-Type")).isEqualTo(json ? MediaTypes.JSON : MediaTypes.PROTOBUF);
    return json ? MesosJson.parse(r.body(), Response.newBuilder()).build() : Response.parseFrom(r.body());
  }

  private JsonNode rawJson(Call.Type type) throws Exception {
    HttpResponse r = post(call(type), true);
    assertThat(r.status()).isEqualTo(200);
    return MAPPER.readTree(r.body());
  }

  private HttpResponse post(Call call, boolean json) throws Exception {
    String type = json ? MediaTypes.JSON : MediaTypes.PROTOBUF;
    return post("/api/v1", Map.of("Content-Type", type, "Accept", type), json ? json(call) : call.toByteArray());
  }

  private HttpResponse post(String path, Map<String, String> headers, byte[] body) throws Exception {
    return http.request(cluster.address, "POST", path, headers, body).get(10, TimeUnit.SECONDS);
  }

  private static byte[] json(Call call) {
    return MesosJson.printBytes(call);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static double value(List<Metric> metrics, String name) {
    return metrics.stream().filter(m -> m.getName().equals(name)).findFirst().orElseThrow().getValue();
  }

  private static double scalar(List<Resource> resources, String name) {
    return resources.stream().filter(r -> r.getName().equals(name)).mapToDouble(r -> r.getScalar().getValue())
        .sum();
  }
}
