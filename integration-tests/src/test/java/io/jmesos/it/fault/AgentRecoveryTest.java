package io.jmesos.it.fault;

import static io.jmesos.it.fault.ReconciliationScenarios.assertNoMoreStatuses;
import static io.jmesos.it.fault.ReconciliationScenarios.checkpointing;
import static io.jmesos.it.fault.Scenarios.placements;
import static io.jmesos.testing.Direction.TO_AGENT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jmesos.internal.Messages.SlaveReregisteredMessage;
import io.jmesos.testing.FaultCluster;
import io.jmesos.testing.RecordingScheduler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.mesos.MesosSchedulerDriver;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.Protos.TaskStatus.Reason;
import org.apache.mesos.Protos.TaskStatus.Source;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Mesos' {@code SlaveRecoveryTest} scenarios that involve the master, on the fault-injection cluster: the agent
 * is restarted as SIGTERM and a new {@code mesos-agent} on the same work directory and port would
 * ({@link FaultCluster#restartAgent}), its command tasks (embedded command executor) keep running, and it
 * re-registers under its id; what happened meanwhile at the master is reconciled.
 */
@Timeout(90)
class AgentRecoveryTest {

  private static TaskInfo runningTask(MesosSchedulerDriver driver, RecordingScheduler scheduler, String id)
      throws InterruptedException {
    Offer offer = scheduler.nextOffers().get(0);
    TaskInfo task = Scenarios.task(offer, id, "sleep 1000");
    driver.launchTasks(List.of(offer.getId()), List.of(task));
    assertThat(scheduler.awaitStatus(task.getTaskId(), TaskState.TASK_RUNNING).getState())
        .isEqualTo(TaskState.TASK_RUNNING);
    return task;
  }

  /** The agent id of the only agent in the master's /state, and that it is active. */
  private static String activeAgent(FaultCluster cluster) {
    JsonNode slaves = cluster.masterState().path("slaves");
    assertThat(slaves).hasSize(1);
    assertThat(slaves.get(0).path("active").asBoolean()).isTrue();
    return slaves.get(0).path("id").asText();
  }

  /** MultipleFrameworks: two checkpointing frameworks' tasks survive the restart and are killed afterwards. */
  @Test
  void multipleFrameworks() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().agentResources("cpus:1;mem:256;disk:1024").build()) {
      RecordingScheduler first = new RecordingScheduler();
      RecordingScheduler second = new RecordingScheduler();
      MesosSchedulerDriver driver1 = cluster.driver(first, checkpointing("first", false));
      driver1.start();
      TaskInfo task1 = runningTask(driver1, first, "1");
      MesosSchedulerDriver driver2 = cluster.driver(second, checkpointing("second", false));
      driver2.start();
      TaskInfo task2 = runningTask(driver2, second, "2");
      String agentId = activeAgent(cluster);
      assertThat(Scenarios.agentTaskState(cluster, 0, "1")).isEqualTo("TASK_RUNNING");

      cluster.restartAgent(0, Map.of());

      assertThat(activeAgent(cluster)).isEqualTo(agentId);
      assertThat(placements(cluster.masterState(), "1")).containsExactly("frameworks.tasks:TASK_RUNNING");
      assertThat(placements(cluster.masterState(), "2")).containsExactly("frameworks.tasks:TASK_RUNNING");
      assertThat(Scenarios.agentTaskState(cluster, 0, "2")).isEqualTo("TASK_RUNNING");
      assertNoMoreStatuses(cluster, driver1, first);
      assertNoMoreStatuses(cluster, driver2, second);

      driver1.killTask(task1.getTaskId());
      assertThat(first.awaitStatus(task1.getTaskId(), TaskState.TASK_KILLED).getSource())
          .isEqualTo(Source.SOURCE_EXECUTOR);
      driver2.killTask(task2.getTaskId());
      assertThat(second.awaitStatus(task2.getTaskId(), TaskState.TASK_KILLED).getState())
          .isEqualTo(TaskState.TASK_KILLED);
    }
  }

  /** ReconcileKillTask: a kill sent while the agent is down reaches the task once the agent is back. */
  @Test
  void reconcileKillTask() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      RecordingScheduler scheduler = new RecordingScheduler();
      MesosSchedulerDriver driver = cluster.driver(scheduler, checkpointing("kill", false));
      driver.start();
      TaskInfo task = runningTask(driver, scheduler, "1");

      cluster.restartAgent(0, Map.of(), () -> driver.killTask(task.getTaskId()));

      TaskStatus killed = scheduler.awaitStatus(task.getTaskId(), TaskState.TASK_KILLED);
      assertThat(killed.getState()).isEqualTo(TaskState.TASK_KILLED);
      cluster.settle();
      assertThat(placements(cluster.masterState(), "1")).containsExactly("frameworks.completed_tasks:TASK_KILLED");
      assertThat(cluster.metric("master/cpus_used")).isEqualTo(0.0);
    }
  }

  /** ReconcileShutdownFramework: a framework torn down while the agent is down is shut down on the agent. */
  @Test
  void reconcileShutdownFramework() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      RecordingScheduler scheduler = new RecordingScheduler();
      MesosSchedulerDriver driver = cluster.driver(scheduler, checkpointing("shutdown", false));
      driver.start();
      runningTask(driver, scheduler, "1");
      CompletableFuture<SlaveReregisteredMessage> reregistered =
          cluster.messages(0).future(SlaveReregisteredMessage.class, TO_AGENT);

      cluster.restartAgent(0, Map.of(), () -> {
        driver.stop();
        Awaitility.await().atMost(RecordingScheduler.WAIT)
            .until(() -> cluster.masterState().path("completed_frameworks").size() == 1);
      });

      // The master names the framework it completed in its answer, and the agent shuts it down.
      assertThat(reregistered.get(10, TimeUnit.SECONDS).getUnknownFrameworkIdsList()).hasSize(1);
      Awaitility.await().atMost(RecordingScheduler.WAIT)
          .until(() -> cluster.agentState(0).path("frameworks").isEmpty());
      assertThat(cluster.agentState(0).path("completed_frameworks")).hasSize(1);
      JsonNode completed = cluster.masterState().path("completed_frameworks");
      assertThat(completed).hasSize(1);
      assertThat(completed.get(0).path("completed_tasks")).hasSize(1);
    }
  }

  /**
   * ReconcileTasksMissingFromSlave: the agent comes back without the task in its checkpoint (its framework's meta
   * directory wiped); the master asks about it and the agent answers TASK_DROPPED for the partition-aware
   * framework.
   */
  @Test
  void reconcileTasksMissingFromSlave() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      RecordingScheduler scheduler = new RecordingScheduler();
      MesosSchedulerDriver driver = cluster.driver(scheduler, checkpointing("missing", true));
      driver.start();
      TaskInfo task = runningTask(driver, scheduler, "1");
      Path workDir = Path.of(cluster.agentState(0).path("flags").path("work_dir").asText());
      String frameworkId = scheduler.registered().get().getValue();

      cluster.restartAgent(0, Map.of(), () -> {
        try (Stream<Path> metas = Files.walk(workDir.resolve("meta"))) {
          Path framework = metas.filter(p -> p.getFileName().toString().equals(frameworkId)).findFirst()
              .orElseThrow();
          try (Stream<Path> tree = Files.walk(framework)) {
            tree.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
          }
        } catch (IOException e) {
          throw new AssertionError(e);
        }
      });

      TaskStatus dropped = scheduler.awaitStatus(task.getTaskId(), TaskState.TASK_DROPPED);
      assertThat(dropped.getSource()).isEqualTo(Source.SOURCE_SLAVE);
      assertThat(dropped.getReason()).isEqualTo(Reason.REASON_RECONCILIATION);
      // The task's process was not recovered: the restarted agent destroyed it as an orphan.
      Awaitility.await().atMost(RecordingScheduler.WAIT).until(() -> ProcessHandle.allProcesses()
          .noneMatch(p -> p.info().commandLine().map(c -> c.contains(frameworkId)).orElse(false)));
    }
  }
}
