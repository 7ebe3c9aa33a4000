package io.jmesos.it.fault;

import static io.jmesos.it.fault.Scenarios.framework;
import static io.jmesos.it.fault.Scenarios.placements;
import static io.jmesos.testing.Direction.TO_AGENT;
import static io.jmesos.testing.Direction.TO_MASTER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jmesos.internal.Messages.StatusUpdateAcknowledgementMessage;
import io.jmesos.internal.Messages.StatusUpdateMessage;
import io.jmesos.testing.FaultCluster;
import io.jmesos.testing.RecordingScheduler;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.MesosSchedulerDriver;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Messages that arrive twice: each is handled once where it matters, as in Mesos. */
@Timeout(60)
class OutOfOrderTest {
  @TempDir
  Path dir;

  /**
   * A status update that reaches the master twice before it is acknowledged is forwarded twice (the framework
   * acknowledges both; the agent takes the first acknowledgement and ignores the second), but the master records
   * the state once, and the task's next update flows as usual.
   */
  @Test
  void duplicateStatusUpdateBeforeItsAcknowledgement() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      RecordingScheduler scheduler = new RecordingScheduler();
      MesosSchedulerDriver driver = cluster.driver(scheduler, framework("duplicates", false));
      driver.start();
      Offer offer = scheduler.nextOffers().get(0);
      Scenarios.Controlled controlled = new Scenarios.Controlled(offer, "t1", dir);
      CompletableFuture<StatusUpdateMessage> twice = cluster.messages().duplicateNext(StatusUpdateMessage.class,
          TO_MASTER);
      driver.launchTasks(List.of(offer.getId()), List.of(controlled.task));
      TaskState duplicated = twice.get(10, TimeUnit.SECONDS).getUpdate().getStatus().getState();
      scheduler.awaitStatus(controlled.task.getTaskId(), TaskState.TASK_RUNNING);
      cluster.settle();

      List<TaskStatus> received = scheduler.statuses(controlled.task.getTaskId());
      assertThat(received.stream().filter(s -> s.getState() == duplicated)).hasSize(2);
      assertThat(received.stream().filter(s -> s.getState() == duplicated).map(TaskStatus::getUuid).distinct())
          .hasSize(1);
      JsonNode task = taskIn(cluster.masterState());
      assertThat(task.path("statuses").findValuesAsText("state")).containsOnlyOnce(duplicated.name());

      CompletableFuture<StatusUpdateAcknowledgementMessage> finishedAck =
          cluster.messages().future(StatusUpdateAcknowledgementMessage.class, TO_AGENT);
      controlled.finish();
      scheduler.awaitStatus(controlled.task.getTaskId(), TaskState.TASK_FINISHED);
      assertThat(finishedAck.get(10, TimeUnit.SECONDS).getTaskId()).isEqualTo(controlled.task.getTaskId());
      cluster.settle();
      assertThat(placements(cluster.masterState(), "t1")).containsExactly("frameworks.completed_tasks:TASK_FINISHED");
      assertThat(cluster.metric("master/tasks_finished")).isEqualTo(1.0);
    }
  }

  /**
   * A terminal update the framework already acknowledged that reaches the master again (the acknowledgement was
   * lost on its way to the agent, which retries) is forwarded again and acknowledged again; the task stays
   * completed once and is counted once.
   */
  @Test
  void terminalUpdateRetriedAfterItsAcknowledgementWasLost() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      RecordingScheduler scheduler = new RecordingScheduler();
      MesosSchedulerDriver driver = cluster.driver(scheduler, framework("retried-terminal", false));
      driver.start();
      Offer offer = scheduler.nextOffers().get(0);
      Scenarios.Controlled controlled = new Scenarios.Controlled(offer, "t1", dir);
      driver.launchTasks(List.of(offer.getId()), List.of(controlled.task));
      scheduler.awaitStatus(controlled.task.getTaskId(), TaskState.TASK_RUNNING);
      cluster.settle();

      CompletableFuture<StatusUpdateAcknowledgementMessage> lost =
          cluster.messages().dropNext(StatusUpdateAcknowledgementMessage.class, TO_AGENT);
      controlled.finish();
      TaskStatus first = scheduler.awaitStatus(controlled.task.getTaskId(), TaskState.TASK_FINISHED);
      assertThat(lost.get(10, TimeUnit.SECONDS).getUuid()).isEqualTo(first.getUuid());
      cluster.settle();
      assertThat(placements(cluster.masterState(), "t1")).containsExactly("frameworks.completed_tasks:TASK_FINISHED");

      CompletableFuture<StatusUpdateAcknowledgementMessage> again =
          cluster.messages().future(StatusUpdateAcknowledgementMessage.class, TO_AGENT);
      cluster.advance(java.time.Duration.ofSeconds(10));

      TaskStatus retried = scheduler.awaitStatus(controlled.task.getTaskId(), TaskState.TASK_FINISHED);
      assertThat(retried.getUuid()).isEqualTo(first.getUuid());
      assertThat(again.get(10, TimeUnit.SECONDS).getUuid()).isEqualTo(first.getUuid());
      cluster.settle();
      assertThat(placements(cluster.masterState(), "t1")).containsExactly("frameworks.completed_tasks:TASK_FINISHED");
      assertThat(cluster.metric("master/tasks_finished")).isEqualTo(1.0);
    }
  }

  private static JsonNode taskIn(JsonNode state) {
    for (JsonNode framework : state.path("frameworks")) {
      for (JsonNode task : framework.path("tasks")) {
        if (task.path("id").asText().equals("t1")) {
          return task;
        }
      }
    }
    throw new AssertionError("No live task t1 in /state: " + state);
  }
}
