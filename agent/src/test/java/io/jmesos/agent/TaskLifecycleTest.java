package io.jmesos.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jmesos.agent.testing.AgentHarness;
import io.jmesos.internal.Messages.ExitedExecutorMessage;
import io.jmesos.internal.Messages.KillTaskMessage;
import io.jmesos.internal.Messages.ShutdownExecutorMessage;
import io.jmesos.internal.Messages.StatusUpdate;
import io.jmesos.internal.Messages.StatusUpdateMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Tasks run by real executor processes: launch, updates, retries, kills, exits and timeouts. */
@Timeout(90)
class TaskLifecycleTest {
  @TempDir
  Path workDir;
  AgentHarness h;

  @BeforeEach
  void setUp() throws InterruptedException {
    h = new AgentHarness(workDir).start();
    h.register();
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  @Test
  void commandTaskRunsInItsSandboxToFinishedAndCompletesOnAck() throws Exception {
    h.runTask(AgentHarness.commandTask("t1", "finish"));
    StatusUpdate running = h.awaitUpdate("t1", TaskState.TASK_RUNNING);
    assertThat(running.getSlaveId()).isEqualTo(AgentHarness.SLAVE_ID);
    assertThat(running.getStatus().getSource()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
    assertThat(running.getUuid()).isEqualTo(running.getStatus().getUuid());
    h.acknowledge(running);
    StatusUpdate finished = h.awaitUpdate("t1", TaskState.TASK_FINISHED);
    h.acknowledge(finished);

    Path executorDir = workDir.resolve("slaves/M1-S0/frameworks/M1-0000/executors/t1/runs");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Files.isDirectory(executorDir));
    Path run;
    try (Stream<Path> runs = Files.list(executorDir)) {
      run = runs.filter(p -> !Files.isSymbolicLink(p)).findFirst().orElseThrow();
    }
    assertThat(run.getFileName().toString()).matches("[0-9a-f-]{36}");
    assertThat(Files.readSymbolicLink(executorDir.resolve("latest"))).as("Mesos' runs/latest link")
        .isEqualTo(run.getFileName());
    Path stdout = run.resolve("stdout");
    assertThat(run.resolve("stderr")).exists();
    Awaitility.await().atMost(Duration.ofSeconds(20))
        .until(() -> Files.readString(stdout, StandardCharsets.UTF_8).contains("test executor exiting"));
    String out = Files.readString(stdout, StandardCharsets.UTF_8);
    assertThat(out).contains("test executor starting in " + run).contains("MESOS_SLAVE_ID=M1-S0")
        .contains("MESOS_EXECUTOR_ID=t1");

    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> h.state().get("completed_frameworks").size() == 1);
    h.flushToMaster();
    assertThat(h.master.count(ExitedExecutorMessage.getDefaultInstance()))
        .as("the master never hears of the executors the agent makes up for command tasks").isZero();
    JsonNode executor = h.state().get("completed_frameworks").get(0).get("completed_executors").get(0);
    assertThat(executor.get("id").asText()).isEqualTo("t1");
    assertThat(executor.get("directory").asText()).isEqualTo(run.toString());
    assertThat(executor.get("container").asText()).isEqualTo(run.getFileName().toString());
    assertThat(executor.get("completed_tasks").get(0).get("state").asText()).isEqualTo("TASK_FINISHED");
    JsonNode metrics = h.metrics();
    assertThat(metrics.get("slave/tasks_finished").asDouble()).isEqualTo(1.0);
    assertThat(metrics.get("slave/valid_status_updates").asDouble()).isEqualTo(2.0);
    assertThat(metrics.get("slave/executors_terminated").asDouble()).isEqualTo(1.0);
  }

  @Test
  void statusUpdatesAreRetriedUntilAcknowledgedAndStayInOrder() {
    h.runTask(AgentHarness.commandTask("t2", "finish"));
    StatusUpdate running = h.awaitUpdate("t2", TaskState.TASK_RUNNING);
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> h.metrics()
        .get("slave/valid_status_updates").asDouble() == 2.0);
    h.settle();
    assertThat(h.updateCount("t2", TaskState.TASK_FINISHED)).isZero();
    // The forwarded RUNNING already says where the task is now.
    assertThat(h.master.all(StatusUpdateMessage.getDefaultInstance()).get(0).getUpdate().getLatestState())
        .isIn(TaskState.TASK_RUNNING, TaskState.TASK_FINISHED);

    h.clock.advance(Duration.ofSeconds(10));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> h.updateCount("t2", TaskState.TASK_RUNNING) == 2);
    h.settle();
    h.clock.advance(Duration.ofSeconds(10));
    h.settle();
    assertThat(h.updateCount("t2", TaskState.TASK_RUNNING)).as("second retry waits 20s").isEqualTo(2);
    h.clock.advance(Duration.ofSeconds(10));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> h.updateCount("t2", TaskState.TASK_RUNNING) == 3);
    assertThat(h.master.all(StatusUpdateMessage.getDefaultInstance()))
        .allMatch(m -> m.getUpdate().getUuid().equals(running.getUuid()));
    assertThat(h.updateCount("t2", TaskState.TASK_FINISHED)).isZero();

    h.acknowledge(running);
    StatusUpdate finished = h.awaitUpdate("t2", TaskState.TASK_FINISHED);
    assertThat(finished.getLatestState()).isEqualTo(TaskState.TASK_FINISHED);
    h.acknowledge(finished);
    h.settle();
    h.clock.advance(Duration.ofMinutes(20));
    h.settle();
    assertThat(h.updateCount("t2", TaskState.TASK_FINISHED)).isEqualTo(1);
    assertThat(h.updateCount("t2", TaskState.TASK_RUNNING)).isEqualTo(3);
  }

  @Test
  void killTaskSendsKillToTheExecutor() {
    h.runTask(AgentHarness.commandTask("t3", "hang"));
    h.acknowledge(h.awaitUpdate("t3", TaskState.TASK_RUNNING));
    h.master.send(KillTaskMessage.newBuilder().setFrameworkId(AgentHarness.FRAMEWORK_ID)
        .setTaskId(TaskID.newBuilder().setValue("t3")).build());
    StatusUpdate killed = h.awaitUpdate("t3", TaskState.TASK_KILLED);
    assertThat(killed.getStatus().getSource()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
    h.acknowledge(killed);
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> h.metrics().get("slave/tasks_killed").asDouble() == 1.0);
    awaitExecutorsTerminated(1);
  }

  @Test
  void killBeforeTheExecutorSubscribesKillsTheTaskAndTheExecutor() {
    h.runTask(AgentHarness.customExecutorTask("t4", "e4", "sleep 30"));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> queuedTasks().size() == 1);
    h.master.send(KillTaskMessage.newBuilder().setFrameworkId(AgentHarness.FRAMEWORK_ID)
        .setTaskId(TaskID.newBuilder().setValue("t4")).build());
    StatusUpdate killed = h.awaitUpdate("t4", TaskState.TASK_KILLED);
    assertThat(killed.getStatus().getReason()).isEqualTo(TaskStatus.Reason.REASON_TASK_KILLED_DURING_LAUNCH);
    assertThat(killed.getStatus().getSource()).isEqualTo(TaskStatus.Source.SOURCE_SLAVE);
    ExitedExecutorMessage exited = h.master.await(ExitedExecutorMessage.getDefaultInstance(), 1);
    assertThat(exited.getExecutorId().getValue()).isEqualTo("e4");
    assertThat(h.updateCount("t4", TaskState.TASK_FAILED)).isZero();
  }

  @Test
  void executorThatDoesNotSubscribeInTimeIsDestroyedAndItsTasksFail() {
    h.runTask(AgentHarness.customExecutorTask("t5", "e5", "sleep 30"));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> queuedTasks().size() == 1);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> executorPid("e5") > 0);
    h.clock.advance(Duration.ofSeconds(59));
    h.settle();
    assertThat(h.updateCount("t5", TaskState.TASK_FAILED)).isZero();
    h.clock.advance(Duration.ofSeconds(1));
    StatusUpdate failed = h.awaitUpdate("t5", TaskState.TASK_FAILED);
    assertThat(failed.getStatus().getReason()).isEqualTo(TaskStatus.Reason.REASON_EXECUTOR_REGISTRATION_TIMEOUT);
    assertThat(failed.getStatus().getMessage()).isEqualTo("Executor did not register within 1mins");
    assertThat(failed.getExecutorId()).isEqualTo(ExecutorID.newBuilder().setValue("e5").build());
    ExitedExecutorMessage exited = h.master.await(ExitedExecutorMessage.getDefaultInstance(), 1);
    assertThat(exited.getStatus()).as("killed by SIGKILL").isEqualTo(9);
  }

  @Test
  void executorExitFailsItsTasksAndIsReportedToTheMaster() {
    h.runTask(AgentHarness.customExecutorTask("t6", "e6", "echo bye; exit 3"));
    StatusUpdate failed = h.awaitUpdate("t6", TaskState.TASK_FAILED);
    assertThat(failed.getStatus().getReason()).isEqualTo(TaskStatus.Reason.REASON_EXECUTOR_TERMINATED);
    assertThat(failed.getStatus().getMessage()).isEqualTo("Abnormal executor termination");
    assertThat(failed.getStatus().getSource()).isEqualTo(TaskStatus.Source.SOURCE_SLAVE);
    ExitedExecutorMessage exited = h.master.await(ExitedExecutorMessage.getDefaultInstance(), 1);
    assertThat(exited.getExecutorId().getValue()).isEqualTo("e6");
    assertThat(exited.getStatus()).as("wait status of exit 3").isEqualTo(3 << 8);
    h.acknowledge(failed);
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> h.state().get("completed_frameworks").size() == 1);
    assertThat(h.metrics().get("slave/tasks_failed").asDouble()).isEqualTo(1.0);
  }

  @Test
  void runningExecutorThatExitsFailsItsLaunchedTask() {
    h.runTask(AgentHarness.commandTask("t7", "exit3"));
    // The agent's TASK_FAILED waits in the task's stream behind the unacknowledged TASK_RUNNING.
    StatusUpdate running = h.awaitUpdate("t7", TaskState.TASK_RUNNING);
    awaitExecutorsTerminated(1);
    h.settle();
    assertThat(h.updateCount("t7", TaskState.TASK_FAILED)).isZero();
    h.acknowledge(running);
    StatusUpdate failed = h.awaitUpdate("t7", TaskState.TASK_FAILED);
    assertThat(failed.getStatus().getReason()).isEqualTo(TaskStatus.Reason.REASON_EXECUTOR_TERMINATED);
    assertThat(failed.getStatus().getMessage()).isEqualTo("Abnormal executor termination");
  }

  @Test
  void shutdownExecutorSendsShutdownAndTheExecutorExits() {
    h.runTask(AgentHarness.commandTask("t8", "hang"));
    h.acknowledge(h.awaitUpdate("t8", TaskState.TASK_RUNNING));
    h.master.send(ShutdownExecutorMessage.newBuilder().setFrameworkId(AgentHarness.FRAMEWORK_ID)
        .setExecutorId(ExecutorID.newBuilder().setValue("t8")).build());
    awaitExecutorsTerminated(1);
    StatusUpdate failed = h.awaitUpdate("t8", TaskState.TASK_FAILED);
    assertThat(failed.getStatus().getReason()).isEqualTo(TaskStatus.Reason.REASON_EXECUTOR_TERMINATED);
  }

  private void awaitExecutorsTerminated(int n) {
    Awaitility.await().atMost(Duration.ofSeconds(20))
        .until(() -> h.metrics().get("slave/executors_terminated").asDouble() == n);
  }

  private JsonNode queuedTasks() {
    JsonNode frameworks = h.state().get("frameworks");
    if (frameworks.size() == 0 || frameworks.get(0).get("executors").size() == 0) {
      return h.state().get("frameworks");
    }
    return frameworks.get(0).get("executors").get(0).get("queued_tasks");
  }

  private long executorPid(String executorId) {
    try (Stream<ProcessHandle> children = ProcessHandle.current().descendants()) {
      return children.filter(p -> p.info().commandLine().orElse("").contains("sleep 30"))
          .mapToLong(ProcessHandle::pid).findFirst().orElse(-1);
    }
  }
}
