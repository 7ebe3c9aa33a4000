package io.jmesos.agent.resources;

import static io.jmesos.agent.resources.OperationApplierTest.create;
import static io.jmesos.agent.resources.OperationApplierTest.destroy;
import static io.jmesos.agent.resources.OperationApplierTest.disk;
import static io.jmesos.agent.resources.OperationApplierTest.reserve;
import static io.jmesos.agent.resources.OperationApplierTest.reserved;
import static io.jmesos.agent.resources.OperationApplierTest.unreserve;
import static io.jmesos.agent.resources.OperationApplierTest.volume;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.jmesos.agent.checkpoint.Checkpoints;
import io.jmesos.agent.testing.AgentHarness;
import io.jmesos.http.HttpResponse;
import io.jmesos.http.MediaTypes;
import io.jmesos.internal.Messages.AcknowledgeOperationStatusMessage;
import io.jmesos.internal.Messages.ApplyOperationMessage;
import io.jmesos.internal.Messages.CheckpointResourcesMessage;
import io.jmesos.internal.Messages.ReconcileOperationsMessage;
import io.jmesos.internal.Messages.RegisterSlaveMessage;
import io.jmesos.internal.Messages.ReregisterSlaveMessage;
import io.jmesos.internal.Messages.StatusUpdate;
import io.jmesos.internal.Messages.UpdateOperationStatusMessage;
import io.jmesos.json.MesosJson;
import io.jmesos.resources.Resources;
import io.jmesos.resources.Values;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.Protos.CommandInfo;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.OperationID;
import org.apache.mesos.Protos.OperationState;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.UUID;
import org.apache.mesos.v1.agent.Protos.Call;
import org.apache.mesos.v1.agent.Protos.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reservations and persistent volumes on a real agent driven by a fake master over the internal protocol, the
 * agent's side of Mesos' {@code persistent_volume_tests.cpp}: CreateAndDestroyPersistentVolumes,
 * PreparePersistentVolume and ResourcesCheckpointing ({@link #reserveThenCreateCheckpointsResourcesAndMakesTheVolume},
 * {@link #aTaskWritesToTheVolumeAndASecondTaskReadsItThenDestroyRemovesIt}), AccessPersistentVolume (the same),
 * GrowVolume and ShrinkVolume ({@link #growAndShrinkThroughTheAgent}), IncompatibleCheckpointedResources
 * ({@link #aCheckpointThatNoLongerFitsTheResourcesFlagStopsTheAgent}), SlaveRecovery
 * ({@link #restartedAgentReportsCheckpointedResourcesAndPendingOperationsAndKeepsTheVolume}),
 * SharedPersistentVolumeMultipleTasks and DestroyPersistentVolumeMultipleTasks
 * ({@link #aVolumeInUseIsNotDestroyedAndSharedVolumesServeSeveralTasks}); and of its operation feedback (statuses
 * retried until acknowledged, OPERATION_FAILED, OPERATION_DROPPED on reconciliation).
 */
@Timeout(120)
class PersistentVolumeTest {
  private static final Resource RESERVED = reserved(disk(64), "ops");
  private static final Resource VOLUME = volume(RESERVED, "id1", "data");
  private static final Resource SHARED = VOLUME.toBuilder().setShared(Resource.SharedInfo.getDefaultInstance()).build();

  @TempDir
  Path workDir;
  AgentHarness h;
  private int uuids;

  @AfterEach
  void tearDown() {
    if (h != null) {
      h.close();
    }
  }

  private void start() throws InterruptedException {
    h = new AgentHarness(workDir).start(Map.of("command_executor", "embedded"), List.of("/bin/false"));
    h.register();
  }

  private UUID apply(Offer.Operation operation, String id) {
    UUID uuid = UUID.newBuilder().setValue(ByteString.copyFromUtf8("operation-" + ++uuids)).build();
    h.master.send(ApplyOperationMessage.newBuilder().setFrameworkId(AgentHarness.FRAMEWORK_ID)
        .setOperationInfo(operation.toBuilder().setId(OperationID.newBuilder().setValue(id)))
        .setOperationUuid(uuid).build());
    return uuid;
  }

  private UpdateOperationStatusMessage awaitStatus(UUID operation, int n) {
    Duration wait = Duration.ofSeconds(20);
    org.awaitility.Awaitility.await().atMost(wait).until(() -> statuses(operation).size() >= n);
    return statuses(operation).get(n - 1);
  }

  private List<UpdateOperationStatusMessage> statuses(UUID operation) {
    return h.master.all(UpdateOperationStatusMessage.getDefaultInstance()).stream()
        .filter(m -> m.getOperationUuid().equals(operation)).toList();
  }

  private void acknowledge(UpdateOperationStatusMessage update) {
    h.master.send(AcknowledgeOperationStatusMessage.newBuilder().setOperationUuid(update.getOperationUuid())
        .setStatusUuid(update.getStatus().getUuid()).build());
  }

  private UpdateOperationStatusMessage applyAndAcknowledge(Offer.Operation operation, String id) {
    UpdateOperationStatusMessage update = awaitStatus(apply(operation, id), 1);
    assertThat(update.getStatus().getState()).as(update.getStatus().getMessage())
        .isEqualTo(OperationState.OPERATION_FINISHED);
    acknowledge(update);
    return update;
  }

  private Path volumeDir() {
    return workDir.resolve("volumes/roles/ops/id1");
  }

  private List<Resource> resourcesInfo() throws Exception {
    List<Resource> list = new java.util.ArrayList<>();
    Checkpoints.readMessages(workDir.resolve("meta/resources/resources.info"), Resource.parser())
        .forEach(r -> list.add(Resources.postRefinement(r)));
    return list;
  }

  @Test
  void reserveThenCreateCheckpointsResourcesAndMakesTheVolume() throws Exception {
    start();
    UUID reserve = apply(reserve(RESERVED), "reserve-1");
    UpdateOperationStatusMessage reserved = awaitStatus(reserve, 1);
    assertThat(reserved.getStatus().getState()).isEqualTo(OperationState.OPERATION_FINISHED);
    assertThat(reserved.getStatus().getOperationId().getValue()).isEqualTo("reserve-1");
    assertThat(reserved.getStatus().getUuid().getValue().size()).isEqualTo(16);
    assertThat(reserved.getLatestStatus()).isEqualTo(reserved.getStatus());
    assertThat(reserved.getFrameworkId()).isEqualTo(AgentHarness.FRAMEWORK_ID);
    assertThat(reserved.getSlaveId()).isEqualTo(AgentHarness.SLAVE_ID);
    assertThat(resourcesInfo()).containsExactly(RESERVED);

    UUID create = apply(create(VOLUME), "create-1");
    assertThat(awaitStatus(create, 1).getStatus().getState()).isEqualTo(OperationState.OPERATION_FINISHED);
    assertThat(resourcesInfo()).containsExactly(VOLUME);
    assertThat(volumeDir()).isDirectory();

    JsonNode state = h.state();
    assertThat(state.get("resources").get("disk").asDouble()).isEqualTo(2048);
    assertThat(state.get("reserved_resources").get("ops").get("disk").asDouble()).isEqualTo(64);
    assertThat(state.get("unreserved_resources").get("disk").asDouble()).isEqualTo(1984);
    JsonNode full = state.get("reserved_resources_full").get("ops").get(0);
    assertThat(full.get("disk").get("persistence").get("id").asText()).isEqualTo("id1");
    assertThat(full.get("reservations").get(0).get("principal").asText()).isEqualTo("ops-principal");
  }

  @Test
  void statusIsRetriedUntilAcknowledgedAndListedUntilThen() throws Exception {
    start();
    UUID reserve = apply(reserve(RESERVED), "reserve-1");
    UpdateOperationStatusMessage first = awaitStatus(reserve, 1);
    assertThat(operationsOverApi()).extracting(o -> o.getInfo().getId().getValue()).containsExactly("reserve-1");

    h.clock.advance(AgentResources.RETRY_INTERVAL_MIN);
    UpdateOperationStatusMessage retry = awaitStatus(reserve, 2);
    assertThat(retry.getStatus().getUuid()).isEqualTo(first.getStatus().getUuid());
    h.clock.advance(AgentResources.RETRY_INTERVAL_MIN.multipliedBy(2));
    awaitStatus(reserve, 3);

    acknowledge(retry);
    h.flushToMaster();
    h.settle();
    // Past the next retry (40s); the master's pings keep the link up meanwhile.
    h.clock.advance(AgentResources.RETRY_INTERVAL_MIN.multipliedBy(4));
    h.flushToMaster();
    assertThat(statuses(reserve)).hasSize(3);
    assertThat(operationsOverApi()).isEmpty();
    // The acknowledged operation is no longer checkpointed; the reservation is.
    ResourcesCheckpoint.Recovered recovered = new ResourcesCheckpoint(workDir.resolve("meta")).recover();
    assertThat(recovered.operations()).isEmpty();
    assertThat(recovered.resources()).containsExactly(RESERVED);
  }

  @Test
  void aBadOperationFailsWithTheReasonAndChangesNothing() throws Exception {
    start();
    UUID tooMuch = apply(reserve(reserved(disk(4096), "ops")), "reserve-too-much");
    UpdateOperationStatusMessage failed = awaitStatus(tooMuch, 1);
    assertThat(failed.getStatus().getState()).isEqualTo(OperationState.OPERATION_FAILED);
    assertThat(failed.getStatus().getMessage()).contains("does not contain");
    assertThat(h.state().get("reserved_resources").size()).isZero();

    UUID noReservation = apply(create(volume(disk(64), "id1", "data")), "create-unreserved");
    UpdateOperationStatusMessage unreserved = awaitStatus(noReservation, 1);
    assertThat(unreserved.getStatus().getState()).isEqualTo(OperationState.OPERATION_FAILED);
    assertThat(unreserved.getStatus().getMessage())
        .isEqualTo("Cannot get conversions: Persistent volumes cannot be created from unreserved resources");
    assertThat(volumeDir()).doesNotExist();
    acknowledge(failed);
  }

  @Test
  void restartedAgentReportsCheckpointedResourcesAndPendingOperationsAndKeepsTheVolume() throws Exception {
    start();
    applyAndAcknowledge(reserve(RESERVED), "reserve-1");
    UUID create = apply(create(VOLUME), "create-1");
    UpdateOperationStatusMessage created = awaitStatus(create, 1);
    Files.writeString(volumeDir().resolve("kept"), "data", StandardCharsets.UTF_8);
    h.settle();

    h.agent.detach();
    h.restart(Map.of());
    ReregisterSlaveMessage reregister = h.reregister(1);
    assertThat(reregister.getCheckpointedResourcesList()).containsExactly(VOLUME);
    assertThat(reregister.getSlave().getResourcesList()).as("the agent info keeps --resources")
        .isEqualTo(Resources.parse("cpus:2;mem:1024;disk:2048;ports:[31000-32000]").toList());
    assertThat(reregister.getOperationsList()).extracting(o -> o.getInfo().getId().getValue())
        .containsExactly("create-1");
    assertThat(volumeDir().resolve("kept")).hasContent("data");
    // The unacknowledged status goes out again after re-registration, with the same status uuid.
    UpdateOperationStatusMessage resent = awaitStatus(create, 2);
    assertThat(resent.getStatus().getUuid()).isEqualTo(created.getStatus().getUuid());
    acknowledge(resent);
    assertThat(h.state().get("reserved_resources_full").get("ops").get(0).get("disk").get("persistence")
        .get("id").asText()).isEqualTo("id1");
  }

  @Test
  void growAndShrinkThroughTheAgent() throws Exception {
    start();
    applyAndAcknowledge(reserve(reserved(disk(96), "ops")), "reserve-1");
    applyAndAcknowledge(create(VOLUME), "create-1");
    Files.writeString(volumeDir().resolve("kept"), "data", StandardCharsets.UTF_8);
    Offer.Operation grow = Offer.Operation.newBuilder().setType(Offer.Operation.Type.GROW_VOLUME)
        .setGrowVolume(Offer.Operation.GrowVolume.newBuilder().setVolume(VOLUME).setAddition(reserved(disk(32), "ops")))
        .build();
    applyAndAcknowledge(grow, "grow-1");
    Resource grown = VOLUME.toBuilder().setScalar(Values.scalar(96)).build();
    assertThat(resourcesInfo()).containsExactly(grown);
    Offer.Operation shrink = Offer.Operation.newBuilder().setType(Offer.Operation.Type.SHRINK_VOLUME)
        .setShrinkVolume(Offer.Operation.ShrinkVolume.newBuilder().setVolume(grown).setSubtract(Values.scalar(64)))
        .build();
    applyAndAcknowledge(shrink, "shrink-1");
    Resource shrunk = VOLUME.toBuilder().setScalar(Values.scalar(32)).build();
    assertThat(Resources.of(resourcesInfo())).isEqualTo(Resources.of(shrunk, reserved(disk(64), "ops")));
    assertThat(volumeDir().resolve("kept")).as("the volume's data stays").hasContent("data");
  }

  @Test
  void aCheckpointThatNoLongerFitsTheResourcesFlagStopsTheAgent() throws Exception {
    start();
    applyAndAcknowledge(reserve(RESERVED), "reserve-1");
    h.settle();
    h.agent.detach();
    assertThatThrownBy(() -> h.restart(Map.of("resources", "cpus:2;mem:1024;disk:32")))
        .hasMessageContaining("Checkpointed resources")
        .hasMessageContaining("are incompatible with agent resources");
  }

  @Test
  void aCorruptCheckpointStopsAStrictAgentAndIsSkippedOtherwise() throws Exception {
    start();
    applyAndAcknowledge(reserve(RESERVED), "reserve-1");
    h.settle();
    h.agent.detach();
    Path state = workDir.resolve("meta/resources/resources_and_operations.state");
    byte[] bytes = Files.readAllBytes(state);
    Files.write(state, java.util.Arrays.copyOf(bytes, bytes.length - 2));
    assertThatThrownBy(() -> h.restart(Map.of())).hasMessageContaining("resources_and_operations.state")
        .hasMessageContaining("truncated");

    h.restart(Map.of("strict", "false"));
    h.reregister(1);
    assertThat(h.metrics().get("slave/recovery_errors").asInt()).isEqualTo(1);
    assertThat(h.state().get("reserved_resources").size()).isZero();
  }

  @Test
  void aTaskWritesToTheVolumeAndASecondTaskReadsItThenDestroyRemovesIt() throws Exception {
    start();
    applyAndAcknowledge(reserve(RESERVED), "reserve-1");
    applyAndAcknowledge(create(VOLUME), "create-1");

    h.runTask(task("writer", "echo persisted > data/file", VOLUME));
    assertThat(runToEnd("writer")).isEqualTo(TaskState.TASK_FINISHED);
    assertThat(volumeDir().resolve("file")).hasContent("persisted\n");

    h.runTask(task("reader", "grep -q persisted data/file", VOLUME));
    assertThat(runToEnd("reader")).isEqualTo(TaskState.TASK_FINISHED);

    UUID destroy = apply(destroy(VOLUME), "destroy-1");
    assertThat(awaitStatus(destroy, 1).getStatus().getState()).isEqualTo(OperationState.OPERATION_FINISHED);
    assertThat(volumeDir()).doesNotExist();
    assertThat(resourcesInfo()).containsExactly(RESERVED);
    applyAndAcknowledge(unreserve(RESERVED), "unreserve-1");
    assertThat(resourcesInfo()).isEmpty();
  }

  @Test
  void aVolumeInUseIsNotDestroyedAndSharedVolumesServeSeveralTasks() throws Exception {
    start();
    applyAndAcknowledge(reserve(RESERVED), "reserve-1");
    applyAndAcknowledge(create(SHARED), "create-1");
    h.runTask(task("one", "echo one > data/one; sleep 60", SHARED));
    h.runTask(task("two", "echo two > data/two; sleep 60", SHARED));
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
        .until(() -> Files.exists(volumeDir().resolve("one")) && Files.exists(volumeDir().resolve("two")));

    UUID destroy = apply(destroy(SHARED), "destroy-1");
    UpdateOperationStatusMessage refused = awaitStatus(destroy, 1);
    assertThat(refused.getStatus().getState()).isEqualTo(OperationState.OPERATION_FAILED);
    assertThat(refused.getStatus().getMessage()).isEqualTo("Persistent volumes in use");
    assertThat(volumeDir()).isDirectory();
  }

  @Test
  void checkpointResourcesReplacesTheSetAndReconciliationDropsUnknownOperations() throws Exception {
    start();
    h.master.send(CheckpointResourcesMessage.newBuilder().addResources(VOLUME).build());
    // As Mesos' agent, the volume directories change first and the checkpoint is written after: wait for both.
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
      assertThat(volumeDir()).isDirectory();
      assertThat(resourcesInfo()).containsExactly(VOLUME);
    });

    h.master.send(CheckpointResourcesMessage.getDefaultInstance());
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
      assertThat(volumeDir()).doesNotExist();
      assertThat(resourcesInfo()).isEmpty();
    });

    UUID unknown = UUID.newBuilder().setValue(ByteString.copyFromUtf8("never-sent")).build();
    h.master.send(ReconcileOperationsMessage.newBuilder().addOperations(
        ReconcileOperationsMessage.Operation.newBuilder().setOperationUuid(unknown)).build());
    UpdateOperationStatusMessage dropped = awaitStatus(unknown, 1);
    assertThat(dropped.getStatus().getState()).isEqualTo(OperationState.OPERATION_DROPPED);
    assertThat(dropped.getStatus().hasUuid()).as("not sent reliably").isFalse();
  }

  @Test
  void aNewAgentRegistersWithItsCheckpointedResources() throws Exception {
    start();
    applyAndAcknowledge(reserve(RESERVED), "reserve-1");
    h.settle();
    h.agent.detach();
    Files.delete(workDir.resolve("meta/slaves/latest"));
    h.restart(Map.of());
    RegisterSlaveMessage register = h.master.await(RegisterSlaveMessage.getDefaultInstance(), 2);
    assertThat(register.getCheckpointedResourcesList()).containsExactly(RESERVED);
  }

  @Test
  void aTaskJoiningAnExecutorBringsItsVolumeIntoTheSandbox() throws Exception {
    start();
    applyAndAcknowledge(reserve(RESERVED), "reserve-1");
    applyAndAcknowledge(create(VOLUME), "create-1");
    // An executor that never subscribes: tasks queue on it, and each brings its resources to its container.
    h.runTask(AgentHarness.customExecutorTask("first", "e1", "sleep 60"));
    Path runs = workDir.resolve("slaves/M1-S0/frameworks/M1-0000/executors/e1/runs");
    await().until(() -> Files.isSymbolicLink(runs.resolve("latest")));
    Path sandbox = runs.resolve("latest").toRealPath();
    await().until(() -> Files.exists(sandbox.resolve("stdout")));
    assertThat(sandbox.resolve("data")).doesNotExist();

    h.runTask(AgentHarness.customExecutorTask("second", "e1", "sleep 60").toBuilder().addResources(VOLUME).build());
    await().until(() -> Files.isSymbolicLink(sandbox.resolve("data")));
    assertThat(Files.readSymbolicLink(sandbox.resolve("data"))).isEqualTo(volumeDir().toAbsolutePath());
  }

  /** A command task using {@code volume}, its resources allocated to the volume's role as the master sends them. */
  private static TaskInfo task(String id, String shell, Resource volume) {
    Resource.AllocationInfo role = Resource.AllocationInfo.newBuilder().setRole("ops").build();
    return TaskInfo.newBuilder().setName("task " + id).setTaskId(TaskID.newBuilder().setValue(id))
        .setSlaveId(AgentHarness.SLAVE_ID).setCommand(CommandInfo.newBuilder().setValue(shell))
        .addResources(Resource.newBuilder().setName("cpus").setType(org.apache.mesos.Protos.Value.Type.SCALAR)
            .setScalar(Values.scalar(0.1)).setAllocationInfo(role))
        .addResources(volume.toBuilder().setAllocationInfo(role)).build();
  }

  /** Acknowledges each status update of the task until a terminal one, which it returns. */
  private TaskState runToEnd(String taskId) {
    for (int n = 1; ; n++) {
      int index = n;
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> updates(taskId).size() >= index);
      StatusUpdate update = updates(taskId).get(n - 1);
      h.acknowledge(update);
      if (io.jmesos.protocol.TaskStates.isTerminal(update.getStatus().getState())) {
        return update.getStatus().getState();
      }
    }
  }

  private static org.awaitility.core.ConditionFactory await() {
    return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20));
  }

  private List<StatusUpdate> updates(String taskId) {
    return h.master.all(io.jmesos.internal.Messages.StatusUpdateMessage.getDefaultInstance()).stream()
        .map(io.jmesos.internal.Messages.StatusUpdateMessage::getUpdate)
        .filter(u -> u.getStatus().getTaskId().getValue().equals(taskId)).toList();
  }

  private List<org.apache.mesos.v1.Protos.Operation> operationsOverApi() throws Exception {
    HttpResponse response = h.http.request(h.agent.address(), "POST", "/api/v1",
        new HashMap<>(Map.of("Content-Type", MediaTypes.JSON, "Accept", MediaTypes.JSON)),
        "{\"type\":\"GET_OPERATIONS\"}".getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
    assertThat(response.status()).isEqualTo(200);
    Response parsed = MesosJson.parse(response.body(), Response.newBuilder()).build();
    assertThat(parsed.getType()).isEqualTo(Response.Type.GET_OPERATIONS);
    return parsed.getGetOperations().getOperationsList();
  }
}
