package io.jmesos.it.fault;

import static io.jmesos.it.fault.ReconciliationScenarios.assertNoMoreStatuses;
import static io.jmesos.it.fault.ReconciliationScenarios.checkpointing;
import static io.jmesos.it.fault.ReconciliationScenarios.reregister;
import static io.jmesos.it.fault.Scenarios.placements;
import static io.jmesos.testing.Direction.TO_AGENT;
import static io.jmesos.testing.Direction.TO_MASTER;
import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.internal.Messages.ReconcileTasksMessage;
import io.jmesos.internal.Messages.ReregisterSlaveMessage;
import io.jmesos.internal.Messages.RunTaskMessage;
import io.jmesos.internal.Messages.SlaveReregisteredMessage;
import io.jmesos.internal.Messages.StatusUpdateMessage;
import io.jmesos.testing.FaultCluster;
import io.jmesos.testing.RecordingScheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.MesosSchedulerDriver;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.Task;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.Protos.TaskStatus.Reason;
import org.apache.mesos.Protos.TaskStatus.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mesos' {@code MasterSlaveReconciliationTest} on real daemons: when an agent re-registers with a master that
 * knows it, the master sends back the tasks it holds on the agent that the agent did not report
 * ({@code Master::reconcileKnownSlave}), and the agent answers each one it does not know with a terminal update
 * of its own, through its status update manager ({@code Slave::reregistered}). The agent re-registers because
 * its connection breaks (Mesos' tests use a spurious master detection instead); the frameworks checkpoint, so
 * that the master keeps their tasks while the agent is disconnected (see
 * {@link ReconciliationScenarios#checkpointing}).
 */
@Timeout(60)
class MasterSlaveReconciliationTest {

  @TempDir
  Path dir;

  /**
   * MasterSlaveReconciliationTest.ReconcileLostTask: the RunTaskMessage is lost; when the agent re-registers the
   * master asks it about the staging task, and the agent answers TASK_LOST (the framework is not
   * partition-aware), which reaches the framework as the agent's, and completes the task at the master.
   */
  @Test
  void reconcileLostTask() throws Exception {
    unknownToTheAgent(false, TaskState.TASK_LOST);
  }

  /**
   * MasterSlaveReconciliationTest.ReconcileDroppedTask: as ReconcileLostTask for a partition-aware framework,
   * which hears TASK_DROPPED.
   */
  @Test
  void reconcileDroppedTask() throws Exception {
    unknownToTheAgent(true, TaskState.TASK_DROPPED);
  }

  private void unknownToTheAgent(boolean partitionAware, TaskState expected) throws Exception {
    TaskState other = partitionAware ? TaskState.TASK_LOST : TaskState.TASK_DROPPED;
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      RecordingScheduler scheduler = new RecordingScheduler();
      MesosSchedulerDriver driver =
          cluster.driver(scheduler, checkpointing("run-task-lost-" + partitionAware, partitionAware));
      driver.start();
      Offer offer = scheduler.nextOffers().get(0);
      TaskInfo task = Scenarios.task(offer, "1", "sleep 1000");
      CompletableFuture<RunTaskMessage> lostLaunch = cluster.messages().dropNext(RunTaskMessage.class, TO_AGENT);
      driver.launchTasks(List.of(offer.getId()), List.of(task));
      assertThat(lostLaunch.get(10, TimeUnit.SECONDS).getTask().getTaskId()).isEqualTo(task.getTaskId());
      cluster.settle();
      assertThat(placements(cluster.masterState(), "1")).containsExactly("frameworks.tasks:TASK_STAGING");
      CompletableFuture<ReregisterSlaveMessage> report =
          cluster.messages().future(ReregisterSlaveMessage.class, TO_MASTER);
      CompletableFuture<StatusUpdateMessage> answer = cluster.messages().future(StatusUpdateMessage.class, TO_MASTER);

      SlaveReregisteredMessage reregistered = reregister(cluster, 0);

      assertThat(report.get(1, TimeUnit.SECONDS).getTasksList()).isEmpty();
      assertThat(reregistered.getReconciliationsList()).hasSize(1);
      ReconcileTasksMessage reconcile = reregistered.getReconciliations(0);
      assertThat(reconcile.getFrameworkId()).isEqualTo(scheduler.registered().get());
      assertThat(reconcile.getFramework().getCapabilitiesCount()).isEqualTo(partitionAware ? 1 : 0);
      assertThat(reconcile.getStatusesList()).hasSize(1);
      TaskStatus asked = reconcile.getStatuses(0);
      assertThat(asked.getTaskId()).isEqualTo(task.getTaskId());
      assertThat(asked.getState()).isEqualTo(TaskState.TASK_STAGING);
      assertThat(asked.getSource()).isEqualTo(Source.SOURCE_MASTER);
      assertThat(asked.getReason()).isEqualTo(Reason.REASON_RECONCILIATION);
      assertThat(asked.getMessage()).isEqualTo("Reconciliation request");

      assertThat(answer.get(10, TimeUnit.SECONDS).getUpdate().getStatus().getState()).isEqualTo(expected);
      TaskStatus status = scheduler.nextStatus();
      assertThat(status.getTaskId()).isEqualTo(task.getTaskId());
      assertThat(status.getState()).isEqualTo(expected);
      assertThat(status.getSource()).isEqualTo(Source.SOURCE_SLAVE);
      assertThat(status.getReason()).isEqualTo(Reason.REASON_RECONCILIATION);
      assertThat(status.getMessage()).isEqualTo("Reconciliation: task unknown to the agent");
      assertThat(status.getSlaveId()).isEqualTo(offer.getSlaveId());
      assertThat(status.hasUuid()).isTrue();
      assertNoMoreStatuses(cluster, driver, scheduler);

      assertThat(cluster.metric(counter(expected))).isEqualTo(1.0);
      assertThat(cluster.metric(counter(other))).isEqualTo(0.0);
      assertThat(cluster.metric("master/" + expected.name().toLowerCase(Locale.ROOT)
          + "/source_slave/reason_reconciliation")).isEqualTo(1.0);
      assertThat(cluster.metric("master/tasks_staging")).isEqualTo(0.0);
      assertThat(cluster.metric("master/cpus_used")).isEqualTo(0.0);
      // As Mesos: the re-registration of an agent the master still has is not a re-admission.
      assertThat(cluster.metric("master/slave_reregistrations")).isZero();
      assertThat(placements(cluster.masterState(), "1")).containsExactly("frameworks.completed_tasks:" + expected);
      assertThat(Scenarios.agentTaskState(cluster, 0, "1")).isNull();
    }
  }

  /** The master's counter of tasks that reached {@code state}: {@code master/tasks_lost} for TASK_LOST. */
  private static String counter(TaskState state) {
    return "master/tasks_" + state.name().substring("TASK_".length()).toLowerCase(Locale.ROOT);
  }

  /**
   * MasterSlaveReconciliationTest.SlaveReregisterTerminalTask: the task ends on the agent and its terminal update
   * is lost on the way to the master. The re-registering agent reports the task, so the master asks nothing
   * about it, sends no TASK_LOST, and the framework hears the terminal update the agent sends again once
   * re-registered.
   */
  @Test
  void slaveReregisterTerminalTask() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      RecordingScheduler scheduler = new RecordingScheduler();
      MesosSchedulerDriver driver = cluster.driver(scheduler, checkpointing("terminal-task", false));
      driver.start();
      Offer offer = scheduler.nextOffers().get(0);
      Scenarios.Controlled controlled = new Scenarios.Controlled(offer, "1", dir);
      driver.launchTasks(List.of(offer.getId()), List.of(controlled.task));
      scheduler.awaitStatus(controlled.task.getTaskId(), TaskState.TASK_RUNNING);
      cluster.settle();
      CompletableFuture<StatusUpdateMessage> lost = cluster.messages().dropNext(StatusUpdateMessage.class, TO_MASTER);
      controlled.finish();
      for (int i = 0; i < 50 && !lost.isDone(); i++) {
        cluster.advance(Duration.ofMillis(100)); // the task polls its file in real time; no retry within 5 s
      }
      assertThat(lost.get(1, TimeUnit.SECONDS).getUpdate().getStatus().getState())
          .isEqualTo(TaskState.TASK_FINISHED);
      cluster.settle();
      assertThat(placements(cluster.masterState(), "1")).containsExactly("frameworks.tasks:TASK_RUNNING");
      CompletableFuture<ReregisterSlaveMessage> report =
          cluster.messages().future(ReregisterSlaveMessage.class, TO_MASTER);

      SlaveReregisteredMessage reregistered = reregister(cluster, 0);

      List<Task> reported = report.get(1, TimeUnit.SECONDS).getTasksList();
      assertThat(reported).extracting(Task::getState).containsExactly(TaskState.TASK_FINISHED);
      assertThat(reregistered.getReconciliationsList()).isEmpty();
      TaskStatus finished = scheduler.nextStatus();
      assertThat(finished.getTaskId()).isEqualTo(controlled.task.getTaskId());
      assertThat(finished.getState()).isEqualTo(TaskState.TASK_FINISHED);
      assertThat(finished.getSource()).isEqualTo(Source.SOURCE_EXECUTOR);
      assertNoMoreStatuses(cluster, driver, scheduler);
      assertThat(cluster.metric("master/tasks_finished")).isEqualTo(1.0);
      assertThat(cluster.metric("master/tasks_lost")).isEqualTo(0.0);
      assertThat(placements(cluster.masterState(), "1")).containsExactly("frameworks.completed_tasks:TASK_FINISHED");
    }
  }
}
