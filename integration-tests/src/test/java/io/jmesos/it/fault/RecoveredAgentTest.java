package io.jmesos.it.fault;

import static io.jmesos.it.fault.ReconciliationScenarios.UNREACHABLE_AFTER;
import static io.jmesos.it.fault.ReconciliationScenarios.assertNoMoreStatuses;
import static io.jmesos.it.fault.ReconciliationScenarios.query;
import static io.jmesos.it.fault.ReconciliationScenarios.taskId;
import static io.jmesos.it.fault.Scenarios.framework;
import static io.jmesos.it.fault.Scenarios.launchLong;
import static io.jmesos.it.fault.Scenarios.placements;
import static io.jmesos.testing.Direction.TO_AGENT;
import static io.jmesos.testing.Direction.TO_MASTER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jmesos.internal.Messages.ReregisterSlaveMessage;
import io.jmesos.internal.Messages.SlaveRegisteredMessage;
import io.jmesos.internal.Messages.SlaveReregisteredMessage;
import io.jmesos.testing.Dropping;
import io.jmesos.testing.FaultCluster;
import io.jmesos.testing.RecordingScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.MesosSchedulerDriver;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.Protos.TaskStatus.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Master failover with a registry that outlives the master (Mesos' tests run these with
 * {@code --registry=replicated_log}): the new master knows the admitted agents as <em>recovered</em> until they
 * re-register, the unreachable ones as unreachable; recovered agents that do not come back within
 * {@code --agent_reregister_timeout} become unreachable at the removal rate limit, unless too many are missing.
 * Mesos' {@code ReconciliationTest.RecoveredAgent}, {@code RecoveredAgentReregistrationInProgress},
 * {@code PartitionedAgentThenMasterFailover}, {@code MasterTest.RecoveredSlaveCanReregister},
 * {@code UnreachableTaskAfterFailover}, {@code RateLimitRecoveredSlaveRemoval} and
 * {@code DuplicatedSlaveIdWhenSlaveReregister}.
 */
@Timeout(90)
class RecoveredAgentTest {
  private static final Duration REREGISTER_TIMEOUT = Duration.ofMinutes(10);

  private static SlaveID agentId(FaultCluster cluster) {
    return SlaveID.newBuilder().setValue(cluster.masterState().path("slaves").get(0).path("id").asText()).build();
  }

  private static List<String> ids(JsonNode agents) {
    List<String> ids = new ArrayList<>();
    agents.forEach(agent -> ids.add(agent.path("id").asText()));
    return ids;
  }

  private static FrameworkInfo checkpointing(String name) {
    return framework(name, false).toBuilder().setCheckpoint(true).setFailoverTimeout(3600).build();
  }

  /** Fails the master over while agents' re-registrations are dropped; returns the drop to lift later. */
  private static Dropping<ReregisterSlaveMessage> failOverWithoutAgents(FaultCluster cluster) throws Exception {
    Dropping<ReregisterSlaveMessage> away = cluster.messages().dropAll(ReregisterSlaveMessage.class, TO_MASTER);
    cluster.restartMaster();
    return away;
  }

  @Test
  void recoveredAgentIsListedAndReconciliationOfItsTasksSaysNothing() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().durableRegistry().build()) {
      SlaveID agent = agentId(cluster);
      Dropping<ReregisterSlaveMessage> away = failOverWithoutAgents(cluster);
      JsonNode state = cluster.masterState();
      assertThat(ids(state.path("recovered_slaves"))).containsExactly(agent.getValue());
      assertThat(state.path("slaves")).isEmpty();

      RecordingScheduler scheduler = new RecordingScheduler();
      MesosSchedulerDriver driver = cluster.driver(scheduler, framework("recovered-agent", false));
      driver.start();
      scheduler.registered().get(10, TimeUnit.SECONDS);
      org.apache.mesos.Protos.TaskID unknown = taskId(UUID.randomUUID().toString());
      driver.reconcileTasks(List.of(query(unknown, agent)));
      cluster.settle();
      assertThat(scheduler.statuses(unknown)).isEmpty();

      // Once the agent is back, the master answers again; nothing was queued for the framework meanwhile.
      CompletableFuture<SlaveReregisteredMessage> back =
          cluster.messages().future(SlaveReregisteredMessage.class, TO_AGENT);
      away.close();
      cluster.advanceUntil(back::isDone);
      assertNoMoreStatuses(cluster, driver, scheduler);
      assertThat(scheduler.statuses(unknown)).isEmpty();
    }
  }

  /**
   * A recovered agent that comes back with the info the registry holds is re-admitted without a registry write
   * (Mesos skips it since MESOS-7711): it re-registers while registry writes are held.
   */
  @Test
  void recoveredAgentWithUnchangedInfoReregistersWithoutARegistryWrite() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().durableRegistry().build()) {
      SlaveID agent = agentId(cluster);
      Dropping<ReregisterSlaveMessage> away = failOverWithoutAgents(cluster);
      int stores = cluster.registry().stores();
      cluster.registry().hold();
      CompletableFuture<SlaveReregisteredMessage> back =
          cluster.messages().future(SlaveReregisteredMessage.class, TO_AGENT);
      away.close();
      cluster.advanceUntil(back::isDone);
      cluster.settle();
      assertThat(cluster.registry().held()).isZero();
      assertThat(cluster.registry().stores()).isEqualTo(stores);
      JsonNode state = cluster.masterState();
      assertThat(ids(state.path("slaves"))).containsExactly(agent.getValue());
      assertThat(state.path("recovered_slaves")).isEmpty();
      cluster.registry().release();
    }
  }

  @Test
  void recoveredAgentReregistersWithItsRunningTask() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().durableRegistry().build()) {
      RecordingScheduler scheduler = new RecordingScheduler();
      MesosSchedulerDriver driver = cluster.driver(scheduler, checkpointing("recovered-can-reregister"));
      driver.start();
      TaskInfo task = launchLong(driver, scheduler, "t1");
      scheduler.awaitStatus(task.getTaskId(), TaskState.TASK_RUNNING);
      SlaveID agent = agentId(cluster);

      CompletableFuture<SlaveReregisteredMessage> back =
          cluster.messages().future(SlaveReregisteredMessage.class, TO_AGENT);
      cluster.restartMaster();
      cluster.advanceUntil(() -> back.isDone() && scheduler.reregistrations() > 0);
      cluster.settle();

      assertThat(back.get().getSlaveId()).isEqualTo(agent);
      JsonNode state = cluster.masterState();
      assertThat(ids(state.path("slaves"))).containsExactly(agent.getValue());
      assertThat(state.path("recovered_slaves")).isEmpty();
      assertThat(placements(state, "t1")).containsExactly("frameworks.tasks:TASK_RUNNING");
      assertThat(cluster.metric("master/slave_reregistrations")).isEqualTo(1.0);
      assertThat(cluster.metric("master/slave_registrations")).isZero();
      assertThat(cluster.registry().registry().getSlaves().getSlavesList())
          .extracting(s -> s.getInfo().getId()).containsExactly(agent);

      // Nothing is removed once the re-registration timeout passes.
      cluster.advance(REREGISTER_TIMEOUT);
      assertThat(cluster.metric("master/slave_unreachable_scheduled")).isZero();
      driver.killTask(task.getTaskId());
      scheduler.awaitStatus(task.getTaskId(), TaskState.TASK_KILLED);
    }
  }

  @Test
  void unreachableTaskAfterFailoverComesBackWhenTheAgentDoes() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().durableRegistry().build()) {
      RecordingScheduler scheduler = new RecordingScheduler();
      MesosSchedulerDriver driver = cluster.driver(scheduler, checkpointing("unreachable-after-failover"));
      driver.start();
      TaskInfo task = launchLong(driver, scheduler, "t1");
      TaskStatus running = scheduler.awaitStatus(task.getTaskId(), TaskState.TASK_RUNNING);
      SlaveID agent = running.getSlaveId();

      Dropping<ReregisterSlaveMessage> away = failOverWithoutAgents(cluster);
      cluster.advanceUntil(() -> scheduler.reregistrations() > 0);
      cluster.advance(REREGISTER_TIMEOUT);
      cluster.advanceUntil(() -> scheduler.lostAgents().contains(agent));
      double unreachableSeconds = cluster.clock().currentTimeSeconds();
      assertThat(cluster.registry().registry().getUnreachable().getSlavesList())
          .extracting(s -> s.getId()).containsExactly(agent);

      driver.reconcileTasks(List.of(query(task.getTaskId(), agent)));
      TaskStatus reconciled = scheduler.awaitStatus(task.getTaskId(), TaskState.TASK_LOST);
      assertThat(reconciled.getReason()).isEqualTo(Reason.REASON_RECONCILIATION);
      assertThat(reconciled.getUnreachableTime())
          .isEqualTo(cluster.registry().registry().getUnreachable().getSlaves(0).getTimestamp());
      assertThat(reconciled.getUnreachableTime().getNanoseconds() / 1e9).isLessThanOrEqualTo(unreachableSeconds);

      away.close();
      cluster.advanceUntil(() -> scheduler.statuses(task.getTaskId()).stream()
          .anyMatch(s -> s.getReason() == Reason.REASON_SLAVE_REREGISTERED));
      TaskStatus again = scheduler.statuses(task.getTaskId()).stream()
          .filter(s -> s.getReason() == Reason.REASON_SLAVE_REREGISTERED).findFirst().orElseThrow();
      assertThat(again.getState()).isEqualTo(TaskState.TASK_RUNNING);
      cluster.settle();
      assertThat(cluster.metric("master/tasks_lost")).isZero();
      assertThat(cluster.metric("master/tasks_unreachable")).isZero();
      assertThat(cluster.metric("master/tasks_running")).isEqualTo(1.0);
      assertThat(cluster.metric("master/slave_unreachable_scheduled")).isEqualTo(1.0);
      assertThat(cluster.metric("master/slave_unreachable_completed")).isEqualTo(1.0);
      assertThat(cluster.metric("master/slave_removals")).isEqualTo(1.0);
      assertThat(cluster.metric("master/slave_removals/reason_unhealthy")).isEqualTo(1.0);
      assertThat(cluster.metric("master/slave_removals/reason_unregistered")).isZero();
      assertThat(cluster.metric("master/recovery_slave_removals")).isEqualTo(1.0);
      assertThat(cluster.registry().registry().getUnreachable().getSlavesCount()).isZero();
    }
  }

  /**
   * After a failover the framework is known only from its agent (its scheduler has not subscribed again): the
   * operator can still tear it down, and its task is killed on the agent.
   */
  @Test
  void aFrameworkThatHasNotResubscribedCanBeTornDown() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().durableRegistry().build()) {
      RecordingScheduler scheduler = new RecordingScheduler();
      MesosSchedulerDriver driver = cluster.driver(scheduler, checkpointing("torn-down-while-away"));
      driver.start();
      String frameworkId = scheduler.registered().get(10, TimeUnit.SECONDS).getValue();
      TaskInfo task = launchLong(driver, scheduler, "t1");
      scheduler.awaitStatus(task.getTaskId(), TaskState.TASK_RUNNING);
      driver.stop(true); // failover: the framework stays, its scheduler is gone
      cluster.settle();

      CompletableFuture<SlaveReregisteredMessage> back =
          cluster.messages().future(SlaveReregisteredMessage.class, TO_AGENT);
      cluster.restartMaster();
      cluster.advanceUntil(back::isDone);
      cluster.settle();
      assertThat(cluster.masterState().path("frameworks").get(0).path("recovered").asBoolean()).isTrue();

      OperatorApi operator = new OperatorApi(cluster);
      assertThat(operator.teardown("no-such-framework").statusCode()).isEqualTo(400);
      assertThat(operator.teardown(frameworkId).statusCode()).isEqualTo(200);
      cluster.settle();
      JsonNode state = cluster.masterState();
      assertThat(state.path("frameworks")).isEmpty();
      assertThat(state.path("completed_frameworks").get(0).path("id").asText()).isEqualTo(frameworkId);
      assertThat(placements(state, "t1")).containsExactly("completed_frameworks.completed_tasks:TASK_KILLED");
      // The agent shuts the framework down: it leaves the agent's live frameworks.
      cluster.advanceUntil(() -> ids(cluster.agentState(0).path("frameworks")).isEmpty());
      assertThat(ids(cluster.agentState(0).path("completed_frameworks"))).contains(frameworkId);
    }
  }

  @Test
  void recoveredAgentRemovalsAreRateLimited() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().durableRegistry().agents(2)
        .masterFlag("agent_removal_rate_limit", "1/1mins").build()) {
      Dropping<ReregisterSlaveMessage> away = failOverWithoutAgents(cluster);
      RecordingScheduler scheduler = new RecordingScheduler();
      MesosSchedulerDriver driver = cluster.driver(scheduler, framework("rate-limited", false));
      driver.start();
      scheduler.registered().get(10, TimeUnit.SECONDS);

      cluster.advance(REREGISTER_TIMEOUT);
      assertThat(cluster.metric("master/slave_unreachable_scheduled")).isEqualTo(2.0);
      assertThat(cluster.metric("master/slave_unreachable_completed")).isEqualTo(1.0);
      assertThat(scheduler.lostAgents()).hasSize(1);
      cluster.advance(Duration.ofSeconds(59));
      assertThat(scheduler.lostAgents()).hasSize(1);
      cluster.advance(Duration.ofSeconds(1));
      assertThat(cluster.metric("master/slave_unreachable_completed")).isEqualTo(2.0);
      assertThat(scheduler.lostAgents()).hasSize(2);
      assertThat(cluster.masterState().path("recovered_slaves")).isEmpty();
      away.close();
    }
  }

  @Test
  void tooManyMissingRecoveredAgentsAbortTheMaster() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().durableRegistry().agents(2)
        .masterFlag("recovery_agent_removal_limit", "40%").build()) {
      CompletableFuture<SlaveReregisteredMessage> one =
          cluster.messages(0).future(SlaveReregisteredMessage.class, TO_AGENT);
      Dropping<ReregisterSlaveMessage> away = cluster.messages(1).dropAll(ReregisterSlaveMessage.class, TO_MASTER);
      cluster.restartMaster();
      cluster.advanceUntil(one::isDone);
      // One of two (50%) missing: above the 40% limit.
      cluster.advance(REREGISTER_TIMEOUT);
      assertThat(cluster.fatalErrors()).singleElement().extracting(Throwable::getMessage).asString()
          .startsWith("Post-recovery agent removal limit exceeded! After 10mins there were 1 (50%) agents "
              + "recovered from the registry that did not reregister")
          .endsWith("The configured removal limit is 40%. Please investigate or increase this limit to proceed "
              + "further");
      assertThat(cluster.registry().registry().getSlaves().getSlavesCount()).isEqualTo(2);
      away.close();
    }
  }

  @Test
  void agentIdsStayUniqueAcrossFailoversWhenAnOldAgentReregisters() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) { // in memory: the new master knows nothing
      SlaveID first = agentId(cluster);
      Dropping<ReregisterSlaveMessage> away = failOverWithoutAgents(cluster);
      CompletableFuture<SlaveRegisteredMessage> registered =
          cluster.messages().future(SlaveRegisteredMessage.class, TO_AGENT);
      cluster.startAgent();
      SlaveID second = registered.get(10, TimeUnit.SECONDS).getSlaveId();
      assertThat(second).isNotEqualTo(first);

      CompletableFuture<SlaveReregisteredMessage> back =
          cluster.messages(0).future(SlaveReregisteredMessage.class, TO_AGENT);
      away.close();
      cluster.advanceUntil(back::isDone);
      cluster.settle();
      assertThat(back.get().getSlaveId()).isEqualTo(first);
      assertThat(ids(cluster.masterState().path("slaves"))).containsExactlyInAnyOrder(first.getValue(),
          second.getValue());
    }
  }

  /**
   * The failover half of ReconciliationTest.PartitionedAgentThenMasterFailover: the agent was marked
   * unreachable before the failover; the new master knows it from the registry and reconciles its task as lost,
   * with the time the old master marked it.
   */
  @Test
  void partitionedAgentThenMasterFailover() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().durableRegistry().build()) {
      RecordingScheduler scheduler = new RecordingScheduler();
      MesosSchedulerDriver driver = cluster.driver(scheduler, checkpointing("partitioned-then-failover"));
      driver.start();
      TaskInfo task = launchLong(driver, scheduler, "t1");
      TaskStatus running = scheduler.awaitStatus(task.getTaskId(), TaskState.TASK_RUNNING);
      SlaveID agent = running.getSlaveId();

      new Partition(cluster); // for the rest of the test
      cluster.advance(UNREACHABLE_AFTER);
      TaskStatus lost = scheduler.awaitStatus(task.getTaskId(), TaskState.TASK_LOST);
      driver.reconcileTasks(List.of(query(task.getTaskId(), agent)));
      TaskStatus before = scheduler.nextStatus();
      assertThat(before.getState()).isEqualTo(TaskState.TASK_LOST);
      assertThat(before.getUnreachableTime()).isEqualTo(lost.getUnreachableTime());

      cluster.restartMaster();
      cluster.advanceUntil(() -> scheduler.reregistrations() > 0);
      assertThat(cluster.masterState().path("unreachable_slaves").asInt()).isEqualTo(1);
      driver.reconcileTasks(List.of(query(task.getTaskId(), agent)));
      TaskStatus after = scheduler.nextStatus();
      assertThat(after.getTaskId()).isEqualTo(task.getTaskId());
      assertThat(after.getState()).isEqualTo(TaskState.TASK_LOST);
      assertThat(after.getReason()).isEqualTo(Reason.REASON_RECONCILIATION);
      assertThat(after.getUnreachableTime()).isEqualTo(lost.getUnreachableTime());
    }
  }
}
