package io.jmesos.it.fault;

import static io.jmesos.it.fault.ReconciliationScenarios.UNREACHABLE_AFTER;
import static io.jmesos.it.fault.ReconciliationScenarios.assertNoMoreStatuses;
import static io.jmesos.it.fault.ReconciliationScenarios.query;
import static io.jmesos.it.fault.ReconciliationScenarios.taskId;
import static io.jmesos.it.fault.Scenarios.framework;
import static io.jmesos.it.fault.Scenarios.launchLong;
import static io.jmesos.it.fault.Scenarios.placements;
import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.testing.FaultCluster;
import io.jmesos.testing.RecordingScheduler;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.MesosSchedulerDriver;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.Protos.TaskStatus.Reason;
import org.apache.mesos.Protos.TaskStatus.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Mesos' {@code ReconciliationTest} on real daemons: explicit and implicit task reconciliation as the master
 * answers it ({@code Master::reconcile}): the latest state of a task it holds, or, for one it does not, what it
 * knows of the agent named. Every answer comes from the master (SOURCE_MASTER), with REASON_RECONCILIATION and
 * no uuid (nothing to acknowledge). The master-failover scenarios (RecoveredAgent,
 * RecoveredAgentReregistrationInProgress, ReconcileStatusUpdateTaskState, the failover half of
 * PartitionedAgentThenMasterFailover) need a persisted registry and are not here.
 */
@Timeout(60)
class ReconciliationTest {

  /**
   * ReconciliationTest.TaskStateMismatch: the framework believes its running task is staging; reconciliation
   * tells it the latest state.
   */
  @Test
  void taskStateMismatch() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      RecordingScheduler scheduler = new RecordingScheduler();
      MesosSchedulerDriver driver = cluster.driver(scheduler, framework("state-mismatch", false));
      driver.start();
      TaskStatus running = runLong(driver, scheduler, "t1");
      assertThat(running.hasSlaveId()).isTrue();

      driver.reconcileTasks(List.of(query(running.getTaskId(), running.getSlaveId())));

      TaskStatus reconciled = scheduler.nextStatus();
      assertLatest(reconciled, running, TaskState.TASK_RUNNING);
    }
  }

  /**
   * ReconciliationTest.TaskStateMatch: a framework that already knows the latest state is told it again (since
   * Mesos 0.22 reconciliation always answers).
   */
  @Test
  void taskStateMatch() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      RecordingScheduler scheduler = new RecordingScheduler();
      MesosSchedulerDriver driver = cluster.driver(scheduler, framework("state-match", false));
      driver.start();
      TaskStatus running = runLong(driver, scheduler, "t1");

      driver.reconcileTasks(List.of(running.toBuilder().clearUuid().build()));

      TaskStatus reconciled = scheduler.nextStatus();
      assertLatest(reconciled, running, TaskState.TASK_RUNNING);
      assertNoMoreStatuses(cluster, driver, scheduler);
    }
  }

  /**
   * ReconciliationTest.UnknownSlave: a task on an agent the master never heard of is TASK_UNKNOWN to a
   * partition-aware framework, without an unreachable time.
   */
  @Test
  void unknownSlave() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().agents(0).build()) {
      RecordingScheduler scheduler = new RecordingScheduler();
      MesosSchedulerDriver driver = cluster.driver(scheduler, framework("unknown-slave", true));
      driver.start();
      scheduler.registered().get(10, TimeUnit.SECONDS);
      TaskID task = taskId(UUID.randomUUID().toString());
      SlaveID agent = SlaveID.newBuilder().setValue(UUID.randomUUID().toString()).build();

      driver.reconcileTasks(List.of(query(task, agent)));

      TaskStatus update = scheduler.nextStatus();
      assertReconciled(update, task, TaskState.TASK_UNKNOWN, "Reconciliation: Task is unknown");
      assertThat(update.getSlaveId()).isEqualTo(agent);
      assertThat(update.hasUnreachableTime()).isFalse();
    }
  }

  /**
   * ReconciliationTest.UnknownTask: a task the master does not know on a registered agent is TASK_LOST to a
   * framework that is not partition-aware.
   */
  @Test
  void unknownTask() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      SlaveID agent = cluster.agent(0).slaveId().get(10, TimeUnit.SECONDS);
      RecordingScheduler scheduler = new RecordingScheduler();
      MesosSchedulerDriver driver = cluster.driver(scheduler, framework("unknown-task", false));
      driver.start();
      scheduler.registered().get(10, TimeUnit.SECONDS);
      TaskID task = taskId(UUID.randomUUID().toString());

      driver.reconcileTasks(List.of(query(task, agent)));

      TaskStatus update = scheduler.nextStatus();
      assertReconciled(update, task, TaskState.TASK_LOST, "Reconciliation: Task is unknown to the agent");
      assertThat(update.getSlaveId()).isEqualTo(agent);
      assertThat(update.hasUnreachableTime()).isFalse();
    }
  }

  /**
   * ReconciliationTest.UnknownTaskPartitionAware: the same task is TASK_GONE to a partition-aware framework.
   */
  @Test
  void unknownTaskPartitionAware() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      SlaveID agent = cluster.agent(0).slaveId().get(10, TimeUnit.SECONDS);
      RecordingScheduler scheduler = new RecordingScheduler();
      MesosSchedulerDriver driver = cluster.driver(scheduler, framework("unknown-task-aware", true));
      driver.start();
      scheduler.registered().get(10, TimeUnit.SECONDS);
      TaskID task = taskId(UUID.randomUUID().toString());

      driver.reconcileTasks(List.of(query(task, agent)));

      TaskStatus update = scheduler.nextStatus();
      assertReconciled(update, task, TaskState.TASK_GONE, "Reconciliation: Task is unknown to the agent");
      assertThat(update.getSlaveId()).isEqualTo(agent);
      assertThat(update.hasUnreachableTime()).isFalse();
    }
  }

  /**
   * ReconciliationTest.UnknownKillTask: killing a task the master does not know reconciles it instead; with no
   * agent named and no agent to wait for, the answer is TASK_LOST.
   */
  @Test
  void unknownKillTask() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().agents(0).build()) {
      RecordingScheduler scheduler = new RecordingScheduler();
      MesosSchedulerDriver driver = cluster.driver(scheduler, framework("unknown-kill", false));
      driver.start();
      scheduler.registered().get(10, TimeUnit.SECONDS);
      TaskID task = taskId(UUID.randomUUID().toString());

      driver.killTask(task);

      TaskStatus update = scheduler.nextStatus();
      assertReconciled(update, task, TaskState.TASK_LOST, "Reconciliation: Task is unknown");
      assertThat(update.hasSlaveId()).isFalse();
      assertThat(update.hasUnreachableTime()).isFalse();
    }
  }

  /** ReconciliationTest.ImplicitNonTerminalTask: implicit reconciliation returns the running task. */
  @Test
  void implicitNonTerminalTask() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      RecordingScheduler scheduler = new RecordingScheduler();
      MesosSchedulerDriver driver = cluster.driver(scheduler, framework("implicit-running", false));
      driver.start();
      TaskStatus running = runLong(driver, scheduler, "t1");

      driver.reconcileTasks(List.of());

      TaskStatus reconciled = scheduler.nextStatus();
      assertLatest(reconciled, running, TaskState.TASK_RUNNING);
      assertNoMoreStatuses(cluster, driver, scheduler);
    }
  }

  /**
   * ReconciliationTest.ImplicitTerminalTask: a task that finished and whose update was acknowledged is completed;
   * implicit reconciliation says nothing of it.
   */
  @Test
  void implicitTerminalTask() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      RecordingScheduler scheduler = new RecordingScheduler();
      MesosSchedulerDriver driver = cluster.driver(scheduler, framework("implicit-finished", false));
      driver.start();
      Offer offer = scheduler.nextOffers().get(0);
      TaskInfo task = Scenarios.task(offer, "t1", "true");
      driver.launchTasks(List.of(offer.getId()), List.of(task));
      TaskStatus finished = scheduler.awaitStatus(task.getTaskId(), TaskState.TASK_FINISHED);
      assertThat(finished.hasSlaveId()).isTrue();
      cluster.settle();
      assertThat(placements(cluster.masterState(), "t1")).containsExactly("frameworks.completed_tasks:TASK_FINISHED");

      driver.reconcileTasks(List.of());

      assertNoMoreStatuses(cluster, driver, scheduler);
    }
  }

  /**
   * ReconciliationTest.UnacknowledgedTerminalTask (MESOS-1389): a task terminal at the master whose terminal
   * update the framework has not acknowledged is still the master's, and implicit reconciliation returns it.
   */
  @Test
  void unacknowledgedTerminalTask() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      RecordingScheduler scheduler = new RecordingScheduler();
      MesosSchedulerDriver driver = cluster.driver(scheduler, framework("unacknowledged", false), false);
      driver.start();
      Offer offer = scheduler.nextOffers().get(0);
      TaskInfo task = Scenarios.task(offer, "t1", "true");
      driver.launchTasks(List.of(offer.getId()), List.of(task));
      driver.acknowledgeStatusUpdate(scheduler.awaitStatus(task.getTaskId(), TaskState.TASK_STARTING));
      driver.acknowledgeStatusUpdate(scheduler.awaitStatus(task.getTaskId(), TaskState.TASK_RUNNING));
      TaskStatus finished = scheduler.awaitStatus(task.getTaskId(), TaskState.TASK_FINISHED); // never acknowledged
      assertThat(finished.hasUuid()).isTrue();
      cluster.settle();
      assertThat(placements(cluster.masterState(), "t1")).containsExactly("frameworks.tasks:TASK_FINISHED");

      driver.reconcileTasks(List.of());

      TaskStatus reconciled = scheduler.nextStatus();
      assertLatest(reconciled, finished, TaskState.TASK_FINISHED);
      assertNoMoreStatuses(cluster, driver, scheduler);
      assertThat(placements(cluster.masterState(), "t1")).containsExactly("frameworks.tasks:TASK_FINISHED");
    }
  }

  /**
   * ReconciliationTest.PartitionedAgentThenMasterFailover up to the failover, for a partition-aware framework
   * too: a task on an unreachable agent, known or not, is reconciled explicitly as TASK_UNREACHABLE (TASK_LOST
   * for a framework that is not partition-aware) with the time the agent was marked unreachable. Implicit
   * reconciliation covers only the tasks the master holds live (Mesos' {@code framework->tasks}) and says
   * nothing of it.
   */
  @Test
  void unreachableAgent() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      RecordingScheduler aware = new RecordingScheduler();
      MesosSchedulerDriver awareDriver = cluster.driver(aware, framework("unreachable-aware", true));
      awareDriver.start();
      TaskStatus awareRunning = runLong(awareDriver, aware, "aware-task");
      RecordingScheduler legacy = new RecordingScheduler();
      MesosSchedulerDriver legacyDriver = cluster.driver(legacy, framework("unreachable-legacy", false));
      legacyDriver.start();
      TaskStatus legacyRunning = runLong(legacyDriver, legacy, "legacy-task");
      SlaveID agent = awareRunning.getSlaveId();

      new Partition(cluster); // for the rest of the test
      cluster.advance(UNREACHABLE_AFTER);

      TaskStatus unreachable = aware.awaitStatus(awareRunning.getTaskId(), TaskState.TASK_UNREACHABLE);
      TaskStatus lost = legacy.awaitStatus(legacyRunning.getTaskId(), TaskState.TASK_LOST);
      assertThat(unreachable.getReason()).isEqualTo(Reason.REASON_SLAVE_REMOVED);
      assertThat(lost.getReason()).isEqualTo(Reason.REASON_SLAVE_REMOVED);
      assertThat(unreachable.hasUnreachableTime()).isTrue();
      assertThat(lost.getUnreachableTime()).isEqualTo(unreachable.getUnreachableTime());
      assertThat(cluster.masterState().path("unreachable_slaves").asInt()).isEqualTo(1);

      TaskID unknown = taskId(UUID.randomUUID().toString());
      awareDriver.reconcileTasks(List.of(query(awareRunning.getTaskId(), agent), query(unknown, agent)));
      legacyDriver.reconcileTasks(List.of(query(legacyRunning.getTaskId(), agent), query(unknown, agent)));

      for (TaskID task : List.of(awareRunning.getTaskId(), unknown)) {
        TaskStatus reconciled = aware.nextStatus();
        assertReconciled(reconciled, task, TaskState.TASK_UNREACHABLE, "Reconciliation: Task is unreachable");
        assertThat(reconciled.getSlaveId()).isEqualTo(agent);
        assertThat(reconciled.getUnreachableTime()).isEqualTo(unreachable.getUnreachableTime());
      }
      for (TaskID task : List.of(legacyRunning.getTaskId(), unknown)) {
        TaskStatus reconciled = legacy.nextStatus();
        assertReconciled(reconciled, task, TaskState.TASK_LOST, "Reconciliation: Task is unreachable");
        assertThat(reconciled.getSlaveId()).isEqualTo(agent);
        assertThat(reconciled.getUnreachableTime()).isEqualTo(unreachable.getUnreachableTime());
      }

      awareDriver.reconcileTasks(List.of());
      legacyDriver.reconcileTasks(List.of());
      assertNoMoreStatuses(cluster, awareDriver, aware);
      assertNoMoreStatuses(cluster, legacyDriver, legacy);
    }
  }

  /**
   * The gone agent's answers of {@code Master::reconcile} (MasterAPITest.TaskUpdatesUponAgentGone reconciles one
   * of them), for both kinds of framework: after MARK_AGENT_GONE a task of the agent, known or not, is
   * reconciled explicitly as TASK_GONE_BY_OPERATOR (TASK_LOST for a framework that is not partition-aware), and
   * implicit reconciliation says nothing of it.
   */
  @Test
  void goneAgent() throws Exception {
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

      assertThat(new OperatorApi(cluster).markAgentGone(agent).statusCode()).isEqualTo(200);

      aware.awaitStatus(awareRunning.getTaskId(), TaskState.TASK_GONE_BY_OPERATOR);
      legacy.awaitStatus(legacyRunning.getTaskId(), TaskState.TASK_LOST);
      TaskID unknown = taskId("dummy-task");
      awareDriver.reconcileTasks(List.of(query(awareRunning.getTaskId(), agent), query(unknown, agent)));
      legacyDriver.reconcileTasks(List.of(query(legacyRunning.getTaskId(), agent), query(unknown, agent)));

      for (TaskID task : List.of(awareRunning.getTaskId(), unknown)) {
        TaskStatus reconciled = aware.nextStatus();
        assertReconciled(reconciled, task, TaskState.TASK_GONE_BY_OPERATOR, "Reconciliation: Task is gone");
        assertThat(reconciled.getSlaveId()).isEqualTo(agent);
        assertThat(reconciled.hasUnreachableTime()).isFalse();
      }
      for (TaskID task : List.of(legacyRunning.getTaskId(), unknown)) {
        TaskStatus reconciled = legacy.nextStatus();
        assertReconciled(reconciled, task, TaskState.TASK_LOST, "Reconciliation: Task is gone");
        assertThat(reconciled.getSlaveId()).isEqualTo(agent);
        assertThat(reconciled.hasUnreachableTime()).isFalse();
      }

      awareDriver.reconcileTasks(List.of());
      legacyDriver.reconcileTasks(List.of());
      assertNoMoreStatuses(cluster, awareDriver, aware);
      assertNoMoreStatuses(cluster, legacyDriver, legacy);
    }
  }

  private static TaskStatus runLong(MesosSchedulerDriver driver, RecordingScheduler scheduler, String id)
      throws InterruptedException {
    TaskInfo task = launchLong(driver, scheduler, id);
    return scheduler.awaitStatus(task.getTaskId(), TaskState.TASK_RUNNING);
  }

  /** A reconciliation answer for a task the master holds: its latest state, on its agent. */
  private static void assertLatest(TaskStatus reconciled, TaskStatus last, TaskState state) {
    assertReconciled(reconciled, last.getTaskId(), state, "Reconciliation: Latest task state");
    assertThat(reconciled.getSlaveId()).isEqualTo(last.getSlaveId());
  }

  private static void assertReconciled(TaskStatus update, TaskID task, TaskState state, String message) {
    assertThat(update.getTaskId()).isEqualTo(task);
    assertThat(update.getState()).isEqualTo(state);
    assertThat(update.getReason()).isEqualTo(Reason.REASON_RECONCILIATION);
    assertThat(update.getSource()).isEqualTo(Source.SOURCE_MASTER);
    assertThat(update.getMessage()).isEqualTo(message);
    assertThat(update.hasUuid()).as("a reconciliation answer needs no acknowledgement").isFalse();
  }
}
