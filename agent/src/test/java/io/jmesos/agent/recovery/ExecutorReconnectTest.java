package io.jmesos.agent.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.agent.executors.CommandExecutors;
import io.jmesos.agent.testing.AgentHarness;
import io.jmesos.internal.Messages.KillTaskMessage;
import io.jmesos.internal.Messages.ReregisterSlaveMessage;
import io.jmesos.internal.Messages.StatusUpdate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.mesos.Protos.CommandInfo;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.Task;
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
 * Mesos' {@code SlaveRecoveryTest} scenarios for HTTP executors: jmesos' JVM command executor, a real process on
 * the Java executor driver, outlives its agent, retries its subscription while the agent is down and re-subscribes
 * to the restarted one with its unacknowledged updates; one that died meanwhile is given up.
 */
@Timeout(120)
class ExecutorReconnectTest {
  static final Duration WAIT = Duration.ofSeconds(30);
  static final FrameworkInfo CHECKPOINTING = AgentHarness.FRAMEWORK.toBuilder().setCheckpoint(true).build();

  @TempDir
  Path workDir;
  AgentHarness h;

  @AfterEach
  void tearDown() {
    if (h != null) {
      h.close();
    }
  }

  void start() throws InterruptedException {
    h = new AgentHarness(workDir).start(Map.of("command_executor", "jvm"), CommandExecutors.defaultCommand());
    h.register();
  }

  static TaskInfo task(String id, String shell) {
    return TaskInfo.newBuilder().setName("task " + id).setTaskId(TaskID.newBuilder().setValue(id))
        .setSlaveId(AgentHarness.SLAVE_ID).setCommand(CommandInfo.newBuilder().setValue(shell)).build();
  }

  long running(String id) throws Exception {
    return running(id, "sleep 1000");
  }

  long running(String id, String shell) throws Exception {
    h.runTask(task(id, shell), CHECKPOINTING);
    h.acknowledge(h.awaitUpdate(id, TaskState.TASK_STARTING));
    h.acknowledge(h.awaitUpdate(id, TaskState.TASK_RUNNING));
    h.settle();
    Path runs = workDir.resolve("slaves/M1-S0/frameworks/M1-0000/executors/" + id + "/runs");
    Path run;
    try (Stream<Path> list = Files.list(runs)) {
      run = list.filter(p -> !Files.isSymbolicLink(p)).findFirst().orElseThrow();
    }
    Path pidFile = workDir.resolve("runtime/containers").resolve(run.getFileName()).resolve("pid");
    return Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
  }

  static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  @Test
  void reconnectExecutor() throws Exception {
    start();
    long pid = running("t1");
    h.agent.detach();
    // Down for longer than the executor's maximum backoff: it retries a few times (ReconnectExecutorRetry).
    Awaitility.await().pollDelay(Duration.ofSeconds(3)).atMost(WAIT).until(() -> alive(pid));

    h.restart(Map.of());
    ReregisterSlaveMessage reregister = h.reregister(1);
    assertThat(reregister.getSlave().getId()).isEqualTo(AgentHarness.SLAVE_ID);
    assertThat(reregister.getTasksList()).extracting(Task::getState).containsExactly(TaskState.TASK_RUNNING);
    assertThat(h.state().get("frameworks").get(0).get("executors").get(0).get("id").asText()).isEqualTo("t1");

    h.master.send(KillTaskMessage.newBuilder().setFrameworkId(AgentHarness.FRAMEWORK_ID)
        .setTaskId(TaskID.newBuilder().setValue("t1")).build());
    StatusUpdate killed = h.awaitUpdate("t1", TaskState.TASK_KILLED);
    assertThat(killed.getStatus().getSource()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
    h.acknowledge(killed);
    Awaitility.await().atMost(WAIT).until(() -> !alive(pid));
  }

  @Test
  void recoverTerminatedExecutor() throws Exception {
    start();
    long pid = running("t1");
    h.agent.detach();
    ProcessHandle root = ProcessHandle.of(pid).orElseThrow();
    List<ProcessHandle> tree = Stream.concat(Stream.of(root), root.descendants()).toList();
    tree.forEach(ProcessHandle::destroyForcibly);
    Awaitility.await().atMost(WAIT).until(() -> tree.stream().noneMatch(ProcessHandle::isAlive));

    h.restart(Map.of());
    h.reregister(1);
    StatusUpdate lost = h.awaitUpdate("t1", TaskState.TASK_LOST);
    assertThat(lost.getStatus().getSource()).isEqualTo(TaskStatus.Source.SOURCE_SLAVE);
    assertThat(lost.getStatus().getReason()).isEqualTo(TaskStatus.Reason.REASON_EXECUTOR_REREGISTRATION_TIMEOUT);
  }

  /**
   * The task ends while the agent is down: the executor keeps its TASK_FINISHED unacknowledged and brings it in
   * its re-subscription, and the agent forwards it (Mesos' unacknowledged_updates).
   */
  @Test
  void anUpdateSentWhileTheAgentIsDownArrivesWithTheResubscription() throws Exception {
    start();
    Path go = workDir.resolve("go");
    long pid = running("t1", "while [ ! -f " + go + " ]; do sleep 0.05; done; exit 0");
    List<ProcessHandle> tree = ProcessHandle.of(pid).orElseThrow().descendants().toList();
    ProcessHandle task = tree.stream().filter(p -> p.info().commandLine().map(c -> c.contains(go.toString()))
        .orElse(false)).findFirst().orElseThrow();
    h.agent.detach();
    Files.createFile(go);
    Awaitility.await().atMost(WAIT).until(() -> !task.isAlive());
    assertThat(h.updateCount("t1", TaskState.TASK_FINISHED)).isZero();

    h.restart(Map.of());
    h.reregister(1);
    StatusUpdate finished = h.awaitUpdate("t1", TaskState.TASK_FINISHED);
    assertThat(finished.getStatus().getSource()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
    h.acknowledge(finished);
    Awaitility.await().atMost(WAIT).until(() -> !alive(pid));
    assertThat(h.updateCount("t1", TaskState.TASK_FINISHED)).isEqualTo(1);
  }
}
