package io.jmesos.master;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.jmesos.internal.Messages.ExitedExecutorMessage;
import io.jmesos.internal.Messages.PingSlaveMessage;
import io.jmesos.internal.Messages.PongSlaveMessage;
import io.jmesos.internal.Messages.ReregisterSlaveMessage;
import io.jmesos.internal.Messages.RunTaskMessage;
import io.jmesos.internal.Messages.SlaveRegisteredMessage;
import io.jmesos.internal.Messages.SlaveReregisteredMessage;
import io.jmesos.internal.Messages.StatusUpdate;
import io.jmesos.internal.Messages.StatusUpdateMessage;
import io.jmesos.internal.Messages.UnregisterSlaveMessage;
import io.jmesos.master.testing.FakeAgent;
import io.jmesos.master.testing.TestCluster;
import io.jmesos.master.testing.TestScheduler;
import io.jmesos.master.testing.V1;
import io.jmesos.resources.Resources;
import java.time.Duration;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.SlaveInfo;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class AgentLifecycleTest {
  private TestCluster cluster;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster();
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  private RunTaskMessage launch(TestScheduler scheduler, FakeAgent agent) throws Exception {
    Offer offer = scheduler.expect(Event.Type.OFFERS).getOffers().getOffers(0);
    scheduler.call(V1.launch(offer, V1.commandTask("t1", offer.getAgentId(), "cpus:1;mem:64")));
    return agent.expect(RunTaskMessage.getDefaultInstance());
  }

  @Test
  void registrationAnnouncesThePingSchedule() throws Exception {
    FakeAgent agent = new FakeAgent();
    try (agent) {
      SlaveRegisteredMessage registered = agent.register(cluster.address, "cpus:1;mem:64");
      assertThat(registered.getPingIntervalSeconds()).isEqualTo(15.0);
      assertThat(registered.getMaxMissedPings()).isEqualTo(5);
      assertThat(agent.expect(PingSlaveMessage.getDefaultInstance()).getConnected()).isTrue();
    }
  }

  @Test
  void agentThatAnswersPingsStays() throws Exception {
    FakeAgent agent = cluster.agent("cpus:1;mem:64");
    for (int i = 0; i < 8; i++) {
      agent.expect(PingSlaveMessage.getDefaultInstance());
      agent.send(PongSlaveMessage.getDefaultInstance());
      // A duplicate registration on the same connection is answered in order: once the answer is back, the
      // master has seen the pong.
      agent.send(io.jmesos.internal.Messages.RegisterSlaveMessage.newBuilder()
          .setSlave(SlaveInfo.newBuilder().setHostname("fake-host")).build());
      agent.expect(SlaveRegisteredMessage.getDefaultInstance());
      cluster.advance(Duration.ofSeconds(15));
    }
    assertThat(agent.disconnected()).isFalse();
    assertThat(agent.hasQueued(io.jmesos.internal.Messages.ShutdownMessage.getDefaultInstance())).isFalse();
  }

  @Test
  void silentAgentBecomesUnreachableAndItsTasksAreReported() throws Exception {
    TestScheduler plain = cluster.scheduler(true);
    plain.subscribe(TestScheduler.frameworkInfo().build());
    FakeAgent agent = cluster.agent("cpus:2;mem:1024");
    launch(plain, agent);

    for (int i = 0; i < 5; i++) {
      cluster.advance(Duration.ofSeconds(15));
    }

    var lost = plain.expect(Event.Type.UPDATE).getUpdate().getStatus();
    assertThat(lost.getTaskId().getValue()).isEqualTo("t1");
    assertThat(lost.getState()).isEqualTo(org.apache.mesos.v1.Protos.TaskState.TASK_LOST);
    assertThat(lost.getReason()).isEqualTo(org.apache.mesos.v1.Protos.TaskStatus.Reason.REASON_AGENT_REMOVED);
    assertThat(plain.expect(Event.Type.FAILURE).getFailure().getAgentId().getValue())
        .isEqualTo(agent.id().getValue());
    org.awaitility.Awaitility.await().until(agent::disconnected);
  }

  /** Mesos' {@code _removeSlave}: an unregistered agent's tasks are TASK_LOST, partition-aware or not. */
  @Test
  void unregisteringAgentLosesItsTasksEvenForPartitionAwareFrameworks() throws Exception {
    TestScheduler aware = cluster.scheduler(false);
    aware.subscribe(TestScheduler.frameworkInfo().addCapabilities(FrameworkInfo.Capability.newBuilder()
        .setType(FrameworkInfo.Capability.Type.PARTITION_AWARE)).build());
    FakeAgent agent = cluster.agent("cpus:2;mem:1024");
    launch(aware, agent);

    agent.send(UnregisterSlaveMessage.newBuilder().setSlaveId(agent.id()).build());

    var lost = aware.expect(Event.Type.UPDATE).getUpdate().getStatus();
    assertThat(lost.getState()).isEqualTo(org.apache.mesos.v1.Protos.TaskState.TASK_LOST);
    assertThat(lost.getReason()).isEqualTo(org.apache.mesos.v1.Protos.TaskStatus.Reason.REASON_AGENT_REMOVED);
    assertThat(lost.getMessage()).isEqualTo("Agent fake-host removed: agent unregistered");
  }

  @Test
  void terminalUpdateFreesResourcesForNewOffers() throws Exception {
    TestScheduler scheduler = cluster.scheduler(true);
    scheduler.subscribe(TestScheduler.frameworkInfo().build());
    FakeAgent agent = cluster.agent("cpus:1;mem:64");
    RunTaskMessage run = launch(scheduler, agent);
    ByteString uuid = ByteString.copyFrom(new byte[16]);

    agent.send(StatusUpdateMessage.newBuilder().setUpdate(StatusUpdate.newBuilder()
        .setFrameworkId(run.getFrameworkId()).setSlaveId(agent.id()).setTimestamp(3.0).setUuid(uuid)
        .setStatus(TaskStatus.newBuilder().setTaskId(run.getTask().getTaskId())
            .setState(TaskState.TASK_FINISHED).setUuid(uuid))).build());

    assertThat(scheduler.expect(Event.Type.UPDATE).getUpdate().getStatus().getState())
        .isEqualTo(org.apache.mesos.v1.Protos.TaskState.TASK_FINISHED);
    Offer again = scheduler.expect(Event.Type.OFFERS).getOffers().getOffers(0);
    assertThat(Resources.of(again.getResourcesList().stream()
        .map(r -> io.jmesos.protocol.Evolve.devolvePartial(r, org.apache.mesos.Protos.Resource.parser()))
        .toList()).scalar("cpus")).isEqualTo(1.0);
  }

  /** Mesos' {@code exitedExecutor}: a known executor's exit is a FAILURE event; an unknown one is ignored. */
  @Test
  void exitedExecutorIsAFailureEvent() throws Exception {
    TestScheduler scheduler = cluster.scheduler(true);
    scheduler.subscribe(TestScheduler.frameworkInfo().build());
    FakeAgent agent = cluster.agent("cpus:1;mem:64");
    Offer offer = scheduler.expect(Event.Type.OFFERS).getOffers().getOffers(0);
    var task = V1.commandTask("t1", offer.getAgentId(), "cpus:0.5;mem:32").toBuilder().clearCommand()
        .setExecutor(org.apache.mesos.v1.Protos.ExecutorInfo.newBuilder()
            .setExecutorId(org.apache.mesos.v1.Protos.ExecutorID.newBuilder().setValue("e1"))
            .setCommand(org.apache.mesos.v1.Protos.CommandInfo.newBuilder().setValue("executor"))
            .addAllResources(V1.resources("cpus:0.1;mem:32", "*")))
        .build();
    scheduler.call(V1.launch(offer, task));
    RunTaskMessage run = agent.expect(RunTaskMessage.getDefaultInstance());

    agent.send(ExitedExecutorMessage.newBuilder().setSlaveId(agent.id()).setFrameworkId(run.getFrameworkId())
        .setExecutorId(ExecutorID.newBuilder().setValue("unknown")).setStatus(1).build());
    agent.send(ExitedExecutorMessage.newBuilder().setSlaveId(agent.id()).setFrameworkId(run.getFrameworkId())
        .setExecutorId(ExecutorID.newBuilder().setValue("e1")).setStatus(9).build());

    var failure = scheduler.expect(Event.Type.FAILURE).getFailure();
    assertThat(failure.getExecutorId().getValue()).isEqualTo("e1");
    assertThat(failure.getStatus()).isEqualTo(9);
  }

  @Test
  void reregistrationKeepsTheAgentId() throws Exception {
    FakeAgent agent = cluster.agent("cpus:1;mem:64");
    agent.disconnect();
    FakeAgent again = new FakeAgent();
    try (again) {
      again.connect(cluster.address);
      again.send(ReregisterSlaveMessage.newBuilder()
          .setSlave(SlaveInfo.newBuilder().setId(agent.id()).setHostname("fake-host")
              .addAllResources(Resources.parse("cpus:1;mem:64", "*").toList()))
          .setPid("127.0.0.1:5051").setVersion("1.11.0").build());
      SlaveReregisteredMessage reply = again.expect(SlaveReregisteredMessage.getDefaultInstance());
      assertThat(reply.getSlaveId()).isEqualTo(agent.id());
      TestScheduler scheduler = cluster.scheduler(true);
      scheduler.subscribe(TestScheduler.frameworkInfo().build());
      assertThat(scheduler.expect(Event.Type.OFFERS).getOffers().getOffers(0).getAgentId().getValue())
          .isEqualTo(agent.id().getValue());
    }
  }

  /** Mesos' {@code Master::exited}: a framework that does not checkpoint loses its tasks on a disconnected agent. */
  @Test
  void nonCheckpointingFrameworkLosesItsTasksWhenTheAgentDisconnects() throws Exception {
    TestScheduler scheduler = cluster.scheduler(true);
    scheduler.subscribe(TestScheduler.frameworkInfo().build());
    FakeAgent agent = cluster.agent("cpus:2;mem:1024");
    launch(scheduler, agent);

    agent.disconnect();

    var lost = scheduler.expect(Event.Type.UPDATE).getUpdate().getStatus();
    assertThat(lost.getState()).isEqualTo(org.apache.mesos.v1.Protos.TaskState.TASK_LOST);
    assertThat(lost.getReason()).isEqualTo(org.apache.mesos.v1.Protos.TaskStatus.Reason.REASON_AGENT_DISCONNECTED);
    assertThat(lost.getMessage()).isEqualTo("Agent fake-host disconnected");
    cluster.settle();
    assertThat(metric("master/slaves_disconnected")).isEqualTo(1.0);
    assertThat(metric("master/slaves_unreachable")).isEqualTo(0.0);
  }

  /**
   * Mesos' {@code agentReregisterTimeout}: an agent whose connection broke and that does not re-register within
   * {@code --agent_reregister_timeout} is marked unreachable; a checkpointing framework's task is kept until then.
   */
  @Test
  void disconnectedAgentIsUnreachableAfterTheReregisterTimeout() throws Exception {
    cluster.close();
    cluster = new TestCluster(io.jmesos.master.flags.MasterFlags.of(java.util.Map.of("ip", "127.0.0.1",
        "port", "0", "registry", "in_memory", "agent_ping_timeout", "5mins", "max_agent_ping_timeouts", "5")),
        io.jmesos.transport.Limits.DEFAULT);
    TestScheduler scheduler = cluster.scheduler(true);
    scheduler.subscribe(TestScheduler.frameworkInfo().setCheckpoint(true).build());
    FakeAgent agent = cluster.agent("cpus:2;mem:1024");
    launch(scheduler, agent);

    agent.disconnect();
    // The master learns of the broken connection when its own end of the socket closes: poll, bounded.
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> metric("master/slaves_disconnected") == 1.0);
    cluster.settle();
    cluster.advance(Duration.ofMinutes(9));
    assertThat(metric("master/slaves_unreachable")).isEqualTo(0.0);
    cluster.advance(Duration.ofMinutes(1));

    var lost = scheduler.expect(Event.Type.UPDATE).getUpdate().getStatus();
    assertThat(lost.getState()).isEqualTo(org.apache.mesos.v1.Protos.TaskState.TASK_LOST);
    assertThat(lost.getReason()).isEqualTo(org.apache.mesos.v1.Protos.TaskStatus.Reason.REASON_AGENT_REMOVED);
    assertThat(lost.getMessage()).isEqualTo("agent did not reregister within 10mins after disconnecting");
    assertThat(metric("master/slaves_unreachable")).isEqualTo(1.0);
    assertThat(metric("master/slave_unreachable_completed")).isEqualTo(1.0);
  }

  /** {@code --agent_removal_rate_limit}: unhealthy agents are marked unreachable no faster than the limit. */
  @Test
  void unhealthyAgentsAreRemovedAtTheRateLimit() throws Exception {
    cluster.close();
    cluster = new TestCluster(io.jmesos.master.flags.MasterFlags.of(java.util.Map.of("ip", "127.0.0.1",
        "port", "0", "registry", "in_memory", "agent_removal_rate_limit", "1/1mins")),
        io.jmesos.transport.Limits.DEFAULT);
    cluster.agent("cpus:1;mem:64");
    cluster.agent("cpus:1;mem:64");

    // Both fail their fifth ping within 90 s (the second one ping later): the first is marked unreachable at
    // once, the second waits for the next permit, a minute after the first removal.
    for (int i = 0; i < 5; i++) {
      cluster.advance(Duration.ofSeconds(15));
    }
    assertThat(metric("master/slaves_unreachable")).isEqualTo(1.0);
    cluster.advance(Duration.ofSeconds(15));
    assertThat(metric("master/slave_unreachable_scheduled")).isEqualTo(2.0);
    cluster.advance(Duration.ofSeconds(44));
    assertThat(metric("master/slaves_unreachable")).isEqualTo(1.0);
    cluster.advance(Duration.ofSeconds(1));

    assertThat(metric("master/slaves_unreachable")).isEqualTo(2.0);
    assertThat(metric("master/slave_unreachable_completed")).isEqualTo(2.0);
  }

  private double metric(String name) throws Exception {
    return cluster.metrics().get(name).asDouble();
  }
}
