package io.jmesos.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jmesos.actor.SystemClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.mesos.v1.Protos.CheckInfo;
import org.apache.mesos.v1.Protos.CheckStatusInfo;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.HealthCheck;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM command executor's health checks and checks against a fake agent, with real shell commands: Mesos'
 * {@code HealthCheckTest.HealthyTask}, {@code ConsecutiveFailures} and {@code CommandExecutorCheckTest
 * .CommandCheckStatusChange}.
 */
@Timeout(60)
class CommandExecutorChecksTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  @TempDir
  Path sandbox;
  private FakeAgent agent;
  private CompletableFuture<Integer> exit;

  @BeforeEach
  void setUp() throws Exception {
    agent = new FakeAgent();
    Map<String, String> env = agent.environment(false);
    env.put("MESOS_SANDBOX", sandbox.toString());
    env.put("MESOS_DIRECTORY", sandbox.toString());
    exit = new CompletableFuture<>();
    Thread main = new Thread(() -> exit.complete(CommandExecutor.run(env, SystemClock.get(), null)),
        "command-executor-main");
    main.setDaemon(true);
    main.start();
    agent.awaitSubscribed();
  }

  @AfterEach
  void tearDown() {
    agent.close();
  }

  private List<TaskStatus> updates() {
    return agent.calls(Call.Type.UPDATE).stream().map(c -> c.getUpdate().getStatus()).collect(Collectors.toList());
  }

  private static TaskInfo task(String command) {
    return FakeAgent.task("t1", CommandInfo.newBuilder().setValue(command).build());
  }

  private static HealthCheck.Builder healthCheck(String command) {
    return HealthCheck.newBuilder().setType(HealthCheck.Type.COMMAND)
        .setCommand(CommandInfo.newBuilder().setValue(command))
        .setDelaySeconds(0).setIntervalSeconds(0.2).setGracePeriodSeconds(0);
  }

  @Test
  void healthyTaskIsReportedHealthyOnce() throws Exception {
    agent.launch(task("sleep 120").toBuilder().setHealthCheck(healthCheck("exit 0")).build());

    await().atMost(WAIT).until(() -> updates().stream().anyMatch(TaskStatus::hasHealthy));
    TaskStatus healthy = updates().stream().filter(TaskStatus::hasHealthy).findFirst().orElseThrow();
    assertThat(healthy.getState()).isEqualTo(TaskState.TASK_RUNNING);
    assertThat(healthy.getHealthy()).isTrue();
    assertThat(healthy.getReason()).isEqualTo(TaskStatus.Reason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED);
    // Later successes send nothing: a few more intervals, still one health update.
    await().pollDelay(Duration.ofSeconds(1)).atMost(WAIT).until(() -> true);
    assertThat(updates().stream().filter(TaskStatus::hasHealthy).count()).isEqualTo(1);

    agent.kill("t1");
    assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
    TaskStatus last = updates().get(updates().size() - 1);
    assertThat(last.getState()).isEqualTo(TaskState.TASK_KILLED);
    assertThat(last.hasHealthy()).isFalse();
  }

  @Test
  void consecutiveFailuresKillTheTaskWhichEndsUnhealthy() throws Exception {
    agent.launch(task("sleep 120").toBuilder().setHealthCheck(healthCheck("exit 1").setConsecutiveFailures(4))
        .build());

    assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
    List<TaskStatus> updates = updates();
    assertThat(updates).extracting(TaskStatus::getState).containsExactly(TaskState.TASK_STARTING,
        TaskState.TASK_RUNNING, TaskState.TASK_RUNNING, TaskState.TASK_RUNNING, TaskState.TASK_RUNNING,
        TaskState.TASK_RUNNING, TaskState.TASK_KILLED);
    for (TaskStatus unhealthy : updates.subList(2, 6)) {
      assertThat(unhealthy.getReason()).isEqualTo(TaskStatus.Reason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED);
      assertThat(unhealthy.hasHealthy()).isTrue();
      assertThat(unhealthy.getHealthy()).isFalse();
    }
    TaskStatus killed = updates.get(6);
    assertThat(killed.hasHealthy()).isTrue();
    assertThat(killed.getHealthy()).isFalse();
    assertThat(killed.getMessage()).isEqualTo("Command terminated with signal Terminated");
  }

  @Test
  void checkStatusUpdatesFollowEachChangeAndEveryUpdateCarriesACheckStatus() throws Exception {
    CheckInfo check = CheckInfo.newBuilder().setType(CheckInfo.Type.COMMAND)
        .setCommand(CheckInfo.Command.newBuilder().setCommand(CommandInfo.newBuilder()
            .setValue("if [ -f ready ]; then exit 0; else exit 3; fi")))
        .setDelaySeconds(0).setIntervalSeconds(0.2).build();
    agent.launch(task("sleep 120").toBuilder().setCheck(check).build());

    await().atMost(WAIT).until(() -> checkUpdates().size() == 1);
    Files.createFile(sandbox.resolve("ready"));
    await().atMost(WAIT).until(() -> checkUpdates().size() == 2);
    assertThat(checkUpdates()).extracting(s -> s.getCheckStatus().getCommand().getExitCode()).containsExactly(3, 0);
    assertThat(checkUpdates()).allSatisfy(s -> assertThat(s.getState()).isEqualTo(TaskState.TASK_RUNNING));

    agent.kill("t1");
    assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
    CheckStatusInfo empty = CheckStatusInfo.newBuilder().setType(CheckInfo.Type.COMMAND)
        .setCommand(CheckStatusInfo.Command.getDefaultInstance()).build();
    List<TaskStatus> updates = updates();
    assertThat(updates.get(0).getCheckStatus()).isEqualTo(empty);
    assertThat(updates.get(1).getCheckStatus()).isEqualTo(empty);
    assertThat(updates.get(updates.size() - 1).getState()).isEqualTo(TaskState.TASK_KILLED);
    assertThat(updates.get(updates.size() - 1).getCheckStatus()).isEqualTo(empty);
    assertThat(updates).filteredOn(TaskStatus::hasHealthy).isEmpty();
  }

  private List<TaskStatus> checkUpdates() {
    return updates().stream()
        .filter(s -> s.getReason() == TaskStatus.Reason.REASON_TASK_CHECK_STATUS_UPDATED)
        .collect(Collectors.toList());
  }
}
