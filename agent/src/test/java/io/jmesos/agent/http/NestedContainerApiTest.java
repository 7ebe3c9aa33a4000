package io.jmesos.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.agent.testing.AgentHarness;
import io.jmesos.http.HttpResponse;
import io.jmesos.http.MediaTypes;
import io.jmesos.json.MesosJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ContainerID;
import org.apache.mesos.v1.agent.Protos.Call;
import org.apache.mesos.v1.agent.Protos.Response;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's nested container calls on {@code POST /api/v1}, Mesos' {@code agent_container_api_tests.cpp}
 * scenarios: the parent is the container of a custom executor that runs ({@code sleep}) but never subscribes.
 */
@Timeout(90)
@SuppressWarnings("deprecation") // Mesos' deprecated *_NESTED_CONTAINER calls are tested as well.
class NestedContainerApiTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir
  Path workDir;
  AgentHarness h;
  ContainerID parent;

  @BeforeEach
  void setUp() throws Exception {
    h = new AgentHarness(workDir).start();
    h.register();
    h.runTask(AgentHarness.customExecutorTask("t1", "e1", "sleep 1000"));
    Awaitility.await().atMost(WAIT).until(() -> containers(false).stream()
        .anyMatch(c -> c.getContainerStatus().hasExecutorPid()));
    parent = containers(false).get(0).getContainerId();
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  private static ContainerID child(ContainerID parent) {
    return ContainerID.newBuilder().setValue(UUID.randomUUID().toString()).setParent(parent).build();
  }

  private static Call launch(ContainerID id, String shell) {
    return Call.newBuilder().setType(Call.Type.LAUNCH_NESTED_CONTAINER)
        .setLaunchNestedContainer(Call.LaunchNestedContainer.newBuilder().setContainerId(id)
            .setCommand(CommandInfo.newBuilder().setValue(shell)))
        .build();
  }

  private static Call launchContainer(ContainerID id, String shell) {
    return Call.newBuilder().setType(Call.Type.LAUNCH_CONTAINER)
        .setLaunchContainer(Call.LaunchContainer.newBuilder().setContainerId(id)
            .setCommand(CommandInfo.newBuilder().setValue(shell)))
        .build();
  }

  private static Call waitNested(ContainerID id) {
    return Call.newBuilder().setType(Call.Type.WAIT_NESTED_CONTAINER)
        .setWaitNestedContainer(Call.WaitNestedContainer.newBuilder().setContainerId(id)).build();
  }

  private static Call waitContainer(ContainerID id) {
    return Call.newBuilder().setType(Call.Type.WAIT_CONTAINER)
        .setWaitContainer(Call.WaitContainer.newBuilder().setContainerId(id)).build();
  }

  private static Call killNested(ContainerID id, Integer signal) {
    Call.KillNestedContainer.Builder kill = Call.KillNestedContainer.newBuilder().setContainerId(id);
    if (signal != null) {
      kill.setSignal(signal);
    }
    return Call.newBuilder().setType(Call.Type.KILL_NESTED_CONTAINER).setKillNestedContainer(kill).build();
  }

  private static Call killContainer(ContainerID id) {
    return Call.newBuilder().setType(Call.Type.KILL_CONTAINER)
        .setKillContainer(Call.KillContainer.newBuilder().setContainerId(id)).build();
  }

  private static Call removeNested(ContainerID id) {
    return Call.newBuilder().setType(Call.Type.REMOVE_NESTED_CONTAINER)
        .setRemoveNestedContainer(Call.RemoveNestedContainer.newBuilder().setContainerId(id)).build();
  }

  private List<Response.GetContainers.Container> containers(boolean nested) throws Exception {
    HttpResponse response = post(Call.newBuilder().setType(Call.Type.GET_CONTAINERS)
        .setGetContainers(Call.GetContainers.newBuilder().setShowNested(nested)).build(), MediaTypes.JSON).get();
    assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
    return MesosJson.parse(response.body(), Response.newBuilder()).build().getGetContainers().getContainersList();
  }

  private Path sandboxOf(ContainerID nested) throws Exception {
    Path runs = workDir.resolve("slaves/M1-S0/frameworks/M1-0000/executors/e1/runs");
    return runs.resolve(parent.getValue()).resolve("containers").resolve(nested.getValue());
  }

  private CompletableFuture<HttpResponse> post(Call call, String type) throws Exception {
    byte[] body = type.equals(MediaTypes.JSON) ? MesosJson.printBytes(call) : call.toByteArray();
    return h.http.request(h.agent.address(), "POST", "/api/v1",
        new HashMap<>(Map.of("Content-Type", type, "Accept", type)), body);
  }

  private HttpResponse answer(Call call, String type) throws Exception {
    return post(call, type).get(30, TimeUnit.SECONDS);
  }

  private static Response decode(HttpResponse response, String type) throws Exception {
    assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
    return type.equals(MediaTypes.JSON) ? MesosJson.parse(response.body(), Response.newBuilder()).build()
        : Response.parseFrom(response.body());
  }

  private static void assertAnswer(HttpResponse response, int status, String body) {
    assertThat(response.status()).as(response.bodyText()).isEqualTo(status);
    assertThat(response.bodyText()).isEqualTo(body);
  }

  @Test
  void nestedContainerLaunch() throws Exception {
    for (String type : List.of(MediaTypes.JSON, MediaTypes.PROTOBUF)) {
      ContainerID id = child(parent);
      HttpResponse launched = answer(launch(id, "echo hello $MESOS_SANDBOX; exit 3"), type);
      assertThat(launched.status()).as(launched.bodyText()).isEqualTo(200);

      Response waited = decode(answer(waitNested(id), type), type);
      assertThat(waited.getType()).isEqualTo(Response.Type.WAIT_NESTED_CONTAINER);
      assertThat(waited.getWaitNestedContainer().getExitStatus()).isEqualTo(3 << 8);
      Path sandbox = sandboxOf(id);
      assertThat(Files.readString(sandbox.resolve("stdout"), StandardCharsets.UTF_8))
          .isEqualTo("hello " + sandbox + "\n");

      // Ended but not removed: waits still answer, a relaunch of the same id is accepted as launched already.
      assertThat(decode(answer(waitContainer(id), type), type).getWaitContainer().getExitStatus()).isEqualTo(768);
      assertThat(answer(launch(id, "true"), type).status()).isEqualTo(202);

      assertThat(answer(removeNested(id), type).status()).isEqualTo(200);
      assertThat(sandbox).doesNotExist();
      assertThat(answer(waitNested(id), type).status()).isEqualTo(404);
    }
  }

  @Test
  void nestedContainerKilledAndListedUnderItsParent() throws Exception {
    ContainerID id = child(parent);
    assertThat(answer(launchContainer(id, "sleep 1000"), MediaTypes.JSON).status()).isEqualTo(200);
    CompletableFuture<HttpResponse> wait = post(waitContainer(id), MediaTypes.JSON);

    List<Response.GetContainers.Container> nested = containers(true);
    assertThat(nested).hasSize(2);
    Response.GetContainers.Container listed = nested.get(1);
    assertThat(listed.getContainerId()).isEqualTo(id);
    assertThat(listed.getContainerId().getParent()).isEqualTo(parent);
    assertThat(listed.getExecutorId().getValue()).isEqualTo("e1");
    assertThat(listed.getContainerStatus().getExecutorPid()).isPositive();
    assertThat(containers(false)).hasSize(1);
    // A remove of a running container fails as Mesos' containerizer does.
    assertAnswer(answer(removeNested(id), MediaTypes.JSON), 500, "Nested container has not terminated yet");
    assertThat(wait).isNotDone();

    assertThat(answer(killContainer(id), MediaTypes.JSON).status()).isEqualTo(200);

    Response waited = decode(wait.get(30, TimeUnit.SECONDS), MediaTypes.JSON);
    assertThat(waited.getWaitContainer().getExitStatus()).isEqualTo(9);
    assertAnswer(answer(killNested(id, null), MediaTypes.JSON), 404,
        "Container '" + parent.getValue() + "." + id.getValue() + "' cannot be found (or is already killed)");
    assertThat(containers(true)).hasSize(1);
  }

  @Test
  void nestedContainerSigterm() throws Exception {
    ContainerID id = child(parent);
    assertThat(answer(launch(id, "sleep 1000"), MediaTypes.PROTOBUF).status()).isEqualTo(200);
    CompletableFuture<HttpResponse> wait = post(waitNested(id), MediaTypes.PROTOBUF);
    assertThat(answer(killNested(id, 15), MediaTypes.PROTOBUF).status()).isEqualTo(200);
    assertThat(decode(wait.get(30, TimeUnit.SECONDS), MediaTypes.PROTOBUF).getWaitNestedContainer().getExitStatus())
        .isEqualTo(15);
  }

  @Test
  void twoLevelNestedContainerLaunch() throws Exception {
    ContainerID childId = child(parent);
    ContainerID grandchild = child(childId);
    assertThat(answer(launch(childId, "sleep 1000"), MediaTypes.JSON).status()).isEqualTo(200);
    assertThat(answer(launch(grandchild, "sleep 1000"), MediaTypes.JSON).status()).isEqualTo(200);
    CompletableFuture<HttpResponse> waitChild = post(waitNested(childId), MediaTypes.JSON);
    CompletableFuture<HttpResponse> waitGrandchild = post(waitNested(grandchild), MediaTypes.JSON);
    assertThat(sandboxOf(childId).resolve("containers").resolve(grandchild.getValue())).isDirectory();

    assertThat(answer(killNested(grandchild, null), MediaTypes.JSON).status()).isEqualTo(200);
    assertThat(decode(waitGrandchild.get(30, TimeUnit.SECONDS), MediaTypes.JSON).getWaitNestedContainer()
        .getExitStatus()).isEqualTo(9);
    assertThat(waitChild).isNotDone();

    assertThat(answer(killNested(childId, null), MediaTypes.JSON).status()).isEqualTo(200);
    assertThat(decode(waitChild.get(30, TimeUnit.SECONDS), MediaTypes.JSON).getWaitNestedContainer()
        .getExitStatus()).isEqualTo(9);
  }

  @Test
  void nestedContainersEndWithTheirParent() throws Exception {
    ContainerID id = child(parent);
    assertThat(answer(launch(id, "sleep 1000"), MediaTypes.JSON).status()).isEqualTo(200);
    CompletableFuture<HttpResponse> wait = post(waitNested(id), MediaTypes.JSON);

    assertThat(answer(killContainer(parent), MediaTypes.JSON).status()).isEqualTo(200);

    assertThat(decode(wait.get(30, TimeUnit.SECONDS), MediaTypes.JSON).getWaitNestedContainer().getExitStatus())
        .isEqualTo(9);
    Awaitility.await().atMost(WAIT).until(() -> containers(true).isEmpty());
  }

  @Test
  void nestedContainerNotFound() throws Exception {
    ContainerID unknown = child(ContainerID.newBuilder().setValue(UUID.randomUUID().toString()).build());
    String key = unknown.getParent().getValue() + "." + unknown.getValue();
    assertAnswer(answer(waitNested(unknown), MediaTypes.JSON), 404, "Container " + key + " cannot be found");
    assertAnswer(answer(killNested(unknown, null), MediaTypes.JSON), 404,
        "Container '" + key + "' cannot be found (or is already killed)");
    // Launching under an unknown parent fails in the containerizer: Mesos answers 400 with its error.
    assertAnswer(answer(launch(unknown, "true"), MediaTypes.JSON), 400,
        "Parent container " + unknown.getParent().getValue() + " does not exist");
  }

  @Test
  void nestedContainerFailLaunch() throws Exception {
    ContainerID id = child(parent);
    Call fetching = Call.newBuilder().setType(Call.Type.LAUNCH_NESTED_CONTAINER)
        .setLaunchNestedContainer(Call.LaunchNestedContainer.newBuilder().setContainerId(id)
            .setCommand(CommandInfo.newBuilder().setValue("true")
                .addUris(CommandInfo.URI.newBuilder().setValue("This file doesn't exist"))))
        .build();
    HttpResponse response = answer(fetching, MediaTypes.JSON);
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.bodyText()).startsWith("Failed to fetch all URIs for container '" + id.getValue() + "'");
    assertThat(answer(waitNested(id), MediaTypes.JSON).status()).isEqualTo(404);
  }

  @Test
  void invalidCallsAreRefusedAsMesosDoes() throws Exception {
    ContainerID noParent = ContainerID.newBuilder().setValue("c1").build();
    assertAnswer(answer(launch(noParent, "true"), MediaTypes.JSON), 400,
        "Failed to validate agent::Call: Expecting 'launch_nested_container.container_id.parent' to be present");
    assertAnswer(answer(waitNested(noParent), MediaTypes.JSON), 400,
        "Failed to validate agent::Call: Expecting 'wait_nested_container.container_id.parent' to be present");
    assertAnswer(answer(killNested(noParent, null), MediaTypes.JSON), 400,
        "Failed to validate agent::Call: Expecting 'kill_nested_container.container_id.parent' to be present");
    assertAnswer(answer(removeNested(noParent), MediaTypes.JSON), 400,
        "Failed to validate agent::Call: Expecting 'remove_nested_container.container_id.parent' to be present");
    ContainerID dotted = ContainerID.newBuilder().setValue("a.b").setParent(parent).build();
    assertAnswer(answer(launchContainer(dotted, "true"), MediaTypes.JSON), 400,
        "Failed to validate agent::Call: 'launch_container.container_id' is invalid: "
            + "'ContainerID.value' 'a.b' contains invalid characters");
    ContainerID badParent = child(ContainerID.newBuilder().setValue("x/y").build());
    assertAnswer(answer(waitContainer(badParent), MediaTypes.JSON), 400,
        "Failed to validate agent::Call: 'wait_container.container_id' is invalid: "
            + "'ContainerID.parent' is invalid: 'x/y' contains invalid characters");
    assertAnswer(answer(killNested(child(parent), 1), MediaTypes.JSON), 400,
        "Unsupported signal 1: this agent sends SIGKILL (9, the default) or SIGTERM (15)");
    assertAnswer(answer(launchContainer(noParent, "true"), MediaTypes.JSON), 501, "Call type LAUNCH_CONTAINER for a "
        + "standalone container (a ContainerID without a parent) is not implemented yet");
  }
}
