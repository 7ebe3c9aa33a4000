package io.jmesos.it.fault;

import static io.jmesos.it.fault.Scenarios.framework;
import static io.jmesos.it.fault.Scenarios.placements;
import static io.jmesos.testing.Direction.TO_MASTER;
import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.internal.Messages.StatusUpdateMessage;
import io.jmesos.testing.Dropping;
import io.jmesos.testing.FaultCluster;
import io.jmesos.testing.RecordingScheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.MesosSchedulerDriver;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mesos' {@code TaskStatusUpdateManagerTest} scenarios through a master, on the fault-injection cluster: the
 * agent's status update manager retries an update the master did not get, on the cluster's clock, and a retried
 * update tells the master the task's latest state. (The manager's own handling of duplicate and unexpected
 * acknowledgements and of duplicate updates is in the agent's {@code status.TaskStatusUpdateManagerTest}; a
 * duplicate update and a retried terminal update through a master are in {@link OutOfOrderTest}.)
 */
@Timeout(60)
class TaskStatusUpdateManagerTest {
  private static final Duration RETRY = Duration.ofSeconds(10);

  @TempDir
  Path dir;

  /** RetryStatusUpdate: the first update is lost on its way to the master; the agent sends it again 10 s later. */
  @Test
  void retryStatusUpdate() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      RecordingScheduler scheduler = new RecordingScheduler();
      MesosSchedulerDriver driver = cluster.driver(scheduler, framework("retry", false));
      driver.start();
      Offer offer = scheduler.nextOffers().get(0);
      Scenarios.Controlled controlled = new Scenarios.Controlled(offer, "t1", dir);
      CompletableFuture<StatusUpdateMessage> lost = cluster.messages().dropNext(StatusUpdateMessage.class, TO_MASTER);
      driver.launchTasks(List.of(offer.getId()), List.of(controlled.task));
      StatusUpdateMessage dropped = lost.get(10, TimeUnit.SECONDS);
      cluster.settle();
      assertThat(scheduler.statuses(controlled.task.getTaskId())).as("nothing before the retry").isEmpty();

      cluster.advance(RETRY);

      TaskStatus first = scheduler.awaitStatus(controlled.task.getTaskId(), dropped.getUpdate().getStatus().getState());
      assertThat(first.getUuid()).isEqualTo(dropped.getUpdate().getUuid());
      assertThat(scheduler.awaitStatus(controlled.task.getTaskId(), TaskState.TASK_RUNNING).getState())
          .isEqualTo(TaskState.TASK_RUNNING);
    }
  }

  /**
   * LatestTaskState: while the master gets none of the task's updates, the task runs and finishes; the retried
   * first update carries the latest state, TASK_FINISHED, and the rest of the stream follows in order once each
   * update is acknowledged.
   */
  @Test
  void latestTaskState() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      RecordingScheduler scheduler = new RecordingScheduler();
      MesosSchedulerDriver driver = cluster.driver(scheduler, framework("latest", false));
      driver.start();
      Offer offer = scheduler.nextOffers().get(0);
      Scenarios.Controlled controlled = new Scenarios.Controlled(offer, "t1", dir);
      StatusUpdateMessage head;
      try (Dropping<StatusUpdateMessage> dropping =
          cluster.messages().dropAll(StatusUpdateMessage.class, TO_MASTER)) {
        driver.launchTasks(List.of(offer.getId()), List.of(controlled.task));
        Awaitility.await().atMost(RecordingScheduler.WAIT)
            .until(() -> "TASK_RUNNING".equals(Scenarios.agentTaskState(cluster, 0, "t1")));
        controlled.finish();
        Awaitility.await().atMost(RecordingScheduler.WAIT)
            .until(() -> "TASK_FINISHED".equals(Scenarios.agentTaskState(cluster, 0, "t1")));
        cluster.settle();
        head = dropping.dropped().get(0);
      }
      CompletableFuture<StatusUpdateMessage> retried = cluster.messages().future(StatusUpdateMessage.class, TO_MASTER);

      cluster.advance(RETRY);

      StatusUpdateMessage retry = retried.get(10, TimeUnit.SECONDS);
      assertThat(retry.getUpdate().getUuid()).isEqualTo(head.getUpdate().getUuid());
      assertThat(retry.getUpdate().getStatus().getState()).isEqualTo(head.getUpdate().getStatus().getState());
      assertThat(retry.getUpdate().getLatestState()).isEqualTo(TaskState.TASK_FINISHED);
      // Then, each acknowledged in turn, the rest of the stream in order.
      assertThat(scheduler.awaitStatus(controlled.task.getTaskId(), TaskState.TASK_FINISHED).getState())
          .isEqualTo(TaskState.TASK_FINISHED);
      assertThat(scheduler.statuses(controlled.task.getTaskId())).extracting(TaskStatus::getState)
          .containsExactly(TaskState.TASK_STARTING, TaskState.TASK_RUNNING, TaskState.TASK_FINISHED);
      cluster.settle();
      assertThat(placements(cluster.masterState(), "t1")).containsExactly("frameworks.completed_tasks:TASK_FINISHED");
    }
  }
}
