package io.jmesos.it.fault;

import static io.jmesos.it.fault.Scenarios.framework;
import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.testing.FaultCluster;
import io.jmesos.testing.RecordingScheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.MesosSchedulerDriver;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.v1.master.Protos.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The master's operator event stream between real daemons, as Mesos 1.11's {@code MasterAPITest.Subscribe},
 * {@code SubscribeAgentEvents} and {@code FrameworksEvent}: SUBSCRIBED with the state, then each change in the
 * order it happens, the same in JSON and protobuf, and HEARTBEAT every 15 seconds of the master's clock.
 */
@Timeout(60)
class OperatorEventStreamTest {
  @TempDir
  Path dir;

  @Test
  void eventsInOrderWhileTasksLaunchAndAgentsComeAndGo() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build();
        OperatorEventStream json = new OperatorEventStream(cluster, true);
        OperatorEventStream protobuf = new OperatorEventStream(cluster, false)) {
      assertThat(json.response.statusCode()).isEqualTo(200);
      assertThat(json.response.headers().firstValue("Content-Type")).contains("application/json");
      assertThat(protobuf.response.headers().firstValue("Content-Type")).contains("application/x-protobuf");
      SlaveID first = cluster.agent(0).slaveId().get(10, TimeUnit.SECONDS);
      List<String> seen = new ArrayList<>();
      for (OperatorEventStream stream : List.of(json, protobuf)) {
        Event subscribed = stream.next();
        assertThat(subscribed.getType()).isEqualTo(Event.Type.SUBSCRIBED);
        assertThat(subscribed.getSubscribed().getHeartbeatIntervalSeconds()).isEqualTo(15.0);
        assertThat(subscribed.getSubscribed().getGetState().getGetAgents().getAgentsList())
            .extracting(a -> a.getAgentInfo().getId().getValue()).containsExactly(first.getValue());
        assertThat(subscribed.getSubscribed().getGetState().getGetFrameworks().getFrameworksList()).isEmpty();
      }

      RecordingScheduler scheduler = new RecordingScheduler();
      MesosSchedulerDriver driver = cluster.driver(scheduler, framework("watched", true));
      driver.start();
      FrameworkID frameworkId = scheduler.registered().get(10, TimeUnit.SECONDS);
      Offer offer = scheduler.nextOffers().get(0);
      Scenarios.Controlled task = new Scenarios.Controlled(offer, "t1", dir);
      driver.launchTasks(List.of(offer.getId()), List.of(task.task));
      scheduler.awaitStatus(task.task.getTaskId(), TaskState.TASK_RUNNING);
      task.finish();
      scheduler.awaitStatus(task.task.getTaskId(), TaskState.TASK_FINISHED);
      SlaveID second = cluster.startAgent().slaveId().get(10, TimeUnit.SECONDS);
      cluster.stopAgent(1);
      driver.stop();
      cluster.settle();

      for (OperatorEventStream stream : List.of(json, protobuf)) {
        Event added = stream.next();
        assertThat(added.getType()).isEqualTo(Event.Type.FRAMEWORK_ADDED);
        assertThat(added.getFrameworkAdded().getFramework().getFrameworkInfo().getId().getValue())
            .isEqualTo(frameworkId.getValue());
        assertThat(added.getFrameworkAdded().getFramework().getFrameworkInfo().getName()).isEqualTo("watched");
        assertThat(added.getFrameworkAdded().getFramework().getConnected()).isTrue();
        Event taskAdded = stream.next();
        assertThat(taskAdded.getType()).isEqualTo(Event.Type.TASK_ADDED);
        assertThat(taskAdded.getTaskAdded().getTask().getTaskId().getValue()).isEqualTo("t1");
        assertThat(taskAdded.getTaskAdded().getTask().getState())
            .isEqualTo(org.apache.mesos.v1.Protos.TaskState.TASK_STAGING);
        assertThat(taskAdded.getTaskAdded().getTask().getAgentId().getValue()).isEqualTo(first.getValue());
        for (org.apache.mesos.v1.Protos.TaskState state : List.of(org.apache.mesos.v1.Protos.TaskState.TASK_STARTING,
            org.apache.mesos.v1.Protos.TaskState.TASK_RUNNING, org.apache.mesos.v1.Protos.TaskState.TASK_FINISHED)) {
          Event updated = stream.next();
          assertThat(updated.getType()).isEqualTo(Event.Type.TASK_UPDATED);
          assertThat(updated.getTaskUpdated().getFrameworkId().getValue()).isEqualTo(frameworkId.getValue());
          assertThat(updated.getTaskUpdated().getStatus().getTaskId().getValue()).isEqualTo("t1");
          assertThat(updated.getTaskUpdated().getStatus().getState()).isEqualTo(state);
          assertThat(updated.getTaskUpdated().getState()).isEqualTo(state);
        }
        Event agentAdded = stream.next();
        assertThat(agentAdded.getType()).isEqualTo(Event.Type.AGENT_ADDED);
        assertThat(agentAdded.getAgentAdded().getAgent().getAgentInfo().getId().getValue())
            .isEqualTo(second.getValue());
        assertThat(agentAdded.getAgentAdded().getAgent().getTotalResourcesList()).isNotEmpty();
        Event agentRemoved = stream.next();
        assertThat(agentRemoved.getType()).isEqualTo(Event.Type.AGENT_REMOVED);
        assertThat(agentRemoved.getAgentRemoved().getAgentId().getValue()).isEqualTo(second.getValue());
        Event removed = stream.next();
        assertThat(removed.getType()).isEqualTo(Event.Type.FRAMEWORK_REMOVED);
        assertThat(removed.getFrameworkRemoved().getFrameworkInfo().getId().getValue())
            .isEqualTo(frameworkId.getValue());
        seen.add(stream == json ? "json" : "protobuf");
        assertThat(stream.buffered()).as("no other event on the " + seen).isZero();
      }

      assertThat(cluster.metric("master/operator_event_stream_subscribers")).isEqualTo(2.0);
      cluster.advance(Duration.ofSeconds(15));
      assertThat(json.nextAny().getType()).isEqualTo(Event.Type.HEARTBEAT);
      assertThat(protobuf.nextAny().getType()).isEqualTo(Event.Type.HEARTBEAT);
    }
  }

  /** A framework that fails over to a new scheduler is FRAMEWORK_UPDATED, connected again. */
  @Test
  void frameworkFailoverIsAnUpdate() throws Exception {
    try (FaultCluster cluster = FaultCluster.builder().build();
        OperatorEventStream stream = new OperatorEventStream(cluster, true)) {
      assertThat(stream.next().getType()).isEqualTo(Event.Type.SUBSCRIBED);
      RecordingScheduler scheduler = new RecordingScheduler();
      MesosSchedulerDriver driver = cluster.driver(scheduler,
          framework("failing-over", true).toBuilder().setFailoverTimeout(3600).build());
      driver.start();
      FrameworkID id = scheduler.registered().get(10, TimeUnit.SECONDS);
      assertThat(stream.next().getType()).isEqualTo(Event.Type.FRAMEWORK_ADDED);

      RecordingScheduler successor = new RecordingScheduler();
      MesosSchedulerDriver next = cluster.driver(successor,
          framework("failing-over", true).toBuilder().setFailoverTimeout(3600).setId(id).build());
      next.start();
      successor.registered().get(10, TimeUnit.SECONDS);

      Event updated = stream.next();
      assertThat(updated.getType()).isEqualTo(Event.Type.FRAMEWORK_UPDATED);
      assertThat(updated.getFrameworkUpdated().getFramework().getFrameworkInfo().getId().getValue())
          .isEqualTo(id.getValue());
      assertThat(updated.getFrameworkUpdated().getFramework().getConnected()).isTrue();
      assertThat(updated.getFrameworkUpdated().getFramework().getReregisteredTime().getNanoseconds())
          .isGreaterThanOrEqualTo(updated.getFrameworkUpdated().getFramework().getRegisteredTime().getNanoseconds());
      next.stop();
      driver.abort();
    }
  }
}
