package io.jmesos.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.agent.testing.AgentHarness;
import io.jmesos.http.HttpResponse;
import io.jmesos.http.MediaTypes;
import io.jmesos.internal.Messages.RunTaskMessage;
import io.jmesos.internal.Messages.StatusUpdate;
import io.jmesos.json.MesosJson;
import io.jmesos.recordio.RecordIO;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.mesos.v1.Protos.ContainerID;
import org.apache.mesos.v1.Protos.Flag;
import org.apache.mesos.v1.Protos.Metric;
import org.apache.mesos.v1.Protos.Task;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.agent.Protos.Call;
import org.apache.mesos.v1.agent.Protos.Response;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /api/v1} on a real agent: every implemented call in JSON and protobuf, and every refusal. */
@Timeout(90)
class OperatorApiTest {
  static final List<String> MEDIA_TYPES = List.of(MediaTypes.JSON, MediaTypes.PROTOBUF);
  static final org.apache.mesos.Protos.FrameworkID OTHER_ID =
      org.apache.mesos.Protos.FrameworkID.newBuilder().setValue("M1-0001").build();

  @TempDir
  Path workDir;
  AgentHarness h;

  @BeforeEach
  void setUp() throws InterruptedException {
    h = new AgentHarness(workDir).start();
    h.register();
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  @Test
  void readCallsDescribeTheAgentInBothEncodings() throws Exception {
    for (String type : MEDIA_TYPES) {
      Response health = call(Call.newBuilder().setType(Call.Type.GET_HEALTH).build(), type);
      assertThat(health.getType()).isEqualTo(Response.Type.GET_HEALTH);
      assertThat(health.getGetHealth().getHealthy()).isTrue();

      Response version = call(Call.newBuilder().setType(Call.Type.GET_VERSION).build(), type);
      assertThat(version.getType()).isEqualTo(Response.Type.GET_VERSION);
      assertThat(version.getGetVersion().getVersionInfo().getVersion()).isEqualTo("1.11.0");

      Response flags = call(Call.newBuilder().setType(Call.Type.GET_FLAGS).build(), type);
      assertThat(flags.getType()).isEqualTo(Response.Type.GET_FLAGS);
      Map<String, String> byName = flags.getGetFlags().getFlagsList().stream()
          .collect(Collectors.toMap(Flag::getName, Flag::getValue));
      assertThat(byName).containsEntry("hostname", "test-agent").containsEntry("port", "0")
          .containsEntry("resources", "cpus:2;mem:1024;disk:2048;ports:[31000-32000]")
          .containsEntry("default_role", "*").containsEntry("isolation", "posix/cpu,posix/mem")
          .containsEntry("work_dir", workDir.toString()).containsKey("executor_registration_timeout");
      assertThat(flags.getGetFlags().getFlagsList()).extracting(Flag::getName).isSorted();

      Response agent = call(Call.newBuilder().setType(Call.Type.GET_AGENT).build(), type);
      assertThat(agent.getType()).isEqualTo(Response.Type.GET_AGENT);
      assertThat(agent.getGetAgent().getAgentInfo().getId().getValue()).isEqualTo("M1-S0");
      assertThat(agent.getGetAgent().getAgentInfo().getHostname()).isEqualTo("test-agent");
      assertThat(agent.getGetAgent().getAgentInfo().getPort()).isEqualTo(h.agent.address().getPort());
      assertThat(agent.getGetAgent().getAgentInfo().getAttributes(0).getName()).isEqualTo("rack");
      assertThat(agent.getGetAgent().getAgentInfo().getResourcesList()).extracting(r -> r.getName())
          .contains("cpus", "mem", "disk", "ports");

      // No resource providers on a jmesos agent: Mesos' answer for an agent without any.
      Response providers = call(Call.newBuilder().setType(Call.Type.GET_RESOURCE_PROVIDERS).build(), type);
      assertThat(providers.getType()).isEqualTo(Response.Type.GET_RESOURCE_PROVIDERS);
      assertThat(providers.hasGetResourceProviders()).isTrue();
      assertThat(providers.getGetResourceProviders().getResourceProvidersList()).isEmpty();
    }
  }

  @Test
  void metricsAreThoseOfTheSnapshot() throws Exception {
    for (String type : MEDIA_TYPES) {
      Response metrics = call(Call.newBuilder().setType(Call.Type.GET_METRICS)
          .setGetMetrics(Call.GetMetrics.getDefaultInstance()).build(), type);
      assertThat(metrics.getType()).isEqualTo(Response.Type.GET_METRICS);
      Map<String, Double> values = metrics.getGetMetrics().getMetricsList().stream()
          .collect(Collectors.toMap(Metric::getName, Metric::getValue));
      List<String> snapshot = new ArrayList<>();
      h.metrics().fieldNames().forEachRemaining(snapshot::add);
      assertThat(values.keySet()).containsExactlyInAnyOrderElementsOf(snapshot);
      assertThat(values).containsEntry("slave/registered", 1.0).containsEntry("slave/cpus_total", 2.0)
          .containsEntry("slave/mem_total", 1024.0).containsEntry("slave/tasks_running", 0.0);
      assertThat(metrics.getGetMetrics().getMetricsList()).extracting(Metric::getName).isSorted();
    }
  }

  /**
   * One framework with a queued task (its executor never subscribes), a running task and a finished task whose
   * terminal update is unacknowledged; a second framework that has completed.
   */
  @Test
  void stateCallsListFrameworksExecutorsTasksAndContainers() throws Exception {
    h.runTask(AgentHarness.customExecutorTask("t1", "e1", "sleep 30"));
    h.runTask(AgentHarness.commandTask("t2", "hang"));
    h.runTask(AgentHarness.commandTask("t4", "finish"));
    h.master.send(RunTaskMessage.newBuilder().setFrameworkId(OTHER_ID)
        .setFramework(AgentHarness.FRAMEWORK.toBuilder().setId(OTHER_ID).setName("other"))
        .setTask(AgentHarness.commandTask("t5", "finish")).build());
    h.awaitUpdate("t2", org.apache.mesos.Protos.TaskState.TASK_RUNNING);
    StatusUpdate running = h.awaitUpdate("t5", org.apache.mesos.Protos.TaskState.TASK_RUNNING);
    h.acknowledge(running);
    h.acknowledge(h.awaitUpdate("t5", org.apache.mesos.Protos.TaskState.TASK_FINISHED));
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
      Response.GetState s = call(Call.newBuilder().setType(Call.Type.GET_STATE).build(), MediaTypes.JSON)
          .getGetState();
      return s.getGetFrameworks().getCompletedFrameworksCount() == 1 && s.getGetTasks().getTerminatedTasksCount() == 1
          && containers(MediaTypes.JSON).stream().allMatch(c -> c.getContainerStatus().hasExecutorPid());
    });

    for (String type : MEDIA_TYPES) {
      Response frameworks = call(Call.newBuilder().setType(Call.Type.GET_FRAMEWORKS).build(), type);
      assertThat(frameworks.getType()).isEqualTo(Response.Type.GET_FRAMEWORKS);
      Response.GetFrameworks fw = frameworks.getGetFrameworks();
      assertThat(fw.getFrameworksList()).extracting(f -> f.getFrameworkInfo().getId().getValue())
          .containsExactly("M1-0000");
      assertThat(fw.getFrameworks(0).getFrameworkInfo().getName()).isEqualTo("test framework");
      assertThat(fw.getFrameworks(0).getFrameworkInfo().getUser()).isEqualTo(System.getProperty("user.name"));
      assertThat(fw.getCompletedFrameworksList()).extracting(f -> f.getFrameworkInfo().getName())
          .containsExactly("other");

      Response executors = call(Call.newBuilder().setType(Call.Type.GET_EXECUTORS).build(), type);
      assertThat(executors.getType()).isEqualTo(Response.Type.GET_EXECUTORS);
      Response.GetExecutors ex = executors.getGetExecutors();
      assertThat(ex.getExecutorsList()).extracting(e -> e.getExecutorInfo().getExecutorId().getValue())
          .containsExactly("e1", "t2", "t4");
      assertThat(ex.getExecutors(0).getExecutorInfo().getFrameworkId().getValue()).isEqualTo("M1-0000");
      assertThat(ex.getExecutors(0).getExecutorInfo().getCommand().getValue()).isEqualTo("sleep 30");
      assertThat(ex.getCompletedExecutorsList()).extracting(e -> e.getExecutorInfo().getExecutorId().getValue())
          .containsExactly("t5");
      assertThat(ex.getCompletedExecutors(0).getExecutorInfo().getFrameworkId()).isEqualTo(
          org.apache.mesos.v1.Protos.FrameworkID.newBuilder().setValue("M1-0001").build());

      Response tasks = call(Call.newBuilder().setType(Call.Type.GET_TASKS).build(), type);
      assertThat(tasks.getType()).isEqualTo(Response.Type.GET_TASKS);
      assertTasks(tasks.getGetTasks());

      Response state = call(Call.newBuilder().setType(Call.Type.GET_STATE).build(), type);
      assertThat(state.getType()).isEqualTo(Response.Type.GET_STATE);
      assertThat(state.getGetState().getGetTasks()).isEqualTo(tasks.getGetTasks());
      assertThat(state.getGetState().getGetExecutors()).isEqualTo(ex);
      assertThat(state.getGetState().getGetFrameworks()).isEqualTo(fw);

      List<Response.GetContainers.Container> containers = containers(type);
      assertThat(containers).extracting(c -> c.getExecutorId().getValue()).containsExactly("e1", "t2", "t4");
      assertThat(containers).allSatisfy(c -> {
        assertThat(c.getFrameworkId().getValue()).isEqualTo("M1-0000");
        assertThat(c.getContainerStatus().getContainerId()).isEqualTo(c.getContainerId());
        assertThat(c.getContainerStatus().getExecutorPid()).isPositive();
        assertThat(c.getResourceStatistics().getTimestamp()).isPositive();
      });
      assertThat(containers.get(1).getExecutorName()).startsWith("Command Executor");
      assertThat(containers.stream().map(c -> c.getContainerId().getValue()))
          .allMatch(id -> id.matches("[0-9a-f-]{36}")).doesNotHaveDuplicates();
    }
  }

  private static void assertTasks(Response.GetTasks tasks) {
    assertThat(tasks.getPendingTasksList()).isEmpty();
    assertThat(tasks.getQueuedTasksList()).extracting(t -> t.getTaskId().getValue()).containsExactly("t1");
    Task queued = tasks.getQueuedTasks(0);
    assertThat(queued.getState()).isEqualTo(TaskState.TASK_STAGING);
    assertThat(queued.getExecutorId().getValue()).isEqualTo("e1");
    assertThat(queued.getFrameworkId().getValue()).isEqualTo("M1-0000");
    assertThat(queued.getAgentId().getValue()).isEqualTo("M1-S0");
    assertThat(tasks.getLaunchedTasksList()).extracting(t -> t.getTaskId().getValue()).containsExactly("t2");
    assertThat(tasks.getLaunchedTasks(0).getState()).isEqualTo(TaskState.TASK_RUNNING);
    assertThat(tasks.getLaunchedTasks(0).hasExecutorId()).as("command tasks have no executor id").isFalse();
    assertThat(tasks.getTerminatedTasksList()).extracting(t -> t.getTaskId().getValue()).containsExactly("t4");
    assertThat(tasks.getTerminatedTasks(0).getState()).isEqualTo(TaskState.TASK_FINISHED);
    assertThat(tasks.getCompletedTasksList()).extracting(t -> t.getTaskId().getValue()).containsExactly("t5");
    assertThat(tasks.getCompletedTasks(0).getState()).isEqualTo(TaskState.TASK_FINISHED);
    assertThat(tasks.getCompletedTasks(0).getFrameworkId().getValue()).isEqualTo("M1-0001");
  }

  private List<Response.GetContainers.Container> containers(String type) throws Exception {
    Response containers = call(Call.newBuilder().setType(Call.Type.GET_CONTAINERS).build(), type);
    assertThat(containers.getType()).isEqualTo(Response.Type.GET_CONTAINERS);
    return containers.getGetContainers().getContainersList();
  }

  @Test
  void answersInJsonUnlessOnlyProtobufIsAcceptedAndServesTheAlias() throws Exception {
    byte[] health = Call.newBuilder().setType(Call.Type.GET_HEALTH).build().toByteArray();
    HttpResponse both = post("/api/v1", Map.of("Content-Type", MediaTypes.PROTOBUF,
        "Accept", MediaTypes.PROTOBUF + ", " + MediaTypes.JSON), health);
    assertThat(both.status()).isEqualTo(200);
    assertThat(both.header("Content-Type")).isEqualTo(MediaTypes.JSON);
    assertThat(both.bodyText()).isEqualTo("{\"type\":\"GET_HEALTH\",\"get_health\":{\"healthy\":true}}");

    HttpResponse none = post("/api/v1", Map.of("Content-Type", MediaTypes.PROTOBUF), health);
    assertThat(none.header("Content-Type")).isEqualTo(MediaTypes.JSON);

    HttpResponse protobuf = post("/slave(1)/api/v1", Map.of("Content-Type", MediaTypes.PROTOBUF,
        "Accept", MediaTypes.PROTOBUF), health);
    assertThat(protobuf.status()).isEqualTo(200);
    assertThat(protobuf.header("Content-Type")).isEqualTo(MediaTypes.PROTOBUF);
    assertThat(Response.parseFrom(protobuf.body()).getGetHealth().getHealthy()).isTrue();

    HttpResponse json = post("/slave(1)/api/v1", Map.of("Content-Type", MediaTypes.JSON),
        "{\"type\":\"GET_VERSION\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(json.status()).isEqualTo(200);
    assertThat(MesosJson.parse(json.body(), Response.newBuilder()).build().getGetVersion().getVersionInfo()
        .getVersion()).isEqualTo("1.11.0");
  }

  @Test
  void refusesBadRequestsAsMesosDoes() throws Exception {
    byte[] health = "{\"type\":\"GET_HEALTH\"}".getBytes(StandardCharsets.UTF_8);
    HttpResponse get = h.http.request(h.agent.address(), "GET", "/api/v1", Map.of(), new byte[0])
        .get(10, TimeUnit.SECONDS);
    assertThat(get.status()).isEqualTo(405);
    assertThat(get.bodyText()).isEqualTo("Expecting one of { 'POST' }, but received 'GET'");
    assertThat(get.header("Allow")).isEqualTo("POST");

    assertRefused(post("/api/v1", Map.of(), health), 400, "Expecting 'Content-Type' to be present");
    assertRefused(post("/api/v1", Map.of("Content-Type", "text/plain"), health), 415,
        "Expecting 'Content-Type' of application/json or application/x-protobuf or application/recordio");
    assertRefused(post("/api/v1", Map.of("Content-Type", MediaTypes.JSON, "Message-Content-Type", MediaTypes.JSON),
        health), 415, "Expecting 'Message-Content-Type' to be not set for non-streaming requests");
    assertRefused(post("/api/v1", Map.of("Content-Type", MediaTypes.JSON, "Accept", "text/html"), health), 406,
        "Expecting 'Accept' to allow application/json or application/x-protobuf or application/recordio");
    assertRefused(post("/api/v1", Map.of("Content-Type", MediaTypes.JSON, "Message-Accept", MediaTypes.JSON),
        health), 406, "Expecting 'Message-Accept' to be not set for non-streaming responses");
    assertRefused(post("/api/v1", Map.of("Content-Type", MediaTypes.JSON, "Accept", MediaTypes.RECORDIO), health),
        406, "Streaming response is not supported for GET_HEALTH call");

    HttpResponse malformed = post("/api/v1", Map.of("Content-Type", MediaTypes.JSON), "{not json".getBytes());
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.bodyText()).startsWith("Failed to parse body into JSON: ");
    assertRefused(post("/api/v1", Map.of("Content-Type", MediaTypes.PROTOBUF), new byte[] {(byte) 0xff, 1, 2}),
        400, "Failed to parse body into a protobuf object");
    HttpResponse wrongField = post("/api/v1", Map.of("Content-Type", MediaTypes.JSON),
        "{\"type\":\"LIST_FILES\",\"list_files\":{}}".getBytes());
    assertThat(wrongField.status()).isEqualTo(400);
    assertThat(wrongField.bodyText()).contains("path");
    HttpResponse missingRequired = post("/api/v1", Map.of("Content-Type", MediaTypes.PROTOBUF),
        Call.newBuilder().setType(Call.Type.LIST_FILES).setListFiles(Call.ListFiles.newBuilder().buildPartial())
            .buildPartial().toByteArray());
    assertRefused(missingRequired, 400, "Failed to parse body into a protobuf object");

    for (String type : MEDIA_TYPES) {
      assertRefused(post(Call.getDefaultInstance(), type), 400,
          "Failed to validate agent::Call: Expecting 'type' to be present");
      assertRefused(post(Call.newBuilder().setType(Call.Type.GET_METRICS).build(), type), 400,
          "Failed to validate agent::Call: Expecting 'get_metrics' to be present");
      assertRefused(post(Call.newBuilder().setType(Call.Type.UNKNOWN).build(), type), 501, "");
      assertRefused(post(Call.newBuilder().setType(Call.Type.PRUNE_IMAGES).build(), type), 501,
          "Call type PRUNE_IMAGES is not implemented yet");
    }
  }

  @Test
  void refusesStreamingRequestsForCallsWithoutThem() throws Exception {
    byte[] record = RecordIO.encode(Call.newBuilder().setType(Call.Type.GET_HEALTH).build().toByteArray());
    assertRefused(post("/api/v1", Map.of("Content-Type", MediaTypes.RECORDIO), record), 400,
        "Expecting 'Message-Content-Type' to be set for streaming requests");
    assertRefused(post("/api/v1", Map.of("Content-Type", MediaTypes.RECORDIO, "Message-Content-Type", "text/plain"),
        record), 415, "Expecting 'Message-Content-Type' of application/json or application/x-protobuf");
    assertRefused(post("/api/v1", Map.of("Content-Type", MediaTypes.RECORDIO,
        "Message-Content-Type", MediaTypes.PROTOBUF), record), 415,
        "Streaming 'Content-Type' application/recordio is not supported for GET_HEALTH call");
    assertRefused(post("/api/v1", Map.of("Content-Type", MediaTypes.RECORDIO,
        "Message-Content-Type", MediaTypes.PROTOBUF), new byte[0]), 400, "Received EOF while reading request body");
    byte[] attach = Call.newBuilder().setType(Call.Type.ATTACH_CONTAINER_INPUT)
        .setAttachContainerInput(Call.AttachContainerInput.newBuilder()
            .setType(Call.AttachContainerInput.Type.CONTAINER_ID)
            .setContainerId(ContainerID.newBuilder().setValue("c1"))).build().toByteArray();
    assertRefused(post("/api/v1", Map.of("Content-Type", MediaTypes.PROTOBUF), attach), 415,
        "Expecting 'Content-Type' to be application/recordio for ATTACH_CONTAINER_INPUT call");
    assertRefused(post("/api/v1", Map.of("Content-Type", MediaTypes.RECORDIO,
        "Message-Content-Type", MediaTypes.PROTOBUF), RecordIO.encode(attach)), 501,
        "Call type ATTACH_CONTAINER_INPUT is not implemented yet");
  }

  private static void assertRefused(HttpResponse response, int status, String body) {
    assertThat(response.status()).as(response.bodyText()).isEqualTo(status);
    assertThat(response.bodyText()).isEqualTo(body);
  }

  /** Posts {@code call} in {@code type} asking for the same type back, and decodes the 200 answer. */
  private Response call(Call call, String type) throws Exception {
    HttpResponse response = post(call, type);
    assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
    assertThat(response.header("Content-Type")).isEqualTo(type);
    return type.equals(MediaTypes.JSON)
        ? MesosJson.parse(response.body(), Response.newBuilder()).build()
        : Response.parseFrom(response.body());
  }

  private HttpResponse post(Call call, String type) throws Exception {
    byte[] body = type.equals(MediaTypes.JSON) ? MesosJson.printBytes(call) : call.toByteArray();
    return post("/api/v1", Map.of("Content-Type", type, "Accept", type), body);
  }

  private HttpResponse post(String path, Map<String, String> headers, byte[] body) throws Exception {
    return h.http.request(h.agent.address(), "POST", path, new HashMap<>(headers), body).get(10, TimeUnit.SECONDS);
  }
}
