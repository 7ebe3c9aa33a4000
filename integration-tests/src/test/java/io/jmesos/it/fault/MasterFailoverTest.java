package io.jmesos.it.fault;

import static io.jmesos.it.fault.Scenarios.agentTaskState;
import static io.jmesos.it.fault.Scenarios.framework;
import static io.jmesos.it.fault.Scenarios.launchLong;
import static io.jmesos.it.fault.Scenarios.placements;
import static io.jmesos.testing.Direction.TO_AGENT;
import static io.jmesos.testing.Direction.TO_MASTER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jmesos.internal.Messages.ReregisterSlaveMessage;
import io.jmesos.internal.Messages.SlaveReregisteredMessage;
import io.jmesos.testing.FaultCluster;
import io.jmesos.testing.Dropping;
import io.jmesos.testing.RecordingScheduler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.MesosSchedulerDriver;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A master failover while the registry lives in memory (`--registry=in_memory`): the new master knows nothing and
 * rebuilds its view from the agents that re-register and the frameworks that re-subscribe, in either order, as
 * Mesos' master does with an empty registry. Tasks keep running throughout. (With a persisted registry the agents
 * are known as recovered first: the high-availability work.)
 */
@Timeout(60)
class MasterFailoverTest {

  private static FrameworkInfo failingOver(String name) {
    return framework(name, false).toBuilder().setFailoverTimeout(3600).setCheckpoint(true).build();
  }

  /**
   * Advances the clock until the scheduler has received a status of {@code state} (and {@code reason}, if not
   * null) for the task: updates whose acknowledgement was lost in the failover are retried by the agent first.
   */
  private static TaskStatus awaitStatus(FaultCluster cluster, RecordingScheduler scheduler, TaskInfo task,
      TaskState state, TaskStatus.Reason reason) {
    java.util.function.Supplier<java.util.Optional<TaskStatus>> found = () -> scheduler.statuses(task.getTaskId())
        .stream().filter(s -> s.getState() == state && (reason == null || s.getReason() == reason)).findFirst();
    cluster.advanceUntil(() -> found.get().isPresent());
    return found.get().get();
  }

  private static JsonNode onlyFramework(FaultCluster cluster) {
    JsonNode frameworks = cluster.masterState().path("frameworks");
    assertThat(frameworks).hasSize(1);
    return frameworks.get(0);
  }

  /**
   * Mesos' MasterTest.FailoverAgentReregisterFirst, in-memory registry form: the agent re-registers with the new
   * master before the scheduler fails over; the framework is known from the agent's report (recovered, inactive,
   * with its task) until the scheduler subscribes again with its id; then it is active, keeps its task, and
   * reconciliation and a kill work.
   */
  @Test
  void agentReregistersBeforeTheSchedulerFailsOver() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      RecordingScheduler scheduler = new RecordingScheduler();
      FrameworkInfo info = failingOver("agent-first");
      MesosSchedulerDriver driver = cluster.driver(scheduler, info);
      driver.start();
      FrameworkID id = scheduler.registered().get(10, TimeUnit.SECONDS);
      TaskInfo task = launchLong(driver, scheduler, "t1");
      scheduler.awaitStatus(task.getTaskId(), TaskState.TASK_RUNNING);
      driver.stop(true);
      cluster.settle();

      CompletableFuture<SlaveReregisteredMessage> back =
          cluster.messages().future(SlaveReregisteredMessage.class, TO_AGENT);
      cluster.restartMaster();
      cluster.advanceUntil(back::isDone);
      cluster.settle();

      JsonNode recovered = onlyFramework(cluster);
      assertThat(recovered.path("id").asText()).isEqualTo(id.getValue());
      assertThat(recovered.path("recovered").asBoolean()).isTrue();
      assertThat(recovered.path("active").asBoolean()).isFalse();
      assertThat(placements(cluster.masterState(), "t1")).containsExactly("frameworks.tasks:TASK_RUNNING");

      RecordingScheduler next = new RecordingScheduler();
      MesosSchedulerDriver again = cluster.driver(next, info.toBuilder().setId(id).build());
      again.start();
      assertThat(next.registered().get(10, TimeUnit.SECONDS)).isEqualTo(id);
      cluster.settle();
      JsonNode active = onlyFramework(cluster);
      assertThat(active.path("recovered").asBoolean()).isFalse();
      assertThat(active.path("active").asBoolean()).isTrue();

      again.reconcileTasks(List.of());
      TaskStatus reconciled = awaitStatus(cluster, next, task, TaskState.TASK_RUNNING,
          TaskStatus.Reason.REASON_RECONCILIATION);
      assertThat(reconciled.getSource()).isEqualTo(TaskStatus.Source.SOURCE_MASTER);
      assertThat(agentTaskState(cluster, 0, "t1")).isEqualTo("TASK_RUNNING");

      again.killTask(task.getTaskId());
      awaitStatus(cluster, next, task, TaskState.TASK_KILLED, null);
      cluster.settle();
      assertThat(placements(cluster.masterState(), "t1")).containsExactly("frameworks.completed_tasks:TASK_KILLED");
    }
  }

  /**
   * The scheduler re-subscribes with the new master first (no tasks known yet); when the agent re-registers, the
   * framework's task is re-added once and the framework is told of it (an agent unknown to this master
   * re-registered: REASON_SLAVE_REREGISTERED), then reconciliation reports it running.
   */
  @Test
  void schedulerResubscribesBeforeTheAgentReregisters() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      RecordingScheduler scheduler = new RecordingScheduler();
      MesosSchedulerDriver driver = cluster.driver(scheduler, failingOver("scheduler-first"));
      driver.start();
      TaskInfo task = launchLong(driver, scheduler, "t1");
      scheduler.awaitStatus(task.getTaskId(), TaskState.TASK_RUNNING);

      // The agent's re-registrations (it retries with backoff) do not reach the new master for now.
      Dropping<ReregisterSlaveMessage> agentAway = cluster.messages().dropAll(ReregisterSlaveMessage.class, TO_MASTER);
      cluster.restartMaster();
      cluster.advanceUntil(() -> scheduler.reregistrations() > 0);
      cluster.settle();
      JsonNode subscribed = onlyFramework(cluster);
      assertThat(subscribed.path("active").asBoolean()).isTrue();
      assertThat(subscribed.path("tasks")).isEmpty();

      CompletableFuture<SlaveReregisteredMessage> agentBack =
          cluster.messages().future(SlaveReregisteredMessage.class, TO_AGENT);
      agentAway.close();
      cluster.advanceUntil(agentBack::isDone);
      cluster.settle();

      TaskStatus back = awaitStatus(cluster, scheduler, task, TaskState.TASK_RUNNING,
          TaskStatus.Reason.REASON_SLAVE_REREGISTERED);
      assertThat(back.getSource()).isEqualTo(TaskStatus.Source.SOURCE_MASTER);
      driver.reconcileTasks(List.of());
      awaitStatus(cluster, scheduler, task, TaskState.TASK_RUNNING, TaskStatus.Reason.REASON_RECONCILIATION);
      assertThat(placements(cluster.masterState(), "t1")).containsExactly("frameworks.tasks:TASK_RUNNING");
      assertThat(cluster.metric("master/tasks_running")).isEqualTo(1.0);
      assertThat(agentTaskState(cluster, 0, "t1")).isEqualTo("TASK_RUNNING");
    }
  }

  /**
   * Mesos' ReconciliationTest.ReconcileStatusUpdateTaskState (with the in-memory registry): the agent's status
   * updates never reach the master; the task finishes meanwhile; after a master failover the agent reports the task
   * FINISHED but with the status-update state of the oldest unacknowledged update, and reconciliation answers that
   * state, not the latest one, so that the framework still receives the updates it has not acknowledged.
   */
  @Test
  void reconcileStatusUpdateTaskState(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      RecordingScheduler scheduler = new RecordingScheduler();
      MesosSchedulerDriver driver = cluster.driver(scheduler, failingOver("status-update-state"));
      driver.start();
      org.apache.mesos.Protos.Offer offer = scheduler.nextOffers().get(0);
      Scenarios.Controlled controlled = new Scenarios.Controlled(offer, "t1", dir);
      Dropping<io.jmesos.internal.Messages.StatusUpdateMessage> updates =
          cluster.messages().dropAll(io.jmesos.internal.Messages.StatusUpdateMessage.class, TO_MASTER);
      driver.launchTasks(List.of(offer.getId()), List.of(controlled.task));
      cluster.advanceUntil(() -> updates.count() > 0);
      TaskState first = updates.dropped().get(0).getUpdate().getStatus().getState();
      controlled.finish();
      cluster.advanceUntil(() -> "TASK_FINISHED".equals(agentTaskState(cluster, 0, "t1")));

      CompletableFuture<ReregisterSlaveMessage> report =
          cluster.messages().future(ReregisterSlaveMessage.class, TO_MASTER);
      cluster.restartMaster();
      cluster.advanceUntil(() -> report.isDone() && scheduler.reregistrations() > 0);
      cluster.settle();

      org.apache.mesos.Protos.Task reported = report.get().getTasks(0);
      assertThat(reported.getState()).isEqualTo(TaskState.TASK_FINISHED);
      assertThat(reported.getStatusUpdateState()).isEqualTo(first);
      driver.reconcileTasks(List.of());
      TaskStatus reconciled = awaitStatus(cluster, scheduler, controlled.task, first,
          TaskStatus.Reason.REASON_RECONCILIATION);
      assertThat(reconciled.getSource()).isEqualTo(TaskStatus.Source.SOURCE_MASTER);
      updates.close();
    }
  }
}
