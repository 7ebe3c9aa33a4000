package io.jmesos.it.fault;

import static io.jmesos.it.fault.ReconciliationScenarios.REGISTRATION_BACKOFF;
import static io.jmesos.it.fault.ReconciliationScenarios.UNREACHABLE_AFTER;
import static io.jmesos.it.fault.ReconciliationScenarios.assertNoMoreStatuses;
import static io.jmesos.it.fault.Scenarios.framework;
import static io.jmesos.it.fault.Scenarios.launchLong;
import static io.jmesos.it.fault.Scenarios.placements;
import static io.jmesos.testing.Direction.TO_AGENT;
import static io.jmesos.testing.Direction.TO_MASTER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jmesos.internal.Messages.ReregisterSlaveMessage;
import io.jmesos.internal.Messages.ShutdownMessage;
import io.jmesos.testing.FaultCluster;
import io.jmesos.testing.RecordingScheduler;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.MesosSchedulerDriver;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.Protos.TaskStatus.Reason;
import org.apache.mesos.Protos.TaskStatus.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The operator's MARK_AGENT_GONE on real daemons, as Mesos 1.11's {@code Master::markGone} and its tests
 * ({@code MasterAPITest.MarkRegisteredAgentGone}, {@code TaskUpdatesUponAgentGone},
 * {@code UnreachableAgentMarkedGone}): a gone agent is shut down and never admitted again, its tasks end for
 * their frameworks, and the master's /state and metrics show it as Mesos' do.
 */
@Timeout(60)
class MarkAgentGoneTest {
  private static final String GONE = "Agent has been marked gone";

  /**
   * MasterAPITest.MarkRegisteredAgentGone and TaskUpdatesUponAgentGone: a registered agent with a running task of
   * a partition-aware framework and one of another framework is marked gone. The first task becomes
   * TASK_GONE_BY_OPERATOR (REASON_SLAVE_REMOVED_BY_OPERATOR) and is completed; the second TASK_LOST
   * (REASON_SLAVE_REMOVED) and, as Mesos' {@code __removeSlave} does for frameworks that are not
   * partition-aware, is kept among the unreachable tasks. Both frameworks hear the agent is lost, the agent is
   * told to shut down and stops, the call is idempotent, an unknown agent is 404, and the agent is not counted
   * as removed ({@code master/slave_removals}) nor unreachable.
   */
  @Test
  void markRegisteredAgentGone() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      RecordingScheduler aware = new RecordingScheduler();
      MesosSchedulerDriver awareDriver = cluster.driver(aware, framework("gone-aware", true));
      awareDriver.start();
      TaskStatus awareRunning = runLong(awareDriver, aware, "aware-task");
      RecordingScheduler legacy = new RecordingScheduler();
      MesosSchedulerDriver legacyDriver = cluster.driver(legacy, framework("gone-legacy", false));
      legacyDriver.start();
      TaskStatus legacyRunning = runLong(legacyDriver, legacy, "legacy-task");
      SlaveID agent = awareRunning.getSlaveId();
      CompletableFuture<ShutdownMessage> shutdown = cluster.messages().future(ShutdownMessage.class, TO_AGENT);
      OperatorApi operator = new OperatorApi(cluster);

      assertThat(operator.markAgentGone(agent).statusCode()).isEqualTo(200);

      TaskStatus gone = aware.awaitStatus(awareRunning.getTaskId(), TaskState.TASK_GONE_BY_OPERATOR);
      assertRemoved(gone, agent, Reason.REASON_SLAVE_REMOVED_BY_OPERATOR);
      TaskStatus lost = legacy.awaitStatus(legacyRunning.getTaskId(), TaskState.TASK_LOST);
      assertRemoved(lost, agent, Reason.REASON_SLAVE_REMOVED);
      assertThat(shutdown.get(10, TimeUnit.SECONDS).getMessage()).isEqualTo(GONE);
      cluster.agent(0).terminated().get(10, TimeUnit.SECONDS);
      assertNoMoreStatuses(cluster, awareDriver, aware);
      assertNoMoreStatuses(cluster, legacyDriver, legacy);
      assertThat(aware.lostAgents()).containsExactly(agent);
      assertThat(legacy.lostAgents()).containsExactly(agent);

      assertThat(operator.markAgentGone(agent).statusCode()).isEqualTo(200);
      SlaveID stranger = SlaveID.newBuilder().setValue("no-such-agent").build();
      HttpResponse<String> unknown = operator.markAgentGone(stranger);
      assertThat(unknown.statusCode()).isEqualTo(404);
      assertThat(unknown.body()).isEqualTo("Agent 'no-such-agent' not found");

      cluster.settle();
      JsonNode state = cluster.masterState();
      assertThat(state.path("slaves")).isEmpty();
      assertThat(state.path("activated_slaves").asInt()).isZero();
      assertThat(state.path("deactivated_slaves").asInt()).isZero();
      assertThat(state.path("unreachable_slaves").asInt()).isZero();
      assertThat(placements(state, "aware-task")).containsExactly("frameworks.completed_tasks:TASK_GONE_BY_OPERATOR");
      assertThat(placements(state, "legacy-task")).containsExactly("frameworks.unreachable_tasks:TASK_LOST");
      assertThat(cluster.metric("master/tasks_gone_by_operator")).isEqualTo(1.0);
      assertThat(cluster.metric("master/tasks_lost")).isEqualTo(1.0);
      assertThat(cluster.metric("master/tasks_running")).isZero();
      assertThat(cluster.metric("master/tasks_unreachable")).isZero();
      assertThat(cluster.metric("master/task_gone_by_operator/source_master/reason_slave_removed_by_operator"))
          .isEqualTo(1.0);
      assertThat(cluster.metric("master/task_lost/source_master/reason_slave_removed")).isEqualTo(1.0);
      assertThat(cluster.metric("master/slave_removals")).isZero();
      assertThat(cluster.metric("master/slaves_active")).isZero();
      assertThat(cluster.metric("master/slaves_unreachable")).isZero();
      assertThat(cluster.metric("master/cpus_total")).isZero();
    }
  }

  /**
   * MasterAPITest.MarkRegisteredAgentGone, its second half: a gone agent that tries to re-register is refused
   * with a ShutdownMessage. Here the first ShutdownMessage is lost, so the agent, whose connection the master
   * closed, comes back on its own; the master tells it again to shut down, and it stops.
   */
  @Test
  void goneAgentCannotReregister() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      SlaveID agent = cluster.agent(0).slaveId().get(10, TimeUnit.SECONDS);
      CompletableFuture<ShutdownMessage> lostShutdown =
          cluster.messages().dropNext(ShutdownMessage.class, TO_AGENT);

      assertThat(new OperatorApi(cluster).markAgentGone(agent).statusCode()).isEqualTo(200);

      assertThat(lostShutdown.get(10, TimeUnit.SECONDS).getMessage()).isEqualTo(GONE);
      CompletableFuture<ReregisterSlaveMessage> attempt =
          cluster.messages().future(ReregisterSlaveMessage.class, TO_MASTER);
      CompletableFuture<ShutdownMessage> refused = cluster.messages().future(ShutdownMessage.class, TO_AGENT);
      // The agent arms its backoff when it sees the connection close: advance until it has tried again.
      for (int i = 0; i < 20 && !attempt.isDone(); i++) {
        cluster.advance(REGISTRATION_BACKOFF);
      }
      assertThat(attempt.get(10, TimeUnit.SECONDS).getSlave().getId()).isEqualTo(agent);
      assertThat(refused.get(10, TimeUnit.SECONDS).getMessage()).isEqualTo(GONE);
      cluster.agent(0).terminated().get(10, TimeUnit.SECONDS);
      cluster.settle();
      assertThat(cluster.masterState().path("slaves")).isEmpty();
      assertThat(cluster.metric("master/slave_reregistrations")).isZero();
      assertThat(cluster.metric("master/slaves_active")).isZero();
    }
  }

  /**
   * MasterAPITest.UnreachableAgentMarkedGone, for both kinds of framework: the unreachable tasks of an
   * unreachable agent marked gone are completed, TASK_GONE_BY_OPERATOR for the partition-aware framework and
   * TASK_LOST again for the other. Their terminal states were counted when the agent became unreachable (the
   * unreachable task had none), so no task counter moves; the agent is no longer unreachable, and when it comes
   * back it is told to shut down.
   */
  @Test
  void unreachableAgentMarkedGone() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      RecordingScheduler aware = new RecordingScheduler();
      MesosSchedulerDriver awareDriver = cluster.driver(aware, framework("unreachable-gone-aware", true));
      awareDriver.start();
      TaskStatus awareRunning = runLong(awareDriver, aware, "aware-task");
      RecordingScheduler legacy = new RecordingScheduler();
      MesosSchedulerDriver legacyDriver = cluster.driver(legacy, framework("unreachable-gone-legacy", false));
      legacyDriver.start();
      TaskStatus legacyRunning = runLong(legacyDriver, legacy, "legacy-task");
      SlaveID agent = awareRunning.getSlaveId();
      Partition partition = new Partition(cluster);
      cluster.advance(UNREACHABLE_AFTER);
      aware.awaitStatus(awareRunning.getTaskId(), TaskState.TASK_UNREACHABLE);
      legacy.awaitStatus(legacyRunning.getTaskId(), TaskState.TASK_LOST);
      JsonNode state = cluster.masterState();
      assertThat(placements(state, "aware-task")).containsExactly("frameworks.unreachable_tasks:TASK_UNREACHABLE");
      assertThat(placements(state, "legacy-task")).containsExactly("frameworks.unreachable_tasks:TASK_LOST");

      assertThat(new OperatorApi(cluster).markAgentGone(agent).statusCode()).isEqualTo(200);

      TaskStatus gone = aware.nextStatus();
      assertThat(gone.getTaskId()).isEqualTo(awareRunning.getTaskId());
      assertThat(gone.getState()).isEqualTo(TaskState.TASK_GONE_BY_OPERATOR);
      assertRemoved(gone, agent, Reason.REASON_SLAVE_REMOVED_BY_OPERATOR);
      TaskStatus lostAgain = legacy.nextStatus();
      assertThat(lostAgain.getTaskId()).isEqualTo(legacyRunning.getTaskId());
      assertThat(lostAgain.getState()).isEqualTo(TaskState.TASK_LOST);
      assertRemoved(lostAgain, agent, Reason.REASON_SLAVE_REMOVED);
      assertNoMoreStatuses(cluster, awareDriver, aware);
      assertNoMoreStatuses(cluster, legacyDriver, legacy);
      state = cluster.masterState();
      assertThat(state.path("unreachable_slaves").asInt()).isZero();
      assertThat(placements(state, "aware-task")).containsExactly("frameworks.completed_tasks:TASK_GONE_BY_OPERATOR");
      assertThat(placements(state, "legacy-task")).containsExactly("frameworks.completed_tasks:TASK_LOST");
      assertThat(cluster.metric("master/slaves_unreachable")).isZero();
      assertThat(cluster.metric("master/tasks_unreachable")).isZero();
      assertThat(cluster.metric("master/tasks_gone_by_operator")).isZero();
      assertThat(cluster.metric("master/tasks_lost")).isEqualTo(1.0);

      CompletableFuture<ShutdownMessage> refused = cluster.messages().future(ShutdownMessage.class, TO_AGENT);
      partition.close();
      for (int i = 0; i < 60 && !refused.isDone(); i++) {
        cluster.advance(Duration.ofSeconds(1)); // the agent's next registration attempt, within its backoff
      }
      assertThat(refused.get(1, TimeUnit.SECONDS).getMessage()).isEqualTo(GONE);
      cluster.agent(0).terminated().get(10, TimeUnit.SECONDS);
      assertThat(cluster.metric("master/slave_reregistrations")).isZero();
    }
  }

  private static TaskStatus runLong(MesosSchedulerDriver driver, RecordingScheduler scheduler, String id)
      throws InterruptedException {
    TaskInfo task = launchLong(driver, scheduler, id);
    return scheduler.awaitStatus(task.getTaskId(), TaskState.TASK_RUNNING);
  }

  /** An update of the master's about a task of the gone agent (no unreachable time: the agent is gone). */
  private static void assertRemoved(TaskStatus update, SlaveID agent, Reason reason) {
    assertThat(update.getReason()).isEqualTo(reason);
    assertThat(update.getSource()).isEqualTo(Source.SOURCE_MASTER);
    assertThat(update.getMessage()).isEqualTo(GONE);
    assertThat(update.getSlaveId()).isEqualTo(agent);
    assertThat(update.hasUnreachableTime()).isFalse();
    assertThat(update.hasUuid()).isFalse();
  }
}
