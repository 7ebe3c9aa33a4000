package io.jmesos.agent.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jmesos.agent.checkpoint.MetaPaths;
import io.jmesos.agent.checkpoint.RecoveredState;
import io.jmesos.agent.checkpoint.SlaveCheckpoint;
import io.jmesos.agent.testing.AgentHarness;
import io.jmesos.http.HttpResponse;
import io.jmesos.internal.Messages.KillTaskMessage;
import io.jmesos.internal.Messages.ReregisterSlaveMessage;
import io.jmesos.internal.Messages.StatusUpdate;
import io.jmesos.internal.Messages.StatusUpdateMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * Mesos' {@code SlaveRecoveryTest} scenarios for command tasks under the embedded command executor: a real agent
 * on a real work directory, real processes, stopped with {@link io.jmesos.agent.Agent#detach()} (what SIGTERM
 * does) and started again on the same work directory and port, against a fake master that answers
 * (re-)registrations.
 */
@Timeout(120)
class SlaveRecoveryTest {
  static final Duration WAIT = Duration.ofSeconds(20);
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
    h = new AgentHarness(workDir).start(Map.of("command_executor", "embedded"), List.of("/bin/false"));
    h.register();
  }

  static TaskInfo task(String id, String shell) {
    return TaskInfo.newBuilder().setName("task " + id).setTaskId(TaskID.newBuilder().setValue(id))
        .setSlaveId(AgentHarness.SLAVE_ID).setCommand(CommandInfo.newBuilder().setValue(shell)).build();
  }

  /** Runs a task and acknowledges its updates up to TASK_RUNNING; returns the pid of its command. */
  long running(String id, String shell, FrameworkInfo framework) throws Exception {
    h.runTask(task(id, shell), framework);
    h.acknowledge(h.awaitUpdate(id, TaskState.TASK_STARTING));
    h.acknowledge(h.awaitUpdate(id, TaskState.TASK_RUNNING));
    h.settle();
    return pidOf(id);
  }

  /** The pid of the executor's container's first process, from the containerizer's runtime checkpoint. */
  long pidOf(String executorId) throws Exception {
    Path pidFile = workDir.resolve("runtime/containers").resolve(runDir(executorId).getFileName()).resolve("pid");
    Awaitility.await().atMost(WAIT).until(() -> Files.exists(pidFile));
    return Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
  }

  Path runDir(String executorId) throws Exception {
    Path runs = workDir.resolve("slaves/M1-S0/frameworks/M1-0000/executors/" + executorId + "/runs");
    Awaitility.await().atMost(WAIT).until(() -> Files.isDirectory(runs));
    try (Stream<Path> list = Files.list(runs)) {
      return list.filter(p -> !Files.isSymbolicLink(p)).findFirst().orElseThrow();
    }
  }

  static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  int updates() {
    return h.master.count(StatusUpdateMessage.getDefaultInstance());
  }

  @Test
  void recoverSlaveState() throws Exception {
    start();
    running("t1", "sleep 1000", CHECKPOINTING);
    SlaveCheckpoint slave = RecoveredState.recover(new MetaPaths(workDir), true).slave().orElseThrow();
    assertThat(slave.id()).isEqualTo(AgentHarness.SLAVE_ID);
    assertThat(slave.info().orElseThrow().getHostname()).isEqualTo("test-agent");
    var framework = slave.frameworks().get(AgentHarness.FRAMEWORK_ID);
    assertThat(framework.info().orElseThrow().getCheckpoint()).isTrue();
    var executor = framework.executors().values().iterator().next();
    assertThat(executor.generatedForCommandTask()).isTrue();
    var run = executor.runs().get(executor.latest().orElseThrow());
    assertThat(run.forkedPid()).isPresent();
    assertThat(run.completed()).isFalse();
    var task = run.tasks().get(TaskID.newBuilder().setValue("t1").build());
    assertThat(task.info().orElseThrow().getState()).isEqualTo(TaskState.TASK_STAGING);
    assertThat(task.updates()).extracting(u -> u.getStatus().getState())
        .containsExactly(TaskState.TASK_STARTING, TaskState.TASK_RUNNING);
    assertThat(task.acks()).hasSize(2);
    assertThat(Files.readString(workDir.resolve("meta/boot_id")).trim())
        .isEqualTo(Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim());
  }

  @Test
  void reconnectExecutorThenKillTask() throws Exception {
    start();
    long pid = running("t1", "sleep 1000", CHECKPOINTING);
    h.agent.detach();
    assertThat(alive(pid)).as("a stopped agent leaves its tasks running").isTrue();

    h.restart(Map.of());
    ReregisterSlaveMessage reregister = h.reregister(1);
    assertThat(reregister.getSlave().getId()).isEqualTo(AgentHarness.SLAVE_ID);
    assertThat(reregister.getTasksList()).extracting(Task::getState).containsExactly(TaskState.TASK_RUNNING);
    assertThat(reregister.getFrameworksList()).extracting(FrameworkInfo::getId)
        .containsExactly(AgentHarness.FRAMEWORK_ID);
    assertThat(alive(pid)).isTrue();
    assertThat(h.state().get("frameworks").get(0).get("executors").get(0).get("tasks").get(0).get("state").asText())
        .isEqualTo("TASK_RUNNING");

    // KillTask: the recovered command executor still kills its task.
    h.master.send(KillTaskMessage.newBuilder().setFrameworkId(AgentHarness.FRAMEWORK_ID)
        .setTaskId(TaskID.newBuilder().setValue("t1")).build());
    StatusUpdate killed = h.awaitUpdate("t1", TaskState.TASK_KILLED);
    assertThat(killed.getStatus().getMessage()).contains("signal");
    Awaitility.await().atMost(WAIT).until(() -> !alive(pid));
  }

  @Test
  void aTaskThatFinishesWhileTheAgentIsDownIsReportedWithItsExitStatus() throws Exception {
    start();
    Path go = workDir.resolve("go");
    long pid = running("t1", "while [ ! -f " + go + " ]; do sleep 0.05; done; exit 0", CHECKPOINTING);
    long failing = running("t2", "while [ ! -f " + go + " ]; do sleep 0.05; done; exit 3", CHECKPOINTING);
    h.agent.detach();
    Files.createFile(go);
    Awaitility.await().atMost(WAIT).until(() -> !alive(pid) && !alive(failing));

    h.restart(Map.of());
    h.reregister(1);
    StatusUpdate finished = h.awaitUpdate("t1", TaskState.TASK_FINISHED);
    assertThat(finished.getStatus().getMessage()).isEqualTo("Command exited with status 0");
    assertThat(h.awaitUpdate("t2", TaskState.TASK_FAILED).getStatus().getMessage())
        .isEqualTo("Command exited with status 3");
  }

  @Test
  void recoverTaskStatusUpdateManager() throws Exception {
    start();
    h.runTask(task("t1", "sleep 1000"), CHECKPOINTING);
    h.acknowledge(h.awaitUpdate("t1", TaskState.TASK_STARTING));
    StatusUpdate running = h.awaitUpdate("t1", TaskState.TASK_RUNNING);
    h.settle();
    h.agent.detach();
    int before = h.updateCount("t1", TaskState.TASK_RUNNING);

    h.restart(Map.of());
    ReregisterSlaveMessage reregister = h.reregister(1);
    // Reported with its status-update state: the unacknowledged update.
    assertThat(reregister.getTasks(0).getStatusUpdateState()).isEqualTo(TaskState.TASK_RUNNING);
    assertThat(reregister.getTasks(0).getStatusUpdateUuid()).isEqualTo(running.getUuid());
    Awaitility.await().atMost(WAIT).until(() -> h.updateCount("t1", TaskState.TASK_RUNNING) > before);
    StatusUpdate resent = h.master.all(StatusUpdateMessage.getDefaultInstance()).stream()
        .map(StatusUpdateMessage::getUpdate).filter(u -> u.getStatus().getState() == TaskState.TASK_RUNNING)
        .reduce((a, b) -> b).orElseThrow();
    assertThat(resent.getUuid()).as("the same update, not a new one").isEqualTo(running.getUuid());
    assertThat(h.updateCount("t1", TaskState.TASK_STARTING)).as("acknowledged before: not resent").isEqualTo(1);
  }

  @Test
  void removeNonCheckpointingFramework() throws Exception {
    start();
    long pid = running("t1", "sleep 1000", AgentHarness.FRAMEWORK);
    h.agent.detach();
    Awaitility.await().atMost(WAIT).until(() -> !alive(pid));

    h.restart(Map.of());
    ReregisterSlaveMessage reregister = h.reregister(1);
    assertThat(reregister.getTasksList()).isEmpty();
    assertThat(reregister.getFrameworksList()).isEmpty();
  }

  @Test
  void anOrphanOfAKilledAgentIsDestroyed() throws Exception {
    start();
    long pid = running("t1", "sleep 1000", AgentHarness.FRAMEWORK);
    long kept = running("t2", "sleep 1000", CHECKPOINTING);
    // As after kill -9: nothing was cleaned up, the non-checkpointing framework's task is still running.
    h.agent.crash();
    assertThat(alive(pid)).isTrue();

    h.restart(Map.of());
    h.reregister(1);
    Awaitility.await().atMost(WAIT).until(() -> !alive(pid));
    assertThat(alive(kept)).isTrue();
  }

  @Test
  void cleanupExecutor() throws Exception {
    start();
    long pid = running("t1", "sleep 1000", CHECKPOINTING);
    h.agent.detach();

    h.restart(Map.of("recover", "cleanup"));
    h.agent.terminated().get(30, TimeUnit.SECONDS);
    assertThat(alive(pid)).isFalse();
    assertThat(Files.exists(workDir.resolve("meta/slaves/latest"))).isFalse();
    assertThat(h.master.count(ReregisterSlaveMessage.getDefaultInstance())).as("cleanup never re-registers")
        .isZero();
  }

  @Test
  void rebootKeepsTheAgentIdAndReportsTheTasksGone() throws Exception {
    start();
    long pid = running("t1", "sleep 1000", CHECKPOINTING);
    h.agent.detach();
    // The machine went down: the container's whole process tree is gone.
    ProcessHandle root = ProcessHandle.of(pid).orElseThrow();
    List<ProcessHandle> tree = Stream.concat(Stream.of(root), root.descendants()).toList();
    tree.forEach(ProcessHandle::destroyForcibly);
    Awaitility.await().atMost(WAIT).until(() -> tree.stream().noneMatch(ProcessHandle::isAlive));
    Files.writeString(workDir.resolve("meta/boot_id"), "rebooted!");

    h.restart(Map.of());
    assertThat(h.reregister(1).getSlave().getId()).isEqualTo(AgentHarness.SLAVE_ID);
    StatusUpdate failed = h.awaitUpdate("t1", TaskState.TASK_FAILED);
    assertThat(failed.getStatus().getSource()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
  }

  @Test
  void aCorruptCheckpointFailsStrictRecoveryAndIsSkippedWithoutIt() throws Exception {
    start();
    running("t1", "sleep 1000", CHECKPOINTING);
    h.agent.detach();
    Path taskInfo;
    try (Stream<Path> files = Files.walk(workDir.resolve("meta"))) {
      taskInfo = files.filter(p -> p.getFileName().toString().equals("task.info")).findFirst().orElseThrow();
    }
    Files.write(taskInfo, new byte[] {42, 0, 0, 0, 1, 2});

    assertThatThrownBy(() -> h.restart(Map.of())).hasMessageContaining("Failed to perform recovery")
        .hasMessageContaining(taskInfo.toString());
    h.restart(Map.of("strict", "false"));
    ReregisterSlaveMessage reregister = h.reregister(1);
    assertThat(reregister.getSlave().getId()).isEqualTo(AgentHarness.SLAVE_ID);
    assertThat(reregister.getTasksList()).as("the task whose info is lost is skipped").isEmpty();
    assertThat(h.metrics().get("slave/recovery_errors").asDouble()).isEqualTo(1.0);
    assertThat(h.metrics().get("slave/recovery_time_secs").asDouble()).isPositive();
  }

  @Test
  void recoverUnregisteredExecutorWhileStateIsUnavailable() throws Exception {
    h = new AgentHarness(workDir).start(Map.of("executor_reregistration_timeout", "1mins"));
    h.register();
    h.runTask(AgentHarness.customExecutorTask("t1", "e1", "sleep 1000"), CHECKPOINTING);
    h.settle();
    long pid = pidOf("e1");
    h.agent.detach();

    // RecoverUnregisteredExecutor: the executor never subscribed and does not re-subscribe either.
    h.restart(Map.of());
    assertThat(h.agent.isRecovering()).isTrue();
    HttpResponse state = h.http.get(h.agent.address(), "/state").get(10, TimeUnit.SECONDS);
    assertThat(state.status()).isEqualTo(503);
    int before = updates();
    h.clock.advance(Duration.ofMinutes(1));
    ReregisterSlaveMessage reregister = h.reregister(1);
    assertThat(reregister.getSlave().getId()).isEqualTo(AgentHarness.SLAVE_ID);
    StatusUpdate lost = h.awaitUpdate("t1", TaskState.TASK_LOST);
    assertThat(lost.getStatus().getReason()).isEqualTo(TaskStatus.Reason.REASON_EXECUTOR_REREGISTRATION_TIMEOUT);
    assertThat(lost.getStatus().getSource()).isEqualTo(TaskStatus.Source.SOURCE_SLAVE);
    assertThat(updates()).isGreaterThan(before);
    Awaitility.await().atMost(WAIT).until(() -> !alive(pid));
    assertThat(h.http.get(h.agent.address(), "/state").get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
  }

  @Test
  void gcExecutor() throws Exception {
    start();
    Path go = workDir.resolve("go");
    running("t1", "while [ ! -f " + go + " ]; do sleep 0.05; done", CHECKPOINTING);
    Path sandbox = runDir("t1");
    Path meta = workDir.resolve("meta/slaves/M1-S0/frameworks/M1-0000/executors/t1");
    assertThat(meta).isDirectory();
    h.agent.detach();
    Files.createFile(go);

    h.restart(Map.of());
    h.reregister(1);
    h.acknowledge(h.awaitUpdate("t1", TaskState.TASK_FINISHED));
    h.settle();
    assertThat(Files.exists(meta.resolve("runs").resolve(sandbox.getFileName()).resolve("executor.sentinel")))
        .as("a completed executor is marked so that no later agent recovers it").isTrue();
    h.clock.advance(Duration.ofDays(7));
    Awaitility.await().atMost(WAIT).until(() -> !Files.exists(sandbox) && !Files.exists(meta));
  }

  @Test
  void agentReconfigurationWithRunningTask() throws Exception {
    start();
    long pid = running("t1", "sleep 1000", CHECKPOINTING);
    h.agent.detach();
    String more = "cpus:4;mem:2048;disk:2048;ports:[31000-32000]";

    assertThatThrownBy(() -> h.restart(Map.of("resources", more)))
        .hasMessageContaining("Incompatible agent info").hasMessageContaining("--reconfiguration_policy");
    h.restart(Map.of("resources", more, "reconfiguration_policy", "additive"));
    ReregisterSlaveMessage reregister = h.reregister(1);
    assertThat(reregister.getSlave().getId()).isEqualTo(AgentHarness.SLAVE_ID);
    assertThat(io.jmesos.resources.Resources.of(reregister.getSlave().getResourcesList()).scalar("cpus"))
        .isEqualTo(4.0);
    assertThat(reregister.getTasksList()).extracting(Task::getState).containsExactly(TaskState.TASK_RUNNING);
    assertThat(alive(pid)).isTrue();

    h.agent.detach();
    assertThatThrownBy(() -> h.restart(Map.of("resources", "cpus:1;mem:2048;disk:2048;ports:[31000-32000]",
        "reconfiguration_policy", "additive"))).hasMessageContaining("do not contain");
  }

  @Test
  void restartBeforeContainerizerLaunch() throws Exception {
    java.util.concurrent.CountDownLatch forking = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
    h = new AgentHarness(workDir);
    h.launcher = spec -> {
      forking.countDown();
      try {
        never.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new java.io.IOException("the agent died before the fork");
    };
    h.start(Map.of("command_executor", "embedded"), List.of("/bin/false"));
    h.register();
    h.runTask(task("t1", "sleep 1000"), CHECKPOINTING);
    assertThat(forking.await(20, TimeUnit.SECONDS)).isTrue();
    h.agent.crash();
    never.countDown();

    h.launcher = null;
    h.restart(Map.of());
    h.reregister(1);
    StatusUpdate failed = h.awaitUpdate("t1", TaskState.TASK_FAILED);
    assertThat(failed.getStatus().getSource()).isEqualTo(TaskStatus.Source.SOURCE_SLAVE);
    assertThat(h.updateCount("t1", TaskState.TASK_RUNNING)).isZero();
  }
}
