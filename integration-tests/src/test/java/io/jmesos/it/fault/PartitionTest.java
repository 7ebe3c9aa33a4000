package io.jmesos.it.fault;

import static io.jmesos.it.fault.Scenarios.framework;
import static io.jmesos.it.fault.Scenarios.launchLong;
import static io.jmesos.it.fault.Scenarios.placements;
import static io.jmesos.testing.Direction.TO_MASTER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jmesos.internal.Messages.ReregisterSlaveMessage;
import io.jmesos.internal.Messages.SlaveReregisteredMessage;
import io.jmesos.internal.Messages.StatusUpdateMessage;
import io.jmesos.testing.FaultCluster;
import io.jmesos.testing.RecordingScheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.MesosSchedulerDriver;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mesos' {@code PartitionTest} on real daemons: an agent whose pongs are dropped is marked unreachable after
 * {@code --max_agent_ping_timeouts} x {@code --agent_ping_timeout} (Mesos' defaults, 5 x 15 s, on the paused
 * clock), and comes back when the partition heals.
 */
@Timeout(60)
class PartitionTest {
  private static final Duration HEALTH_CHECKS = Partition.HEALTH_CHECKS;

  @TempDir
  Path dir;

  /** PartitionTest.PartitionedSlave: the agent is lost after the missed pings; Mesos' metrics say why. */
  @Test
  void partitionedSlave() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      RecordingScheduler scheduler = new RecordingScheduler();
      MesosSchedulerDriver driver = cluster.driver(scheduler, framework("partitioned-slave", false));
      driver.start();
      scheduler.nextOffers();

      try (Partition partition = new Partition(cluster)) {
        cluster.advance(Duration.ofSeconds(60));
        assertThat(scheduler.lostAgents()).isEmpty();
        cluster.advance(Duration.ofSeconds(30));

        assertThat(scheduler.lostAgents()).hasSize(1);
        assertThat(partition.pongs.count()).isEqualTo(5);
        assertThat(cluster.metric("master/slave_unreachable_scheduled")).isEqualTo(1.0);
        assertThat(cluster.metric("master/slave_unreachable_completed")).isEqualTo(1.0);
        assertThat(cluster.metric("master/slave_removals")).isEqualTo(1.0);
        assertThat(cluster.metric("master/slave_removals/reason_unhealthy")).isEqualTo(1.0);
        assertThat(cluster.metric("master/slave_removals/reason_unregistered")).isEqualTo(0.0);
        assertThat(cluster.metric("master/slaves_unreachable")).isEqualTo(1.0);
      }
    }
  }

  /**
   * PartitionTest.ReregisterSlavePartitionAware: TASK_UNREACHABLE while partitioned (kept in
   * {@code unreachable_tasks}), TASK_RUNNING again when the agent re-registers, nothing completed.
   */
  @Test
  void reregisterSlavePartitionAware() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      RecordingScheduler scheduler = new RecordingScheduler();
      MesosSchedulerDriver driver = cluster.driver(scheduler, framework("partition-aware", true));
      driver.start();
      TaskInfo task = launchLong(driver, scheduler, "t1");
      TaskStatus running = scheduler.awaitStatus(task.getTaskId(), TaskState.TASK_RUNNING);

      Partition partition = new Partition(cluster);
      cluster.advance(HEALTH_CHECKS);

      TaskStatus unreachable = scheduler.awaitStatus(task.getTaskId(), TaskState.TASK_UNREACHABLE);
      assertThat(unreachable.getReason()).isEqualTo(TaskStatus.Reason.REASON_SLAVE_REMOVED);
      assertThat(unreachable.getSource()).isEqualTo(TaskStatus.Source.SOURCE_MASTER);
      assertThat(unreachable.getSlaveId()).isEqualTo(running.getSlaveId());
      assertThat(unreachable.hasUnreachableTime()).isTrue();
      assertThat(cluster.metric("master/tasks_lost")).isEqualTo(0.0);
      assertThat(cluster.metric("master/tasks_unreachable")).isEqualTo(1.0);
      JsonNode state = cluster.masterState();
      assertThat(state.path("activated_slaves").asInt()).isEqualTo(0);
      assertThat(state.path("deactivated_slaves").asInt()).isEqualTo(0);
      assertThat(state.path("unreachable_slaves").asInt()).isEqualTo(1);
      assertThat(placements(state, "t1")).containsExactly("frameworks.unreachable_tasks:TASK_UNREACHABLE");

      partition.heal(cluster);

      TaskStatus back = scheduler.awaitStatus(task.getTaskId(), TaskState.TASK_RUNNING);
      assertThat(back.getReason()).isEqualTo(TaskStatus.Reason.REASON_SLAVE_REREGISTERED);
      assertThat(back.getSource()).isEqualTo(TaskStatus.Source.SOURCE_MASTER);
      cluster.settle();
      state = cluster.masterState();
      assertThat(placements(state, "t1")).containsExactly("frameworks.tasks:TASK_RUNNING");
      assertThat(state.path("unreachable_slaves").asInt()).isEqualTo(0);
      assertThat(state.path("activated_slaves").asInt()).isEqualTo(1);
      assertThat(cluster.metric("master/tasks_unreachable")).isEqualTo(0.0);
      assertThat(cluster.metric("master/tasks_running")).isEqualTo(1.0);
      assertThat(cluster.metric("master/slaves_unreachable")).isEqualTo(0.0);
    }
  }

  /**
   * PartitionTest.ReregisterSlaveNotPartitionAware, in its Mesos 1.11 form: TASK_LOST while partitioned (shown
   * in {@code unreachable_tasks} in its backwards-compatible state), then TASK_RUNNING again: since Mesos 1.5
   * the task is no longer killed.
   */
  @Test
  void reregisterSlaveNotPartitionAware() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      RecordingScheduler scheduler = new RecordingScheduler();
      MesosSchedulerDriver driver = cluster.driver(scheduler, framework("not-partition-aware", false));
      driver.start();
      TaskInfo task = launchLong(driver, scheduler, "t1");
      scheduler.awaitStatus(task.getTaskId(), TaskState.TASK_RUNNING);

      Partition partition = new Partition(cluster);
      cluster.advance(HEALTH_CHECKS);

      TaskStatus lost = scheduler.awaitStatus(task.getTaskId(), TaskState.TASK_LOST);
      assertThat(lost.getReason()).isEqualTo(TaskStatus.Reason.REASON_SLAVE_REMOVED);
      assertThat(lost.hasUnreachableTime()).isTrue();
      assertThat(cluster.metric("master/tasks_lost")).isEqualTo(1.0);
      assertThat(cluster.metric("master/tasks_unreachable")).isEqualTo(0.0);
      assertThat(placements(cluster.masterState(), "t1")).containsExactly("frameworks.unreachable_tasks:TASK_LOST");

      partition.heal(cluster);

      TaskStatus back = scheduler.awaitStatus(task.getTaskId(), TaskState.TASK_RUNNING);
      assertThat(back.getReason()).isEqualTo(TaskStatus.Reason.REASON_SLAVE_REREGISTERED);
      cluster.settle();
      assertThat(placements(cluster.masterState(), "t1")).containsExactly("frameworks.tasks:TASK_RUNNING");
      assertThat(cluster.metric("master/tasks_lost")).isEqualTo(1.0);
      assertThat(cluster.metric("master/tasks_killed")).isEqualTo(0.0);
      assertThat(cluster.metric("master/tasks_running")).isEqualTo(1.0);
    }
  }

  /**
   * PartitionTest.PartitionedSlaveOrphanedTask: the framework of an unreachable task is torn down; its task is
   * completed as TASK_KILLED at once, and the agent, when it comes back, is told to shut the framework down.
   */
  @Test
  void partitionedSlaveOrphanedTask() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      RecordingScheduler scheduler = new RecordingScheduler();
      MesosSchedulerDriver driver = cluster.driver(scheduler, framework("orphan", true));
      driver.start();
      FrameworkID frameworkId = scheduler.registered().get(10, TimeUnit.SECONDS);
      TaskInfo task = launchLong(driver, scheduler, "t1");
      scheduler.awaitStatus(task.getTaskId(), TaskState.TASK_RUNNING);
      Partition partition = new Partition(cluster);
      cluster.advance(HEALTH_CHECKS);
      assertThat(scheduler.awaitStatus(task.getTaskId(), TaskState.TASK_UNREACHABLE).hasUnreachableTime()).isTrue();

      driver.stop();
      cluster.settle();

      JsonNode state = cluster.masterState();
      assertThat(state.path("frameworks")).isEmpty();
      assertThat(state.path("completed_frameworks")).hasSize(1);
      assertThat(state.path("completed_frameworks").get(0).path("id").asText()).isEqualTo(frameworkId.getValue());
      assertThat(placements(state, "t1")).containsExactly("completed_frameworks.completed_tasks:TASK_KILLED");

      SlaveReregisteredMessage reregistered = partition.heal(cluster);

      assertThat(reregistered.getUnknownFrameworkIdsList()).containsExactly(frameworkId);
      cluster.settle();
      assertThat(placements(cluster.masterState(), "t1"))
          .containsExactly("completed_frameworks.completed_tasks:TASK_KILLED");
      assertThat(cluster.agentState(0).path("frameworks")).isEmpty();
    }
  }

  /**
   * PartitionTest.SpuriousSlaveReregistration: a re-registration of an agent that is registered and connected
   * (here: the agent's re-registration after a partition arrives twice) changes nothing: the framework hears
   * TASK_RUNNING once, reconciliation still says TASK_RUNNING, and the task is listed once.
   */
  @Test
  void spuriousSlaveReregistration() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      RecordingScheduler scheduler = new RecordingScheduler();
      MesosSchedulerDriver driver = cluster.driver(scheduler, framework("spurious", false));
      driver.start();
      TaskInfo task = launchLong(driver, scheduler, "t1");
      scheduler.awaitStatus(task.getTaskId(), TaskState.TASK_RUNNING);
      Partition partition = new Partition(cluster);
      cluster.advance(HEALTH_CHECKS);
      scheduler.awaitStatus(task.getTaskId(), TaskState.TASK_LOST);

      CompletableFuture<ReregisterSlaveMessage> twice =
          cluster.messages().duplicateNext(ReregisterSlaveMessage.class, TO_MASTER);
      partition.heal(cluster);
      twice.get(10, TimeUnit.SECONDS);
      cluster.settle();

      TaskStatus back = scheduler.awaitStatus(task.getTaskId(), TaskState.TASK_RUNNING);
      assertThat(back.getReason()).isEqualTo(TaskStatus.Reason.REASON_SLAVE_REREGISTERED);
      driver.reconcileTasks(List.of(TaskStatus.newBuilder().setTaskId(task.getTaskId())
          .setSlaveId(back.getSlaveId()).setState(TaskState.TASK_STAGING).build()));
      TaskStatus reconciled = scheduler.awaitStatus(task.getTaskId(), TaskState.TASK_RUNNING);
      assertThat(reconciled.getReason()).isEqualTo(TaskStatus.Reason.REASON_RECONCILIATION);
      cluster.settle();
      assertThat(scheduler.statuses(task.getTaskId()).stream()
          .filter(s -> s.getReason() == TaskStatus.Reason.REASON_SLAVE_REREGISTERED)).hasSize(1);
      assertThat(placements(cluster.masterState(), "t1")).containsExactly("frameworks.tasks:TASK_RUNNING");
      assertThat(cluster.metric("master/slaves_active")).isEqualTo(1.0);
    }
  }

  /**
   * PartitionTest.TaskCompletedOnPartitionedAgent: a task that ends while its agent is partitioned is reported
   * with its real state when the agent comes back, counted once in {@code master/tasks_finished}, and its status
   * update, held by the agent meanwhile, then reaches the framework.
   */
  @Test
  void taskCompletedOnPartitionedAgent() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      RecordingScheduler scheduler = new RecordingScheduler();
      MesosSchedulerDriver driver = cluster.driver(scheduler, framework("completed-while-partitioned", false));
      driver.start();
      Offer offer = scheduler.nextOffers().get(0);
      Scenarios.Controlled controlled = new Scenarios.Controlled(offer, "t1", dir);
      driver.launchTasks(List.of(offer.getId()), List.of(controlled.task));
      scheduler.awaitStatus(controlled.task.getTaskId(), TaskState.TASK_RUNNING);

      Partition partition = new Partition(cluster);
      cluster.advance(HEALTH_CHECKS);
      scheduler.awaitStatus(controlled.task.getTaskId(), TaskState.TASK_LOST);
      CompletableFuture<StatusUpdateMessage> finished =
          cluster.messages().future(StatusUpdateMessage.class, TO_MASTER);
      controlled.finish();
      for (int i = 0; i < 100 && !"TASK_FINISHED".equals(Scenarios.agentTaskState(cluster, 0, "t1")); i++) {
        cluster.advance(Duration.ofMillis(100));
      }
      assertThat(Scenarios.agentTaskState(cluster, 0, "t1")).isEqualTo("TASK_FINISHED");
      assertThat(finished).isNotDone();
      assertThat(cluster.metric("master/tasks_finished")).isEqualTo(0.0);

      partition.heal(cluster);

      TaskStatus reported = scheduler.awaitStatus(controlled.task.getTaskId(), TaskState.TASK_FINISHED);
      assertThat(reported.getSource()).isEqualTo(TaskStatus.Source.SOURCE_MASTER);
      assertThat(reported.getReason()).isEqualTo(TaskStatus.Reason.REASON_SLAVE_REREGISTERED);
      TaskStatus fromAgent = scheduler.awaitStatus(controlled.task.getTaskId(), TaskState.TASK_FINISHED);
      assertThat(fromAgent.getSource()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
      assertThat(finished.get(10, TimeUnit.SECONDS).getUpdate().getStatus().getState())
          .isEqualTo(TaskState.TASK_FINISHED);
      cluster.settle();
      assertThat(cluster.metric("master/tasks_finished")).isEqualTo(1.0);
      assertThat(placements(cluster.masterState(), "t1")).containsExactly("frameworks.completed_tasks:TASK_FINISHED");
    }
  }
}
