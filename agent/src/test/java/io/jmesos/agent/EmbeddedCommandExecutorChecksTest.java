package io.jmesos.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jmesos.agent.testing.AgentHarness;
import io.jmesos.internal.Messages.StatusUpdate;
import io.jmesos.internal.Messages.StatusUpdateMessage;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.mesos.Protos.CheckInfo;
import org.apache.mesos.Protos.CommandInfo;
import org.apache.mesos.Protos.HealthCheck;
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
 * Health checks and checks of command tasks under {@code --command_executor=embedded}, with real processes and
 * the agent's manual clock driving the checks' schedule: Mesos' {@code HealthCheckTest.HealthyTask},
 * {@code ConsecutiveFailures}, {@code HealthyTaskViaHTTP}, {@code HealthyTaskViaTCP} and
 * {@code CommandExecutorCheckTest.CommandCheckStatusChange}.
 */
@Timeout(120)
class EmbeddedCommandExecutorChecksTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir
  Path workDir;
  AgentHarness h;

  @BeforeEach
  void start() throws InterruptedException {
    h = new AgentHarness(workDir).start(Map.of("command_executor", "embedded"), List.of("/bin/false"));
    h.register();
  }

  @AfterEach
  void tearDown() {
    if (h != null) {
      h.close();
    }
  }

  private static TaskInfo task(String id, String shell) {
    return TaskInfo.newBuilder().setName(id).setTaskId(TaskID.newBuilder().setValue(id))
        .setSlaveId(AgentHarness.SLAVE_ID).setCommand(CommandInfo.newBuilder().setValue(shell)).build();
  }

  private static HealthCheck.Builder commandHealthCheck(String shell) {
    return HealthCheck.newBuilder().setType(HealthCheck.Type.COMMAND)
        .setCommand(CommandInfo.newBuilder().setValue(shell))
        .setDelaySeconds(0).setIntervalSeconds(1).setGracePeriodSeconds(0);
  }

  /** Every update of the task so far, in order, without the retries of one update. */
  private List<TaskStatus> updates(String taskId) {
    return h.master.all(StatusUpdateMessage.getDefaultInstance()).stream().map(StatusUpdateMessage::getUpdate)
        .filter(u -> u.getStatus().getTaskId().getValue().equals(taskId))
        .collect(Collectors.toMap(StatusUpdate::getUuid, StatusUpdate::getStatus, (a, b) -> a,
            java.util.LinkedHashMap::new))
        .values().stream().collect(Collectors.toList());
  }

  /** Acknowledges every update so far (so that none is retried), the running task's included. */
  private void acknowledgeAll() {
    h.master.all(StatusUpdateMessage.getDefaultInstance()).forEach(m -> h.acknowledge(m.getUpdate()));
  }

  private void launchAndAwaitRunning(TaskInfo task) {
    h.runTask(task);
    h.acknowledge(h.awaitUpdate(task.getTaskId().getValue(), TaskState.TASK_STARTING));
    h.acknowledge(h.awaitUpdate(task.getTaskId().getValue(), TaskState.TASK_RUNNING));
  }

  /**
   * Advances the agent's clock a second at a time, acknowledging every update (the agent forwards a task's next
   * update once the previous one is acknowledged), until an update of the task matches.
   */
  private TaskStatus advanceUntil(String taskId, Predicate<TaskStatus> match) {
    Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
      acknowledgeAll();
      if (updates(taskId).stream().anyMatch(match)) {
        return true;
      }
      h.clock.advance(Duration.ofSeconds(1));
      return false;
    });
    return updates(taskId).stream().filter(match).findFirst().orElseThrow();
  }

  @Test
  void healthyTask() {
    launchAndAwaitRunning(task("healthy", "sleep 120").toBuilder()
        .setHealthCheck(commandHealthCheck("exit 0")).build());

    TaskStatus healthy = advanceUntil("healthy", TaskStatus::hasHealthy);

    assertThat(healthy.getState()).isEqualTo(TaskState.TASK_RUNNING);
    assertThat(healthy.getHealthy()).isTrue();
    assertThat(healthy.getReason()).isEqualTo(TaskStatus.Reason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED);
    assertThat(healthy.getSource()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
  }

  @Test
  void consecutiveFailures() {
    launchAndAwaitRunning(task("failing", "sleep 120").toBuilder()
        .setHealthCheck(commandHealthCheck("exit 1").setConsecutiveFailures(3)).build());

    TaskStatus killed = advanceUntil("failing", s -> s.getState() == TaskState.TASK_KILLED);
    acknowledgeAll();

    assertThat(killed.hasHealthy()).isTrue();
    assertThat(killed.getHealthy()).isFalse();
    List<TaskStatus> unhealthy = updates("failing").stream()
        .filter(s -> s.getReason() == TaskStatus.Reason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED)
        .collect(Collectors.toList());
    assertThat(unhealthy).hasSize(3).allSatisfy(s -> {
      assertThat(s.getState()).isEqualTo(TaskState.TASK_RUNNING);
      assertThat(s.getHealthy()).isFalse();
    });
    Awaitility.await().atMost(WAIT).until(() -> ProcessHandle.allProcesses()
        .noneMatch(p -> p.info().commandLine().map(c -> c.endsWith("sleep 120")).orElse(false)
            && p.info().commandLine().map(c -> c.contains("failing")).orElse(false)));
  }

  @Test
  void healthyTaskViaHttpAndTcp() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 is needed for the task's HTTP server");
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    String server = "exec /usr/bin/python3 -m http.server " + port + " --bind 127.0.0.1";
    // Failures before the server listens fall in the grace period.
    launchAndAwaitRunning(task("web", server).toBuilder().setHealthCheck(HealthCheck.newBuilder()
        .setType(HealthCheck.Type.HTTP)
        .setHttp(HealthCheck.HTTPCheckInfo.newBuilder().setPort(port).setPath("/"))
        .setDelaySeconds(0).setIntervalSeconds(1).setGracePeriodSeconds(600)).build());
    TaskStatus healthy = advanceUntil("web", TaskStatus::hasHealthy);
    assertThat(healthy.getHealthy()).isTrue();

    launchAndAwaitRunning(task("tcp", "sleep 120").toBuilder().setHealthCheck(HealthCheck.newBuilder()
        .setType(HealthCheck.Type.TCP)
        .setTcp(HealthCheck.TCPCheckInfo.newBuilder().setPort(port))
        .setDelaySeconds(0).setIntervalSeconds(1).setGracePeriodSeconds(0)).build());
    assertThat(advanceUntil("tcp", TaskStatus::hasHealthy).getHealthy()).isTrue();
  }

  @Test
  void commandCheckStatusChange() throws Exception {
    CheckInfo check = CheckInfo.newBuilder().setType(CheckInfo.Type.COMMAND)
        .setCommand(CheckInfo.Command.newBuilder().setCommand(CommandInfo.newBuilder()
            .setValue("if [ -f ready ]; then exit 0; else exit 3; fi")))
        .setDelaySeconds(0).setIntervalSeconds(1).build();
    launchAndAwaitRunning(task("checked", "sleep 120").toBuilder().setCheck(check).build());
    assertThat(h.awaitUpdate("checked", TaskState.TASK_RUNNING).getStatus().getCheckStatus().getCommand()
        .hasExitCode()).isFalse();

    TaskStatus first = advanceUntil("checked", s -> s.getCheckStatus().getCommand().hasExitCode());
    assertThat(first.getReason()).isEqualTo(TaskStatus.Reason.REASON_TASK_CHECK_STATUS_UPDATED);
    assertThat(first.getCheckStatus().getCommand().getExitCode()).isEqualTo(3);
    assertThat(first.hasHealthy()).isFalse();

    Files.createFile(sandbox("checked").resolve("ready"));
    TaskStatus second = advanceUntil("checked", s -> s.getCheckStatus().getCommand().getExitCode() == 0
        && s.getCheckStatus().getCommand().hasExitCode());
    assertThat(second.getState()).isEqualTo(TaskState.TASK_RUNNING);
    assertThat(updates("checked").stream()
        .filter(s -> s.getReason() == TaskStatus.Reason.REASON_TASK_CHECK_STATUS_UPDATED)).hasSize(2);
  }

  private Path sandbox(String executorId) throws Exception {
    Path runs = workDir.resolve("slaves/M1-S0/frameworks/M1-0000/executors/" + executorId + "/runs");
    try (Stream<Path> list = Files.list(runs)) {
      return list.filter(p -> !Files.isSymbolicLink(p)).findFirst().orElseThrow();
    }
  }
}
