package io.jmesos.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.agent.testing.AgentHarness;
import io.jmesos.internal.Messages.ExitedExecutorMessage;
import io.jmesos.internal.Messages.KillTaskMessage;
import io.jmesos.internal.Messages.ShutdownExecutorMessage;
import io.jmesos.internal.Messages.StatusUpdate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.mesos.Protos.CommandInfo;
import org.apache.mesos.Protos.DurationInfo;
import org.apache.mesos.Protos.Environment;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.KillPolicy;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Command tasks under {@code --command_executor=embedded}: the task's command is the container's process and
 * the agent plays the command executor. The agent is given a command executor argv that cannot work
 * ({@code /bin/false}), so every task that gets anywhere proves that no executor was started.
 */
@Timeout(90)
class EmbeddedCommandExecutorTaskTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final FrameworkInfo KILLING_FRAMEWORK = AgentHarness.FRAMEWORK.toBuilder()
      .addCapabilities(FrameworkInfo.Capability.newBuilder()
          .setType(FrameworkInfo.Capability.Type.TASK_KILLING_STATE))
      .build();

  @TempDir
  Path workDir;
  AgentHarness h;

  @AfterEach
  void tearDown() {
    if (h != null) {
      h.close();
    }
  }

  private void start() throws InterruptedException {
    h = new AgentHarness(workDir).start(Map.of("command_executor", "embedded"), List.of("/bin/false"));
    h.register();
  }

  private static TaskInfo task(String id, String shell) {
    return TaskInfo.newBuilder()
        .setName("task " + id)
        .setTaskId(TaskID.newBuilder().setValue(id))
        .setSlaveId(AgentHarness.SLAVE_ID)
        .setCommand(CommandInfo.newBuilder().setValue(shell))
        .build();
  }

  private Path sandbox(String executorId) throws Exception {
    Path runs = workDir.resolve("slaves/M1-S0/frameworks/M1-0000/executors/" + executorId + "/runs");
    Awaitility.await().atMost(WAIT).until(() -> Files.isDirectory(runs));
    try (Stream<Path> list = Files.list(runs)) {
      return list.filter(p -> !Files.isSymbolicLink(p)).findFirst().orElseThrow();
    }
  }

  private static String read(Path file) throws Exception {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  private static boolean running(String commandLineEnd) {
    return ProcessHandle.allProcesses()
        .anyMatch(p -> p.info().commandLine().map(c -> c.endsWith(commandLineEnd)).orElse(false));
  }

  private void kill(String taskId, KillPolicy policy) {
    KillTaskMessage.Builder kill = KillTaskMessage.newBuilder().setFrameworkId(AgentHarness.FRAMEWORK_ID)
        .setTaskId(TaskID.newBuilder().setValue(taskId));
    if (policy != null) {
      kill.setKillPolicy(policy);
    }
    h.master.send(kill.build());
  }

  private static KillPolicy grace(long seconds) {
    return KillPolicy.newBuilder().setGracePeriod(DurationInfo.newBuilder().setNanoseconds(seconds * 1_000_000_000L))
        .build();
  }

  @Test
  void aCommandTaskFinishesWithItsOutputAndEnvironmentInTheSandbox() throws Exception {
    start();
    String shell = "echo hello; echo \"task=$MESOS_TASK_ID sandbox=$MESOS_SANDBOX pwd=$(pwd) "
        + "color=$COLOR framework=$MESOS_FRAMEWORK_ID\"; echo oops >&2";
    h.runTask(task("echo-1", shell).toBuilder()
        .setCommand(CommandInfo.newBuilder()
            .setValue(shell)
            .setEnvironment(Environment.newBuilder().addVariables(
                Environment.Variable.newBuilder().setName("COLOR").setValue("blue"))))
        .build());

    StatusUpdate starting = h.awaitUpdate("echo-1", TaskState.TASK_STARTING);
    assertThat(starting.getStatus().getSource()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
    assertThat(starting.getStatus().getExecutorId().getValue()).isEqualTo("echo-1");
    assertThat(starting.getExecutorId().getValue()).isEqualTo("echo-1");
    assertThat(starting.getUuid().size()).isEqualTo(16);
    h.acknowledge(starting);
    StatusUpdate running = h.awaitUpdate("echo-1", TaskState.TASK_RUNNING);
    assertThat(running.getStatus().getSource()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
    assertThat(running.getUuid()).isNotEqualTo(starting.getUuid());
    h.acknowledge(running);
    StatusUpdate finished = h.awaitUpdate("echo-1", TaskState.TASK_FINISHED);
    assertThat(finished.getStatus().getSource()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
    assertThat(finished.getStatus().getMessage()).isEqualTo("Command exited with status 0");
    h.acknowledge(finished);

    Path run = sandbox("echo-1");
    String stdout = read(run.resolve("stdout"));
    assertThat(stdout).startsWith("hello\n")
        .contains("task=echo-1 sandbox=" + run + " pwd=" + run + " color=blue framework=M1-0000");
    assertThat(read(run.resolve("stderr"))).contains("oops");
    Awaitility.await().atMost(WAIT).until(() -> h.state().get("completed_frameworks").size() == 1);
    assertThat(h.state().get("completed_frameworks").get(0).get("completed_executors").get(0)
        .get("completed_tasks").get(0).get("state").asText()).isEqualTo("TASK_FINISHED");
    h.flushToMaster();
    assertThat(h.master.count(ExitedExecutorMessage.getDefaultInstance())).isZero();
    assertThat(h.updateCount("echo-1", TaskState.TASK_FAILED)).isZero();
    assertThat(h.metrics().get("slave/tasks_finished").asInt()).isEqualTo(1);
  }

  @Test
  void aCommandRunWithoutAShellGetsItsArguments() throws Exception {
    start();
    h.runTask(task("argv-1", "").toBuilder()
        .setCommand(CommandInfo.newBuilder().setShell(false).setValue("/bin/echo")
            .addArguments("echo").addArguments("one").addArguments("two words"))
        .build());
    h.acknowledge(h.awaitUpdate("argv-1", TaskState.TASK_STARTING));
    h.acknowledge(h.awaitUpdate("argv-1", TaskState.TASK_RUNNING));
    h.acknowledge(h.awaitUpdate("argv-1", TaskState.TASK_FINISHED));
    assertThat(read(sandbox("argv-1").resolve("stdout"))).isEqualTo("one two words\n");
  }

  @Test
  void aNonZeroExitFailsTheTaskWithTheCommandExecutorsMessage() throws Exception {
    start();
    h.runTask(task("exit-3", "exit 3"));
    h.acknowledge(h.awaitUpdate("exit-3", TaskState.TASK_STARTING));
    h.acknowledge(h.awaitUpdate("exit-3", TaskState.TASK_RUNNING));
    StatusUpdate failed = h.awaitUpdate("exit-3", TaskState.TASK_FAILED);
    assertThat(failed.getStatus().getMessage()).isEqualTo("Command exited with status 3");
    assertThat(failed.getStatus().getSource()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
    assertThat(failed.getStatus().hasReason()).isFalse();
    h.acknowledge(failed);
    Awaitility.await().atMost(WAIT).until(() -> h.state().get("completed_frameworks").size() == 1);
    h.flushToMaster();
    assertThat(h.updateCount("exit-3", TaskState.TASK_FAILED)).isEqualTo(1);
    assertThat(h.updateCount("exit-3", TaskState.TASK_LOST)).isZero();
  }

  @Test
  void aKilledTaskGoesThroughKillingToKilledAndLeavesNoProcess() throws Exception {
    start();
    h.runTask(task("sleepy", "sleep 1001"), KILLING_FRAMEWORK);
    h.acknowledge(h.awaitUpdate("sleepy", TaskState.TASK_STARTING));
    h.acknowledge(h.awaitUpdate("sleepy", TaskState.TASK_RUNNING));
    Awaitility.await().atMost(WAIT).until(() -> running("sleep 1001"));

    kill("sleepy", null);
    StatusUpdate killing = h.awaitUpdate("sleepy", TaskState.TASK_KILLING);
    assertThat(killing.getStatus().getSource()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
    h.acknowledge(killing);
    StatusUpdate killed = h.awaitUpdate("sleepy", TaskState.TASK_KILLED);
    assertThat(killed.getStatus().getMessage()).isEqualTo("Command terminated with signal Terminated");
    assertThat(killed.getStatus().getSource()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
    h.acknowledge(killed);
    Awaitility.await().atMost(WAIT).until(() -> !running("sleep 1001"));
    Awaitility.await().atMost(WAIT).until(() -> h.state().get("completed_frameworks").size() == 1);
    assertThat(h.metrics().get("slave/tasks_killed").asInt()).isEqualTo(1);
  }

  @Test
  void aTaskIgnoringSigtermIsKilledOnceTheKillsGracePeriodIsOverOnTheAgentsClock() throws Exception {
    start();
    // The task notes each SIGTERM and carries on; its own policy (1 s) is overridden by the kill's (20 s).
    h.runTask(task("stubborn", "trap 'echo got-term' TERM; while :; do sleep 1; done").toBuilder()
        .setKillPolicy(grace(1)).build());
    h.acknowledge(h.awaitUpdate("stubborn", TaskState.TASK_STARTING));
    h.acknowledge(h.awaitUpdate("stubborn", TaskState.TASK_RUNNING));
    Path stdout = sandbox("stubborn").resolve("stdout");

    kill("stubborn", grace(20));
    Awaitility.await().atMost(WAIT).until(() -> read(stdout).contains("got-term"));
    h.clock.advance(Duration.ofSeconds(19));
    h.settle();
    h.flushToMaster();
    // No TASK_KILLING without the capability, and nothing terminal before the grace period is over.
    assertThat(h.updateCount("stubborn", TaskState.TASK_KILLING)).isZero();
    assertThat(h.updateCount("stubborn", TaskState.TASK_KILLED)).isZero();
    assertThat(running("while :; do sleep 1; done")).isTrue();

    h.clock.advance(Duration.ofSeconds(1));
    StatusUpdate killed = h.awaitUpdate("stubborn", TaskState.TASK_KILLED);
    assertThat(killed.getStatus().getMessage()).isEqualTo("Command terminated with signal Killed");
    h.acknowledge(killed);
    Awaitility.await().atMost(WAIT).until(() -> !running("while :; do sleep 1; done"));
  }

  @Test
  void shuttingTheExecutorDownKillsItsTaskWithinTheShutdownGracePeriod() throws Exception {
    start();
    h.runTask(task("stubborn", "trap 'echo got-term' TERM; while :; do sleep 1; done"));
    h.acknowledge(h.awaitUpdate("stubborn", TaskState.TASK_STARTING));
    h.acknowledge(h.awaitUpdate("stubborn", TaskState.TASK_RUNNING));
    Path stdout = sandbox("stubborn").resolve("stdout");

    h.master.send(ShutdownExecutorMessage.newBuilder().setFrameworkId(AgentHarness.FRAMEWORK_ID)
        .setExecutorId(ExecutorID.newBuilder().setValue("stubborn")).build());
    Awaitility.await().atMost(WAIT).until(() -> read(stdout).contains("got-term"));
    h.settle();
    h.flushToMaster();
    assertThat(h.updateCount("stubborn", TaskState.TASK_KILLED)).isZero();
    // The kill grace period (3 s by default) is shorter than the executor shutdown grace period (5 s).
    h.clock.advance(Duration.ofSeconds(3));
    StatusUpdate killed = h.awaitUpdate("stubborn", TaskState.TASK_KILLED);
    assertThat(killed.getStatus().getMessage()).isEqualTo("Command terminated with signal Killed");
    assertThat(killed.getStatus().getSource()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
    Awaitility.await().atMost(WAIT).until(() -> !running("while :; do sleep 1; done"));
  }

  @Test
  void updatesAreRetriedUntilAcknowledged() throws Exception {
    start();
    h.runTask(task("retried", "exit 0"));
    StatusUpdate starting = h.awaitUpdate("retried", TaskState.TASK_STARTING);
    h.settle();
    h.clock.advance(Duration.ofSeconds(10));
    Awaitility.await().atMost(WAIT).until(() -> h.updateCount("retried", TaskState.TASK_STARTING) == 2);
    List<StatusUpdate> resent = h.master.all(io.jmesos.internal.Messages.StatusUpdateMessage.getDefaultInstance())
        .stream().map(m -> m.getUpdate()).filter(u -> u.getStatus().getState() == TaskState.TASK_STARTING).toList();
    assertThat(resent).allMatch(u -> u.getUuid().equals(starting.getUuid()));
    // Updates of a task go out one at a time: RUNNING only after STARTING was acknowledged.
    assertThat(h.updateCount("retried", TaskState.TASK_RUNNING)).isZero();
    h.acknowledge(starting);
    h.acknowledge(h.awaitUpdate("retried", TaskState.TASK_RUNNING));
    StatusUpdate finished = h.awaitUpdate("retried", TaskState.TASK_FINISHED);
    // The executor "exited" with its terminal update unacknowledged: the executor waits for it.
    h.settle();
    h.clock.advance(Duration.ofSeconds(10));
    Awaitility.await().atMost(WAIT).until(() -> h.updateCount("retried", TaskState.TASK_FINISHED) == 2);
    assertThat(h.state().get("frameworks").get(0).get("executors").size()).isEqualTo(1);
    h.acknowledge(finished);
    Awaitility.await().atMost(WAIT).until(() -> h.state().get("completed_frameworks").size() == 1);
  }
}
