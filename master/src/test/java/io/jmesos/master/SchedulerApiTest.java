package io.jmesos.master;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.jmesos.internal.Messages.KillTaskMessage;
import io.jmesos.internal.Messages.RunTaskGroupMessage;
import io.jmesos.internal.Messages.RunTaskMessage;
import io.jmesos.internal.Messages.ShutdownFrameworkMessage;
import io.jmesos.internal.Messages.StatusUpdate;
import io.jmesos.internal.Messages.StatusUpdateAcknowledgementMessage;
import io.jmesos.internal.Messages.StatusUpdateMessage;
import io.jmesos.internal.Messages.FrameworkToExecutorMessage;
import io.jmesos.http.HttpResponse;
import io.jmesos.master.testing.FakeAgent;
import io.jmesos.master.testing.TestCluster;
import io.jmesos.master.testing.TestScheduler;
import io.jmesos.master.testing.V1;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.UUID;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskGroupInfo;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(60)
class SchedulerApiTest {
  private TestCluster cluster;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster();
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  private static FrameworkInfo partitionAware() {
    return TestScheduler.frameworkInfo().addCapabilities(FrameworkInfo.Capability.newBuilder()
        .setType(FrameworkInfo.Capability.Type.PARTITION_AWARE)).build();
  }

  private static ByteString uuid() {
    UUID u = UUID.randomUUID();
    return ByteString.copyFrom(ByteBuffer.allocate(16).putLong(u.getMostSignificantBits())
        .putLong(u.getLeastSignificantBits()).array());
  }

  private Offer firstOffer(TestScheduler scheduler) throws Exception {
    return scheduler.expect(Event.Type.OFFERS).getOffers().getOffers(0);
  }

  /** Launches one command task and returns the RunTaskMessage the agent got. */
  private RunTaskMessage launch(TestScheduler scheduler, FakeAgent agent, String taskId) throws Exception {
    Offer offer = firstOffer(scheduler);
    HttpResponse response = scheduler.call(V1.launch(offer,
        V1.commandTask(taskId, offer.getAgentId(), "cpus:1;mem:128")));
    assertThat(response.status()).isEqualTo(202);
    return agent.expect(RunTaskMessage.getDefaultInstance());
  }

  private void sendUpdate(FakeAgent agent, RunTaskMessage run, TaskState state, ByteString uuid) {
    TaskStatus.Builder status = TaskStatus.newBuilder().setTaskId(run.getTask().getTaskId()).setState(state)
        .setSource(TaskStatus.Source.SOURCE_EXECUTOR).setSlaveId(agent.id()).setTimestamp(1.0);
    StatusUpdate.Builder update = StatusUpdate.newBuilder().setFrameworkId(run.getFrameworkId())
        .setSlaveId(agent.id()).setTimestamp(1.0);
    if (uuid != null) {
      status.setUuid(uuid);
      update.setUuid(uuid);
    }
    agent.send(StatusUpdateMessage.newBuilder().setUpdate(update.setStatus(status)).build());
  }

  @ParameterizedTest(name = "json={0}")
  @ValueSource(booleans = {true, false})
  void subscribeOpensAStreamWithSubscribedThenHeartbeats(boolean json) throws Exception {
    TestScheduler scheduler = cluster.scheduler(json);

    Event subscribed = scheduler.subscribe(TestScheduler.frameworkInfo().build());

    assertThat(scheduler.status()).isEqualTo(200);
    assertThat(scheduler.headers().get("content-type")).isEqualTo(json ? "application/json"
        : "application/x-protobuf");
    assertThat(scheduler.streamId()).isNotBlank();
    assertThat(subscribed.getType()).isEqualTo(Event.Type.SUBSCRIBED);
    assertThat(subscribed.getSubscribed().getFrameworkId().getValue()).isEqualTo(cluster.master.id() + "-0000");
    assertThat(subscribed.getSubscribed().getHeartbeatIntervalSeconds()).isEqualTo(15.0);
    assertThat(subscribed.getSubscribed().getMasterInfo().getVersion()).isEqualTo("1.11.0");
    assertThat(subscribed.getSubscribed().getMasterInfo().getPort()).isEqualTo(cluster.address.getPort());
    assertThat(scheduler.next().getType()).isEqualTo(Event.Type.HEARTBEAT);

    cluster.advance(Duration.ofSeconds(15));

    assertThat(scheduler.next().getType()).isEqualTo(Event.Type.HEARTBEAT);
  }

  @Test
  void registeredAgentIsOfferedToTheFramework() throws Exception {
    TestScheduler scheduler = cluster.scheduler(true);
    scheduler.subscribe(TestScheduler.frameworkInfo().build());
    FakeAgent agent = cluster.agent("cpus:2;mem:1024;ports:[31000-32000]");

    Offer offer = firstOffer(scheduler);

    assertThat(agent.id().getValue()).isEqualTo(cluster.master.id() + "-S0");
    assertThat(offer.getAgentId().getValue()).isEqualTo(agent.id().getValue());
    assertThat(offer.getFrameworkId()).isEqualTo(scheduler.frameworkId());
    assertThat(offer.getHostname()).isEqualTo("fake-host");
    assertThat(offer.getAllocationInfo().getRole()).isEqualTo("*");
    assertThat(offer.getResourcesList()).extracting(r -> r.getName()).containsExactlyInAnyOrder(
        "cpus", "mem", "ports");
    assertThat(offer.getResourcesList()).allSatisfy(r -> assertThat(r.getAllocationInfo().getRole())
        .isEqualTo("*"));
  }

  @ParameterizedTest(name = "json={0}")
  @ValueSource(booleans = {true, false})
  void launchUpdateAndAcknowledgeFlowThroughTheMaster(boolean json) throws Exception {
    TestScheduler scheduler = cluster.scheduler(json);
    scheduler.subscribe(TestScheduler.frameworkInfo().build());
    FakeAgent agent = cluster.agent("cpus:2;mem:1024");

    RunTaskMessage run = launch(scheduler, agent, "task-1");
    assertThat(run.getTask().getTaskId().getValue()).isEqualTo("task-1");
    assertThat(run.getFrameworkId().getValue()).isEqualTo(scheduler.frameworkId().getValue());
    assertThat(run.getFramework().getName()).isEqualTo("test-framework");

    ByteString uuid = uuid();
    sendUpdate(agent, run, TaskState.TASK_RUNNING, uuid);
    Event update = scheduler.expect(Event.Type.UPDATE);
    assertThat(update.getUpdate().getStatus().getState())
        .isEqualTo(org.apache.mesos.v1.Protos.TaskState.TASK_RUNNING);
    assertThat(update.getUpdate().getStatus().getUuid()).isEqualTo(uuid);

    HttpResponse ack = scheduler.call(Call.newBuilder().setType(Call.Type.ACKNOWLEDGE)
        .setAcknowledge(Call.Acknowledge.newBuilder()
            .setAgentId(AgentID.newBuilder().setValue(agent.id().getValue()))
            .setTaskId(TaskID.newBuilder().setValue("task-1"))
            .setUuid(uuid)));
    assertThat(ack.status()).isEqualTo(202);
    StatusUpdateAcknowledgementMessage relayed = agent.expect(StatusUpdateAcknowledgementMessage.getDefaultInstance());
    assertThat(relayed.getTaskId().getValue()).isEqualTo("task-1");
    assertThat(relayed.getUuid()).isEqualTo(uuid);
    assertThat(relayed.getSlaveId()).isEqualTo(agent.id());
  }

  @Test
  void declinedResourcesComeBackAfterTheFilter() throws Exception {
    TestScheduler scheduler = cluster.scheduler(true);
    scheduler.subscribe(TestScheduler.frameworkInfo().build());
    cluster.agent("cpus:2;mem:1024");
    Offer offer = firstOffer(scheduler);

    HttpResponse decline = scheduler.call(Call.newBuilder().setType(Call.Type.DECLINE)
        .setDecline(Call.Decline.newBuilder().addOfferIds(offer.getId())
            .setFilters(Filters.newBuilder().setRefuseSeconds(30))));
    assertThat(decline.status()).isEqualTo(202);
    cluster.settle();
    cluster.advance(Duration.ofSeconds(29));
    assertThat(scheduler.poll(100)).isNull();

    cluster.advance(Duration.ofSeconds(1));

    Offer again = firstOffer(scheduler);
    assertThat(again.getId()).isNotEqualTo(offer.getId());
  }

  @Test
  void killIsSentToTheAgentAndUnknownTasksAreReconciled() throws Exception {
    TestScheduler scheduler = cluster.scheduler(true);
    scheduler.subscribe(TestScheduler.frameworkInfo().build());
    FakeAgent agent = cluster.agent("cpus:2;mem:1024");
    launch(scheduler, agent, "task-1");

    scheduler.call(Call.newBuilder().setType(Call.Type.KILL)
        .setKill(Call.Kill.newBuilder().setTaskId(TaskID.newBuilder().setValue("task-1"))));
    KillTaskMessage kill = agent.expect(KillTaskMessage.getDefaultInstance());
    assertThat(kill.getTaskId().getValue()).isEqualTo("task-1");

    scheduler.call(Call.newBuilder().setType(Call.Type.KILL)
        .setKill(Call.Kill.newBuilder().setTaskId(TaskID.newBuilder().setValue("nope"))));
    var status = scheduler.expect(Event.Type.UPDATE).getUpdate().getStatus();
    assertThat(status.getTaskId().getValue()).isEqualTo("nope");
    assertThat(status.getState()).isEqualTo(org.apache.mesos.v1.Protos.TaskState.TASK_LOST);
    assertThat(status.getReason()).isEqualTo(org.apache.mesos.v1.Protos.TaskStatus.Reason.REASON_RECONCILIATION);
    assertThat(status.hasUuid()).isFalse();
  }

  @Test
  void reconcileReportsLatestStatesAndUnknownTasks() throws Exception {
    TestScheduler scheduler = cluster.scheduler(false);
    scheduler.subscribe(partitionAware());
    FakeAgent agent = cluster.agent("cpus:2;mem:1024");
    RunTaskMessage run = launch(scheduler, agent, "task-1");
    sendUpdate(agent, run, TaskState.TASK_RUNNING, uuid());
    scheduler.expect(Event.Type.UPDATE);

    scheduler.call(Call.newBuilder().setType(Call.Type.RECONCILE).setReconcile(Call.Reconcile.newBuilder()));
    var implicit = scheduler.expect(Event.Type.UPDATE).getUpdate().getStatus();
    assertThat(implicit.getTaskId().getValue()).isEqualTo("task-1");
    assertThat(implicit.getState()).isEqualTo(org.apache.mesos.v1.Protos.TaskState.TASK_RUNNING);
    assertThat(implicit.getReason()).isEqualTo(org.apache.mesos.v1.Protos.TaskStatus.Reason.REASON_RECONCILIATION);
    assertThat(implicit.getSource()).isEqualTo(org.apache.mesos.v1.Protos.TaskStatus.Source.SOURCE_MASTER);
    assertThat(implicit.hasUuid()).isFalse();

    AgentID agentId = AgentID.newBuilder().setValue(agent.id().getValue()).build();
    scheduler.call(Call.newBuilder().setType(Call.Type.RECONCILE).setReconcile(Call.Reconcile.newBuilder()
        .addTasks(Call.Reconcile.Task.newBuilder().setTaskId(TaskID.newBuilder().setValue("ghost"))
            .setAgentId(agentId))
        .addTasks(Call.Reconcile.Task.newBuilder().setTaskId(TaskID.newBuilder().setValue("ghost2")))));
    var gone = scheduler.expect(Event.Type.UPDATE).getUpdate().getStatus();
    var unknown = scheduler.expect(Event.Type.UPDATE).getUpdate().getStatus();
    assertThat(gone.getState()).isEqualTo(org.apache.mesos.v1.Protos.TaskState.TASK_GONE);
    assertThat(unknown.getState()).isEqualTo(org.apache.mesos.v1.Protos.TaskState.TASK_UNKNOWN);
    assertThat(unknown.getReason()).isEqualTo(org.apache.mesos.v1.Protos.TaskStatus.Reason.REASON_RECONCILIATION);
  }

  @Test
  void teardownShutsTheFrameworkDownEverywhere() throws Exception {
    TestScheduler scheduler = cluster.scheduler(true);
    scheduler.subscribe(TestScheduler.frameworkInfo().build());
    FakeAgent agent = cluster.agent("cpus:2;mem:1024");
    launch(scheduler, agent, "task-1");

    HttpResponse response = scheduler.call(Call.newBuilder().setType(Call.Type.TEARDOWN));

    assertThat(response.status()).isEqualTo(202);
    ShutdownFrameworkMessage shutdown = agent.expect(ShutdownFrameworkMessage.getDefaultInstance());
    assertThat(shutdown.getFrameworkId().getValue()).isEqualTo(scheduler.frameworkId().getValue());
    org.awaitility.Awaitility.await().until(scheduler::streamClosed);
    TestScheduler again = cluster.scheduler(true);
    Event refused = again.subscribe(TestScheduler.frameworkInfo().setId(scheduler.frameworkId()).build());
    assertThat(refused.getType()).isEqualTo(Event.Type.ERROR);
    assertThat(refused.getError().getMessage()).isEqualTo("Framework has been removed");
  }

  @Test
  void launchBeyondTheOfferIsATaskError() throws Exception {
    TestScheduler scheduler = cluster.scheduler(true);
    scheduler.subscribe(TestScheduler.frameworkInfo().build());
    FakeAgent agent = cluster.agent("cpus:2;mem:1024");
    Offer offer = firstOffer(scheduler);

    scheduler.call(V1.launch(offer, V1.commandTask("big", offer.getAgentId(), "cpus:3;mem:128")));

    var status = scheduler.expect(Event.Type.UPDATE).getUpdate().getStatus();
    assertThat(status.getState()).isEqualTo(org.apache.mesos.v1.Protos.TaskState.TASK_ERROR);
    assertThat(status.getReason()).isEqualTo(org.apache.mesos.v1.Protos.TaskStatus.Reason.REASON_TASK_INVALID);
    assertThat(status.getMessage()).contains("Task uses more resources");
    assertThat(status.getSource()).isEqualTo(org.apache.mesos.v1.Protos.TaskStatus.Source.SOURCE_MASTER);
    assertThat(agent.hasQueued(RunTaskMessage.getDefaultInstance())).isFalse();
    // The offer's resources go back to the allocator (with the default 5s filter) and are offered again.
    cluster.settle();
    cluster.advance(Duration.ofSeconds(5));
    assertThat(firstOffer(scheduler).getAgentId()).isEqualTo(offer.getAgentId());
  }

  @Test
  void unknownOfferLosesTheTaskOrDropsItForPartitionAwareFrameworks() throws Exception {
    TestScheduler plain = cluster.scheduler(true);
    plain.subscribe(TestScheduler.frameworkInfo().build());
    FakeAgent agent = cluster.agent("cpus:2;mem:1024");
    Offer offer = firstOffer(plain);
    Offer bogus = offer.toBuilder().setId(OfferID.newBuilder().setValue("no-such-offer")).build();

    plain.call(V1.launch(bogus, V1.commandTask("t", offer.getAgentId(), "cpus:1")));
    var lost = plain.expect(Event.Type.UPDATE).getUpdate().getStatus();
    assertThat(lost.getState()).isEqualTo(org.apache.mesos.v1.Protos.TaskState.TASK_LOST);
    assertThat(lost.getReason()).isEqualTo(org.apache.mesos.v1.Protos.TaskStatus.Reason.REASON_INVALID_OFFERS);
    assertThat(lost.getMessage()).contains("Task launched with invalid offers");

    TestScheduler aware = cluster.scheduler(false);
    aware.subscribe(partitionAware());
    aware.call(V1.launch(bogus, V1.commandTask("t", offer.getAgentId(), "cpus:1")));
    var dropped = aware.expect(Event.Type.UPDATE).getUpdate().getStatus();
    assertThat(dropped.getState()).isEqualTo(org.apache.mesos.v1.Protos.TaskState.TASK_DROPPED);
    assertThat(agent.hasQueued(RunTaskMessage.getDefaultInstance())).isFalse();
  }

  @Test
  void launchGroupSendsOneRunTaskGroupMessage() throws Exception {
    TestScheduler scheduler = cluster.scheduler(true);
    scheduler.subscribe(TestScheduler.frameworkInfo().build());
    FakeAgent agent = cluster.agent("cpus:2;mem:1024");
    Offer offer = firstOffer(scheduler);
    ExecutorInfo executor = ExecutorInfo.newBuilder().setType(ExecutorInfo.Type.DEFAULT)
        .setExecutorId(ExecutorID.newBuilder().setValue("default"))
        .addAllResources(V1.resources("cpus:0.1;mem:32", "*")).build();
    TaskInfo a = V1.commandTask("a", offer.getAgentId(), "cpus:0.5;mem:64");
    TaskInfo b = V1.commandTask("b", offer.getAgentId(), "cpus:0.5;mem:64");

    scheduler.call(Call.newBuilder().setType(Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder()
        .addOfferIds(offer.getId())
        .addOperations(Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH_GROUP)
            .setLaunchGroup(Offer.Operation.LaunchGroup.newBuilder().setExecutor(executor)
                .setTaskGroup(TaskGroupInfo.newBuilder().addTasks(a).addTasks(b))))));

    RunTaskGroupMessage run = agent.expect(RunTaskGroupMessage.getDefaultInstance());
    assertThat(run.getTaskGroup().getTasksList()).extracting(t -> t.getTaskId().getValue())
        .containsExactly("a", "b");
    assertThat(run.getExecutor().getFrameworkId().getValue()).isEqualTo(scheduler.frameworkId().getValue());
  }

  @Test
  void resubscribingWithTheSameIdFailsOverTheStream() throws Exception {
    TestScheduler first = cluster.scheduler(true);
    first.subscribe(TestScheduler.frameworkInfo().setFailoverTimeout(60).build());
    cluster.agent("cpus:2;mem:1024");
    firstOffer(first);

    TestScheduler second = cluster.scheduler(false);
    Event subscribed = second.subscribe(TestScheduler.frameworkInfo().setFailoverTimeout(60)
        .setId(first.frameworkId()).build());

    assertThat(subscribed.getSubscribed().getFrameworkId()).isEqualTo(first.frameworkId());
    assertThat(first.expect(Event.Type.ERROR).getError().getMessage()).isEqualTo("Framework failed over");
    org.awaitility.Awaitility.await().until(first::streamClosed);
    assertThat(firstOffer(second).getFrameworkId()).isEqualTo(first.frameworkId());
    assertThat(second.streamId()).isNotEqualTo(first.streamId());
    HttpResponse stale = first.call(Call.newBuilder().setType(Call.Type.REVIVE));
    assertThat(stale.status()).isEqualTo(400);
  }

  @Test
  void failoverMayNotChangeThePrincipalAndKeepsTheOriginalUserAndCheckpoint() throws Exception {
    TestScheduler first = cluster.scheduler(true);
    first.subscribe(TestScheduler.frameworkInfo().setFailoverTimeout(60).setPrincipal("alice").build());

    TestScheduler impostor = cluster.scheduler(true);
    Event refused = impostor.subscribe(TestScheduler.frameworkInfo().setFailoverTimeout(60)
        .setId(first.frameworkId()).setPrincipal("mallory").build());
    assertThat(refused.getType()).isEqualTo(Event.Type.ERROR);
    assertThat(refused.getError().getMessage()).isEqualTo("Changing framework's principal is not allowed.");
    assertThat(first.call(Call.newBuilder().setType(Call.Type.REVIVE)).status()).isEqualTo(202);

    TestScheduler second = cluster.scheduler(false);
    Event subscribed = second.subscribe(TestScheduler.frameworkInfo().setFailoverTimeout(60)
        .setId(first.frameworkId()).setPrincipal("alice").setUser("root").setCheckpoint(true).build());
    assertThat(subscribed.getType()).isEqualTo(Event.Type.SUBSCRIBED);
    io.jmesos.http.HttpResponse state;
    try (io.jmesos.http.HttpClient http = new io.jmesos.http.HttpClient("failover-test")) {
      state = http.get(cluster.address, "/master/state").get(10, java.util.concurrent.TimeUnit.SECONDS);
    }
    com.fasterxml.jackson.databind.JsonNode framework = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(state.body()).get("frameworks").get(0);
    assertThat(framework.get("user").asText()).isEqualTo("tester");
    assertThat(framework.get("checkpoint").asBoolean()).isFalse();
  }

  @Test
  void agentDisconnectRescindsItsOffers() throws Exception {
    TestScheduler scheduler = cluster.scheduler(true);
    scheduler.subscribe(TestScheduler.frameworkInfo().build());
    FakeAgent agent = cluster.agent("cpus:2;mem:1024");
    Offer offer = firstOffer(scheduler);

    agent.disconnect();

    assertThat(scheduler.expect(Event.Type.RESCIND).getRescind().getOfferId()).isEqualTo(offer.getId());
  }

  @Test
  void messagesFlowBetweenSchedulerAndExecutor() throws Exception {
    TestScheduler scheduler = cluster.scheduler(true);
    scheduler.subscribe(TestScheduler.frameworkInfo().build());
    FakeAgent agent = cluster.agent("cpus:2;mem:1024");
    AgentID agentId = AgentID.newBuilder().setValue(agent.id().getValue()).build();

    scheduler.call(Call.newBuilder().setType(Call.Type.MESSAGE).setMessage(Call.Message.newBuilder()
        .setAgentId(agentId).setExecutorId(ExecutorID.newBuilder().setValue("e"))
        .setData(ByteString.copyFromUtf8("hello"))));
    FrameworkToExecutorMessage toExecutor = agent.expect(FrameworkToExecutorMessage.getDefaultInstance());
    assertThat(toExecutor.getData().toStringUtf8()).isEqualTo("hello");

    agent.send(io.jmesos.internal.Messages.ExecutorToFrameworkMessage.newBuilder()
        .setSlaveId(agent.id()).setFrameworkId(toExecutor.getFrameworkId())
        .setExecutorId(toExecutor.getExecutorId()).setData(ByteString.copyFromUtf8("world")).build());
    Event message = scheduler.expect(Event.Type.MESSAGE);
    assertThat(message.getMessage().getData().toStringUtf8()).isEqualTo("world");
    assertThat(message.getMessage().getAgentId()).isEqualTo(agentId);
  }
}
