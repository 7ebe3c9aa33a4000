package io.jmesos.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jmesos.dist.LocalCluster;
import io.jmesos.master.testing.TestScheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

/**
 * A framework that speaks the v1 scheduler API directly over HTTP, in JSON and in protobuf, as third-party
 * Mesos clients do, against a real in-process cluster with real executor processes.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RawHttpFrameworkTest {
  private static final Set<TaskState> TERMINAL = EnumSet.of(TaskState.TASK_FINISHED, TaskState.TASK_FAILED,
      TaskState.TASK_KILLED, TaskState.TASK_LOST, TaskState.TASK_ERROR, TaskState.TASK_DROPPED, TaskState.TASK_GONE);
  private Path work;
  private LocalCluster cluster;

  @BeforeEach
  void start() throws Exception {
    work = Files.createTempDirectory(Files.createDirectories(Paths.get("target")), "raw-http-");
    cluster = LocalCluster.start("127.0.0.1", 0, 1, work, "cpus:2;mem:1024", Map.of());
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @ParameterizedTest(name = "json={0}")
  @ValueSource(booleans = {true, false})
  void commandTaskRunsToFinishedAndEveryUpdateIsAcknowledged(boolean json) throws Exception {
    try (TestScheduler scheduler = new TestScheduler(cluster.masterAddress(), json)) {
      // The agents switch to the framework's user (--switch_user): it must exist here.
      Event subscribed = scheduler.subscribe(
          TestScheduler.frameworkInfo().setUser(System.getProperty("user.name")).build());
      assertThat(subscribed.getType()).isEqualTo(Event.Type.SUBSCRIBED);
      assertThat(scheduler.streamId()).isNotBlank();

      Offer offer = scheduler.expect(Event.Type.OFFERS).getOffers().getOffers(0);
      String marker = json ? "raw-json-output" : "raw-protobuf-output";
      TaskInfo task = TaskInfo.newBuilder()
          .setName("raw")
          .setTaskId(TaskID.newBuilder().setValue("raw-task"))
          .setAgentId(offer.getAgentId())
          .addAllResources(offer.getResourcesList().stream()
              .filter(r -> r.getName().equals("cpus") || r.getName().equals("mem"))
              .map(r -> r.toBuilder().setScalar(r.getScalar().toBuilder()
                  .setValue(r.getName().equals("cpus") ? 0.1 : 32)).build())
              .collect(Collectors.toList()))
          .setCommand(CommandInfo.newBuilder().setValue("echo " + marker))
          .build();
      assertThat(scheduler.call(Call.newBuilder().setType(Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder()
          .addOfferIds(offer.getId())
          .addOperations(Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH)
              .setLaunch(Offer.Operation.Launch.newBuilder().addTaskInfos(task))))).status()).isEqualTo(202);

      List<TaskState> states = new ArrayList<>();
      TaskStatus status;
      do {
        status = scheduler.expect(Event.Type.UPDATE).getUpdate().getStatus();
        states.add(status.getState());
        assertThat(status.hasUuid()).as("agent updates carry a uuid").isTrue();
        assertThat(scheduler.call(Call.newBuilder().setType(Call.Type.ACKNOWLEDGE)
            .setAcknowledge(Call.Acknowledge.newBuilder().setAgentId(status.getAgentId())
                .setTaskId(status.getTaskId()).setUuid(status.getUuid()))).status()).isEqualTo(202);
      } while (!TERMINAL.contains(status.getState()));
      assertThat(states).as(status.getMessage())
          .containsSubsequence(TaskState.TASK_RUNNING, TaskState.TASK_FINISHED);

      Path stdout;
      try (Stream<Path> files = Files.walk(work)) {
        stdout = files.filter(p -> p.endsWith("stdout") && p.toString().contains("/executors/raw-task/runs/"))
            .findFirst().orElseThrow();
      }
      assertThat(Files.readString(stdout)).contains(marker);

      // Once its terminal update is acknowledged the master forgets the task; as in Mesos, explicit
      // reconciliation of a task the master no longer knows answers TASK_LOST (not partition-aware), with
      // no uuid, so nothing is to be acknowledged.
      scheduler.call(Call.newBuilder().setType(Call.Type.RECONCILE).setReconcile(Call.Reconcile.newBuilder()
          .addTasks(Call.Reconcile.Task.newBuilder().setTaskId(task.getTaskId()))));
      TaskStatus reconciled = scheduler.expect(Event.Type.UPDATE).getUpdate().getStatus();
      assertThat(reconciled.getState()).isEqualTo(TaskState.TASK_LOST);
      assertThat(reconciled.getReason()).isEqualTo(TaskStatus.Reason.REASON_RECONCILIATION);
      assertThat(reconciled.hasUuid()).isFalse();
    }
  }

  @ParameterizedTest(name = "json={0}")
  @ValueSource(booleans = {true, false})
  void launchOverTheOfferedResourcesIsATaskError(boolean json) throws Exception {
    try (TestScheduler scheduler = new TestScheduler(cluster.masterAddress(), json)) {
      scheduler.subscribe(TestScheduler.frameworkInfo().setUser(System.getProperty("user.name")).build());
      Offer offer = scheduler.expect(Event.Type.OFFERS).getOffers().getOffers(0);
      TaskInfo greedy = TaskInfo.newBuilder()
          .setName("greedy")
          .setTaskId(TaskID.newBuilder().setValue("greedy"))
          .setAgentId(offer.getAgentId())
          .addAllResources(offer.getResourcesList().stream()
              .filter(r -> r.getName().equals("cpus"))
              .map(r -> r.toBuilder().setScalar(r.getScalar().toBuilder().setValue(64)).build())
              .collect(Collectors.toList()))
          .setCommand(CommandInfo.newBuilder().setValue("true"))
          .build();
      scheduler.call(Call.newBuilder().setType(Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder()
          .addOfferIds(offer.getId())
          .addOperations(Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH)
              .setLaunch(Offer.Operation.Launch.newBuilder().addTaskInfos(greedy)))));
      TaskStatus status = scheduler.expect(Event.Type.UPDATE).getUpdate().getStatus();
      assertThat(status.getState()).isEqualTo(TaskState.TASK_ERROR);
      assertThat(status.getReason()).isEqualTo(TaskStatus.Reason.REASON_TASK_INVALID);
      assertThat(status.getMessage()).isNotBlank();
      // The master keeps serving: the resources come back in a new offer.
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        Event e = scheduler.poll(1000);
        return e != null && e.getType() == Event.Type.OFFERS;
      });
    }
  }
}
