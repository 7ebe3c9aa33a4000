package io.jmesos.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.jmesos.agent.testing.AgentHarness;
import io.jmesos.internal.Messages.ExitedExecutorMessage;
import io.jmesos.internal.Messages.KillTaskMessage;
import io.jmesos.internal.Messages.RunTaskGroupMessage;
import io.jmesos.internal.Messages.ShutdownExecutorMessage;
import io.jmesos.internal.Messages.StatusUpdate;
import io.jmesos.internal.Messages.StatusUpdateMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.mesos.Protos.CommandInfo;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.ExecutorInfo;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.HealthCheck;
import org.apache.mesos.Protos.TaskGroupInfo;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Task groups under the default executor ({@code ExecutorInfo.type == DEFAULT}), Mesos'
 * {@code default_executor_tests.cpp} scenarios: the agent is given a command executor argv that cannot work
 * ({@code /bin/false}), so every task that runs proves that the in-agent default executor ran it in a nested
 * container.
 */
@Timeout(90)
class DefaultExecutorTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final FrameworkInfo KILLING_FRAMEWORK = AgentHarness.FRAMEWORK.toBuilder()
      .addCapabilities(FrameworkInfo.Capability.newBuilder()
          .setType(FrameworkInfo.Capability.Type.TASK_KILLING_STATE))
      .build();
  private static final ExecutorInfo EXECUTOR = ExecutorInfo.newBuilder()
      .setType(ExecutorInfo.Type.DEFAULT)
      .setExecutorId(ExecutorID.newBuilder().setValue("default"))
      .setFrameworkId(AgentHarness.FRAMEWORK_ID)
      .build();

  @TempDir
  Path workDir;
  AgentHarness h;
  private final Set<ByteString> acknowledged = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void setUp() throws InterruptedException {
    h = new AgentHarness(workDir).start(Map.of(), List.of("/bin/false"));
    h.register();
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  private static TaskInfo task(String id, String shell) {
    return TaskInfo.newBuilder()
        .setName("task " + id)
        .setTaskId(TaskID.newBuilder().setValue(id))
        .setSlaveId(AgentHarness.SLAVE_ID)
        .setCommand(CommandInfo.newBuilder().setValue(shell))
        .build();
  }

  private void launchGroup(FrameworkInfo framework, TaskInfo... tasks) {
    h.master.send(RunTaskGroupMessage.newBuilder().setFramework(framework).setExecutor(EXECUTOR)
        .setTaskGroup(TaskGroupInfo.newBuilder().addAllTasks(List.of(tasks))).build());
  }

  private Path executorSandbox() throws Exception {
    Path runs = workDir.resolve("slaves/M1-S0/frameworks/M1-0000/executors/default/runs");
    Awaitility.await().atMost(WAIT).until(() -> Files.isDirectory(runs));
    try (Stream<Path> list = Files.list(runs)) {
      return list.filter(p -> !Files.isSymbolicLink(p)).findFirst().orElseThrow();
    }
  }

  /**
   * Waits for the task's update in that state, acknowledging (as the master does) each update of the task up to
   * it: the agent sends a task's next update once the previous one is acknowledged.
   */
  private StatusUpdate update(String taskId, TaskState state) {
    AtomicReference<StatusUpdate> found = new AtomicReference<>();
    Awaitility.await().atMost(WAIT).until(() -> {
      for (StatusUpdateMessage m : h.master.all(StatusUpdateMessage.getDefaultInstance())) {
        StatusUpdate u = m.getUpdate();
        if (u.getStatus().getTaskId().getValue().equals(taskId)) {
          if (acknowledged.add(u.getUuid())) {
            h.acknowledge(u);
          }
          if (u.getStatus().getState() == state) {
            found.set(u);
            return true;
          }
        }
      }
      return false;
    });
    return found.get();
  }

  /** Acknowledges every update so far, as the master does. */
  private void acknowledgeAll() {
    for (StatusUpdateMessage m : h.master.all(StatusUpdateMessage.getDefaultInstance())) {
      if (acknowledged.add(m.getUpdate().getUuid())) {
        h.acknowledge(m.getUpdate());
      }
    }
  }

  private ExitedExecutorMessage awaitExecutorExit() {
    return h.master.await(ExitedExecutorMessage.getDefaultInstance(), 1);
  }

  @Test
  void taskRunning() throws Exception {
    launchGroup(AgentHarness.FRAMEWORK, task("t1", "echo one; echo $MESOS_SANDBOX"), task("t2", "echo two"));

    for (String id : List.of("t1", "t2")) {
      StatusUpdate starting = update(id, TaskState.TASK_STARTING);
      assertThat(starting.getStatus().getSource()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
      assertThat(starting.getStatus().getExecutorId().getValue()).isEqualTo("default");
      update(id, TaskState.TASK_RUNNING);
      StatusUpdate finished = update(id, TaskState.TASK_FINISHED);
      assertThat(finished.getStatus().getMessage()).isEqualTo("Command exited with status 0");
    }
    // Both tasks done: the executor exits cleanly.
    ExitedExecutorMessage exited = awaitExecutorExit();
    assertThat(exited.getExecutorId().getValue()).isEqualTo("default");
    assertThat(exited.getStatus()).isZero();

    // Each task ran in its own sandbox under the executor's containers/, linked from tasks/<id>.
    Path sandbox = executorSandbox();
    Path t1 = sandbox.resolve("tasks/t1");
    Awaitility.await().atMost(WAIT).until(() -> Files.isSymbolicLink(t1));
    Path container = Files.readSymbolicLink(t1);
    assertThat(container.getParent()).isEqualTo(sandbox.resolve("containers"));
    assertThat(Files.readString(container.resolve("stdout"), StandardCharsets.UTF_8))
        .isEqualTo("one\n" + container + "\n");
    assertThat(Files.readString(sandbox.resolve("tasks/t2/stdout"), StandardCharsets.UTF_8)).isEqualTo("two\n");
  }

  @Test
  void killTaskGroupOnTaskFailure() {
    launchGroup(AgentHarness.FRAMEWORK, task("fails", "exit 1"), task("sleeps", "sleep 1000"));

    StatusUpdate failed = update("fails", TaskState.TASK_FAILED);
    assertThat(failed.getStatus().getMessage()).isEqualTo("Command exited with status 1");
    StatusUpdate killed = update("sleeps", TaskState.TASK_KILLED);
    assertThat(killed.getStatus().getSource()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
    assertThat(killed.getStatus().getMessage()).isEqualTo("Command terminated with signal Terminated");
    assertThat(awaitExecutorExit().getStatus()).isZero();
    assertThat(h.updateCount("sleeps", TaskState.TASK_FINISHED)).isZero();
  }

  @Test
  void killTask() {
    launchGroup(KILLING_FRAMEWORK, task("a", "sleep 1000"), task("b", "sleep 1000"));
    update("a", TaskState.TASK_RUNNING);
    update("b", TaskState.TASK_RUNNING);

    h.master.send(KillTaskMessage.newBuilder().setFrameworkId(AgentHarness.FRAMEWORK_ID)
        .setTaskId(TaskID.newBuilder().setValue("a")).build());

    update("a", TaskState.TASK_KILLING);
    update("a", TaskState.TASK_KILLED);
    // Mesos' default restart policy: the rest of the group is killed too.
    update("b", TaskState.TASK_KILLED);
    assertThat(awaitExecutorExit().getStatus()).isZero();
  }

  @Test
  void secondTaskGroupRunsInTheSameExecutor() throws Exception {
    launchGroup(AgentHarness.FRAMEWORK, task("first", "sleep 1000"));
    update("first", TaskState.TASK_RUNNING);
    Path sandbox = executorSandbox();

    launchGroup(AgentHarness.FRAMEWORK, task("second", "echo second"));

    update("second", TaskState.TASK_FINISHED);
    assertThat(Files.readString(sandbox.resolve("tasks/second/stdout"), StandardCharsets.UTF_8))
        .isEqualTo("second\n");
    // One executor for both groups: the first task still runs, the executor has not exited.
    h.settle();
    assertThat(h.master.all(ExitedExecutorMessage.getDefaultInstance())).isEmpty();
    assertThat(h.updateCount("first", TaskState.TASK_KILLED)).isZero();

    h.master.send(ShutdownExecutorMessage.newBuilder().setFrameworkId(AgentHarness.FRAMEWORK_ID)
        .setExecutorId(EXECUTOR.getExecutorId()).build());
    update("first", TaskState.TASK_KILLED);
    assertThat(awaitExecutorExit().getStatus()).isZero();
  }

  @Test
  void commitSuicideOnTaskFailureWhenAllTasksEnd() {
    launchGroup(AgentHarness.FRAMEWORK, task("only", "exit 3"));

    StatusUpdate failed = update("only", TaskState.TASK_FAILED);
    assertThat(failed.getStatus().getMessage()).isEqualTo("Command exited with status 3");
    assertThat(awaitExecutorExit().getStatus()).isZero();
  }

  @Test
  void launchFailureFailsTheTask() {
    TaskInfo missing = task("fetches", "true").toBuilder()
        .setCommand(CommandInfo.newBuilder().setValue("true")
            .addUris(CommandInfo.URI.newBuilder().setValue(workDir.resolve("no-such-file").toString())))
        .build();
    launchGroup(AgentHarness.FRAMEWORK, missing);

    StatusUpdate failed = update("fetches", TaskState.TASK_FAILED);
    assertThat(failed.getStatus().getMessage()).startsWith("Failed to fetch all URIs for container");
    assertThat(h.updateCount("fetches", TaskState.TASK_RUNNING)).isZero();
    assertThat(awaitExecutorExit().getStatus()).isZero();
  }

  @Test
  void sigkillExecutor() throws Exception {
    launchGroup(AgentHarness.FRAMEWORK, task("a", "sleep 1234567"), task("b", "sleep 1234567"));
    update("a", TaskState.TASK_RUNNING);
    update("b", TaskState.TASK_RUNNING);
    assertThat(sleepers()).isEqualTo(2);

    ProcessHandle.of(executorPid()).orElseThrow().destroyForcibly();

    // The executor died, and its tasks' containers with it: the agent reports the tasks, as for any executor.
    for (String id : List.of("a", "b")) {
      StatusUpdate failed = update(id, TaskState.TASK_FAILED);
      assertThat(failed.getStatus().getSource()).isEqualTo(TaskStatus.Source.SOURCE_SLAVE);
      assertThat(failed.getStatus().getReason()).isEqualTo(TaskStatus.Reason.REASON_EXECUTOR_TERMINATED);
    }
    Awaitility.await().atMost(WAIT).until(() -> sleepers() == 0);
    assertThat(awaitExecutorExit().getStatus()).isEqualTo(9);
  }

  @Test
  void unhealthyTaskIsKilledWithItsGroup() {
    TaskInfo sick = task("sick", "sleep 120").toBuilder().setHealthCheck(HealthCheck.newBuilder()
        .setType(HealthCheck.Type.COMMAND).setCommand(CommandInfo.newBuilder().setValue("test -f healthy"))
        .setDelaySeconds(0).setIntervalSeconds(1).setGracePeriodSeconds(0).setConsecutiveFailures(2)).build();
    launchGroup(AgentHarness.FRAMEWORK, sick, task("sibling", "sleep 120"));
    update("sick", TaskState.TASK_RUNNING);
    update("sibling", TaskState.TASK_RUNNING);

    // The health check runs on the agent's clock, in the task's sandbox (where no file "healthy" is).
    Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
      acknowledgeAll();
      h.clock.advance(Duration.ofSeconds(1));
      return h.updateCount("sick", TaskState.TASK_KILLED) > 0;
    });
    StatusUpdate killed = update("sick", TaskState.TASK_KILLED);
    assertThat(killed.getStatus().hasHealthy()).isTrue();
    assertThat(killed.getStatus().getHealthy()).isFalse();
    assertThat(h.master.all(StatusUpdateMessage.getDefaultInstance()).stream().map(m -> m.getUpdate().getStatus())
        .filter(st -> st.getTaskId().getValue().equals("sick")
            && st.getReason() == TaskStatus.Reason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED)
        .map(TaskStatus::getHealthy).distinct()).containsExactly(false);
    // Mesos' executor-wide verdict: the sibling's terminal update says unhealthy too.
    assertThat(update("sibling", TaskState.TASK_KILLED).getStatus().getHealthy()).isFalse();
  }

  private static long sleepers() {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.endsWith("/sleep 1234567")).orElse(false)).count();
  }

  /** The pid of the default executor's container (its placeholder), from the operator API. */
  private long executorPid() throws Exception {
    org.apache.mesos.v1.agent.Protos.Call call = org.apache.mesos.v1.agent.Protos.Call.newBuilder()
        .setType(org.apache.mesos.v1.agent.Protos.Call.Type.GET_CONTAINERS).build();
    io.jmesos.http.HttpResponse response = h.http.request(h.agent.address(), "POST", "/api/v1",
        new java.util.HashMap<>(Map.of("Content-Type", "application/x-protobuf", "Accept", "application/x-protobuf")),
        call.toByteArray()).get(10, java.util.concurrent.TimeUnit.SECONDS);
    return org.apache.mesos.v1.agent.Protos.Response.parseFrom(response.body()).getGetContainers()
        .getContainers(0).getContainerStatus().getExecutorPid();
  }
}
