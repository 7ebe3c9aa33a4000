package io.jmesos.testing;

import static io.jmesos.testing.Direction.TO_AGENT;
import static io.jmesos.testing.Direction.TO_MASTER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jmesos.internal.Messages.PongSlaveMessage;
import io.jmesos.internal.Messages.RunTaskMessage;
import io.jmesos.internal.Messages.SlaveReregisteredMessage;
import io.jmesos.internal.Messages.StatusUpdateAcknowledgementMessage;
import io.jmesos.internal.Messages.StatusUpdateMessage;
import io.jmesos.resources.Resources;
import io.jmesos.scheduler.DriverOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.MesosSchedulerDriver;
import org.apache.mesos.Protos.CommandInfo;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The fault-injection cluster itself: real daemons and drivers, messages and events intercepted. */
@Timeout(60)
class FaultClusterTest {

  @Test
  void aTaskLaunchedThroughARealDriverRunsOnARealAgent() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      RecordingScheduler scheduler = new RecordingScheduler();
      MesosSchedulerDriver driver = cluster.driver(scheduler, framework("runs-a-task"));
      CompletableFuture<RunTaskMessage> run = cluster.messages().future(RunTaskMessage.class, TO_AGENT);
      driver.start();

      TaskInfo task = launch(driver, scheduler, "task-1");

      assertThat(run.get(10, TimeUnit.SECONDS).getTask().getTaskId()).isEqualTo(task.getTaskId());
      scheduler.awaitStatus(task.getTaskId(), TaskState.TASK_RUNNING);
    }
  }

  @Test
  void aDroppedAcknowledgementMakesTheAgentResendTheUpdateAfterTenSeconds() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      RecordingScheduler scheduler = new RecordingScheduler();
      MesosSchedulerDriver driver = cluster.driver(scheduler, framework("drops-an-ack"));
      CompletableFuture<StatusUpdateAcknowledgementMessage> dropped =
          cluster.messages().dropNext(StatusUpdateAcknowledgementMessage.class, TO_AGENT);
      driver.start();
      TaskInfo task = launch(driver, scheduler, "task-1");
      StatusUpdateAcknowledgementMessage ack = dropped.get(10, TimeUnit.SECONDS);
      assertThat(ack.getTaskId()).isEqualTo(task.getTaskId());

      CompletableFuture<StatusUpdateMessage> resent = cluster.messages().future(StatusUpdateMessage.class, TO_MASTER);
      cluster.settle();
      cluster.advance(Duration.ofSeconds(9));
      assertThat(resent).isNotDone();

      cluster.advance(Duration.ofSeconds(1));
      assertThat(resent).isDone();
      assertThat(resent.get().getUpdate().getUuid()).isEqualTo(ack.getUuid());
      // Acknowledged this time, the agent moves on to the next update.
      scheduler.awaitStatus(task.getTaskId(), TaskState.TASK_RUNNING);
    }
  }

  @Test
  void anAgentWhosePongsAreDroppedIsNoLongerActiveAfterTheMissedPings() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder()
        .masterFlag("agent_ping_timeout", "1secs")
        .masterFlag("max_agent_ping_timeouts", "2")
        .build()) {
      // The master pings a newly registered agent at once: let that pong arrive before the pongs are dropped
      // (under load it could still be on its way, and its loss would make the agent unreachable a ping early).
      cluster.settle();
      assertThat(cluster.metric("master/slaves_active")).isEqualTo(1.0);
      Dropping<PongSlaveMessage> pongs = cluster.messages(0).dropAll(PongSlaveMessage.class, TO_MASTER);

      // The last pong answered the ping sent at registration: the next ping is answered in vain, the two after
      // it missed.
      cluster.advance(Duration.ofSeconds(2));
      assertThat(cluster.metric("master/slaves_active")).isEqualTo(1.0);
      cluster.advance(Duration.ofSeconds(1));

      assertThat(pongs.count()).isEqualTo(2);
      assertThat(cluster.metric("master/slaves_active")).isZero();
      assertThat(cluster.metric("master/slaves_unreachable")).isEqualTo(1.0);
      pongs.close();
    }
  }

  @Test
  void aDelayedMessageIsDeliveredWhenReleased() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      RecordingScheduler scheduler = new RecordingScheduler();
      MesosSchedulerDriver driver = cluster.driver(scheduler, framework("delays-a-launch"));
      Held<RunTaskMessage> held = cluster.messages().delayNext(RunTaskMessage.class, TO_AGENT);
      driver.start();
      TaskInfo task = launch(driver, scheduler, "task-1");
      assertThat(held.caught().get(10, TimeUnit.SECONDS).getTask().getTaskId()).isEqualTo(task.getTaskId());
      cluster.settle();
      assertThat(taskState(cluster, task.getTaskId())).isEqualTo("TASK_STAGING");

      held.release();

      scheduler.awaitStatus(task.getTaskId(), TaskState.TASK_RUNNING);
      cluster.settle();
      assertThat(taskState(cluster, task.getTaskId())).isEqualTo("TASK_RUNNING");
    }
  }

  @Test
  void aCutStreamMakesTheMasterSeeTheFrameworkDisconnectedUntilTheDriverSubscribesAgain() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      RecordingScheduler scheduler = new RecordingScheduler();
      MesosSchedulerDriver driver = cluster.driver(scheduler, framework("loses-its-stream"));
      driver.start();
      FrameworkID id = scheduler.registered().get(10, TimeUnit.SECONDS);
      cluster.settle();
      assertThat(framework(cluster, id).get("active").asBoolean()).isTrue();

      assertThat(cluster.cutStream(driver)).isEqualTo(1);
      cluster.settle();
      assertThat(framework(cluster, id).get("active").asBoolean()).isFalse();
      assertThat(framework(cluster, id).get("connected").asBoolean()).isFalse();

      scheduler.disconnected().get(10, TimeUnit.SECONDS);
      cluster.advance(DriverOptions.DEFAULT_REGISTRATION_BACKOFF_FACTOR); // the longest first backoff
      scheduler.reregistered().get(10, TimeUnit.SECONDS);
      cluster.settle();
      assertThat(scheduler.reregistrations()).isEqualTo(1);
      assertThat(framework(cluster, id).get("active").asBoolean()).isTrue();
    }
  }

  @Test
  void aDuplicatedStatusUpdateReachesTheMasterTwice() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      RecordingScheduler scheduler = new RecordingScheduler();
      MesosSchedulerDriver driver = cluster.driver(scheduler, framework("hears-twice"));
      CompletableFuture<StatusUpdateMessage> duplicated =
          cluster.messages(0).duplicateNext(StatusUpdateMessage.class, TO_MASTER);
      driver.start();
      TaskInfo task = launch(driver, scheduler, "task-1");

      assertThat(duplicated.get(10, TimeUnit.SECONDS).getUpdate().getStatus().getState())
          .isEqualTo(TaskState.TASK_STARTING);
      scheduler.awaitStatus(task.getTaskId(), TaskState.TASK_RUNNING);
      cluster.settle();
      // STARTING twice, then RUNNING: the master counts (and forwards) what it receives.
      assertThat(cluster.metric("master/valid_status_updates")).isEqualTo(3.0);
    }
  }

  @Test
  void aDelayedOffersEventReachesTheSchedulerWhenTheClockPassesItsRelease() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      RecordingScheduler scheduler = new RecordingScheduler();
      MesosSchedulerDriver driver = cluster.driver(scheduler, framework("waits-for-offers"));
      Held<Event> offers = cluster.events(driver).delayNext(Event.Type.OFFERS);
      offers.releaseAfter(Duration.ofSeconds(3));
      driver.start();
      assertThat(offers.caught().get(10, TimeUnit.SECONDS).getOffers().getOffersCount()).isEqualTo(1);
      cluster.advance(Duration.ofSeconds(2));
      assertThat(scheduler.pendingOffers()).isZero();
      assertThat(cluster.metric("master/outstanding_offers")).isEqualTo(1.0);

      cluster.advance(Duration.ofSeconds(1));

      assertThat(offers.isReleased()).isTrue();
      assertThat(scheduler.nextOffers()).hasSize(1);
    }
  }

  @Test
  void aBrokenAgentConnectionMakesTheAgentReregisterWithTheSameMaster() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build()) {
      CompletableFuture<SlaveReregisteredMessage> back =
          cluster.messages(0).future(SlaveReregisteredMessage.class, TO_AGENT);

      assertThat(cluster.disconnectAgent(0)).isEqualTo(1);

      assertThat(cluster.metric("master/slaves_disconnected")).isEqualTo(1.0);
      cluster.advance(Duration.ofSeconds(1)); // --registration_backoff_factor: the agent reconnects within it
      assertThat(back.get(10, TimeUnit.SECONDS).getSlaveId()).isEqualTo(cluster.agent(0).slaveId().get());
      cluster.settle();
      assertThat(cluster.metric("master/slaves_connected")).isEqualTo(1.0);
      assertThat(cluster.metric("master/slaves_active")).isEqualTo(1.0);
      // As Mesos: the re-registration of an agent the master still has is not a re-admission.
      assertThat(cluster.metric("master/slave_reregistrations")).isZero();
    }
  }

  private static FrameworkInfo framework(String name) {
    // A failover timeout, so that a framework whose stream was cut waits for its driver to come back.
    return FrameworkInfo.newBuilder().setUser("").setName(name).setFailoverTimeout(60).build();
  }

  /** Launches a long-running command task on the first offer. */
  private static TaskInfo launch(MesosSchedulerDriver driver, RecordingScheduler scheduler, String id)
      throws InterruptedException {
    Offer offer = scheduler.nextOffers().get(0);
    TaskInfo task = TaskInfo.newBuilder()
        .setName(id)
        .setTaskId(TaskID.newBuilder().setValue(id))
        .setSlaveId(offer.getSlaveId())
        .addAllResources(Resources.parse("cpus:0.5;mem:64").toList())
        .setCommand(CommandInfo.newBuilder().setShell(true).setValue("sleep 600"))
        .build();
    driver.launchTasks(List.of(offer.getId()), List.of(task));
    return task;
  }

  private static String taskState(FaultCluster cluster, TaskID id) {
    for (JsonNode framework : cluster.masterState().get("frameworks")) {
      for (JsonNode task : framework.get("tasks")) {
        if (task.get("id").asText().equals(id.getValue())) {
          return task.get("state").asText();
        }
      }
    }
    throw new AssertionError("No task " + id.getValue() + " in the master's /state");
  }

  private static JsonNode framework(FaultCluster cluster, FrameworkID id) {
    for (JsonNode framework : cluster.masterState().get("frameworks")) {
      if (framework.get("id").asText().equals(id.getValue())) {
        return framework;
      }
    }
    throw new AssertionError("No framework " + id.getValue() + " in the master's /state");
  }
}
