package io.jmesos.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jmesos.actor.Clock;
import io.jmesos.actor.ManualClock;
import io.jmesos.actor.SystemClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.DurationInfo;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.KillPolicy;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The command executor in-process against a fake agent, running real shell commands. */
@Timeout(60)
class CommandExecutorTest {
  @TempDir
  Path sandbox;
  private FakeAgent agent;
  private CompletableFuture<Integer> exit;

  @BeforeEach
  void setUp() throws InterruptedException {
    agent = new FakeAgent();
  }

  @AfterEach
  void tearDown() {
    agent.close();
  }

  private void startExecutor() {
    startExecutor(SystemClock.get());
  }

  private void startExecutor(Clock clock) {
    Map<String, String> env = agent.environment(false);
    env.put("MESOS_SANDBOX", sandbox.toString());
    env.put("MESOS_DIRECTORY", sandbox.toString());
    exit = new CompletableFuture<>();
    Thread main = new Thread(() -> exit.complete(CommandExecutor.run(env, clock, null)),
        "command-executor-main");
    main.setDaemon(true);
    main.start();
    agent.awaitSubscribed();
  }

  private static CommandInfo shell(String command) {
    return CommandInfo.newBuilder().setValue(command).build();
  }

  private List<TaskStatus> updates() {
    return agent.calls(Call.Type.UPDATE).stream().map(c -> c.getUpdate().getStatus()).collect(Collectors.toList());
  }

  private List<TaskState> states() {
    return updates().stream().map(TaskStatus::getState).collect(Collectors.toList());
  }

  private TaskStatus awaitTerminal() throws Exception {
    assertThat(exit.get(30, TimeUnit.SECONDS)).isEqualTo(0);
    List<TaskStatus> updates = updates();
    return updates.get(updates.size() - 1);
  }

  @Test
  void successfulCommandStartsRunsAndFinishes() throws Exception {
    startExecutor();

    agent.launch(FakeAgent.task("t1", shell("echo hello > out.txt")));

    TaskStatus last = awaitTerminal();
    assertThat(states()).containsExactly(TaskState.TASK_STARTING, TaskState.TASK_RUNNING, TaskState.TASK_FINISHED);
    assertThat(last.getMessage()).isEqualTo("Command exited with status 0");
    assertThat(last.getTaskId().getValue()).isEqualTo("t1");
    assertThat(Files.readString(sandbox.resolve("out.txt"))).isEqualTo("hello\n");
  }

  @Test
  void failingCommandReportsItsExitStatus() throws Exception {
    startExecutor();

    agent.launch(FakeAgent.task("t1", shell("exit 3")));

    TaskStatus last = awaitTerminal();
    assertThat(last.getState()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(last.getMessage()).isEqualTo("Command exited with status 3");
  }

  @Test
  void commandSeesTaskEnvironmentAndSandbox() throws Exception {
    startExecutor();
    CommandInfo command = CommandInfo.newBuilder()
        .setValue("test \"$MESOS_TASK_ID\" = t7 && test \"$GREETING\" = hi && test \"$PWD\" = \"$MESOS_SANDBOX\"")
        .setEnvironment(Environment.newBuilder().addVariables(
            Environment.Variable.newBuilder().setName("GREETING").setValue("hi")))
        .build();

    agent.launch(FakeAgent.task("t7", command));

    assertThat(awaitTerminal().getState()).isEqualTo(TaskState.TASK_FINISHED);
  }

  @Test
  void nonShellCommandRunsTheExecutableWithItsArguments() throws Exception {
    startExecutor();
    CommandInfo command = CommandInfo.newBuilder().setShell(false).setValue("/bin/sh")
        .addArguments("sh").addArguments("-c").addArguments("exit 4").build();

    agent.launch(FakeAgent.task("t1", command));

    assertThat(awaitTerminal().getMessage()).isEqualTo("Command exited with status 4");
  }

  @Test
  void killedCommandReportsKilled() throws Exception {
    startExecutor();
    agent.launch(FakeAgent.task("t1", shell("sleep 100")));
    await().atMost(Duration.ofSeconds(20)).until(() -> states().contains(TaskState.TASK_RUNNING));

    agent.kill("t1");

    TaskStatus last = awaitTerminal();
    assertThat(last.getState()).isEqualTo(TaskState.TASK_KILLED);
    assertThat(states()).containsExactly(TaskState.TASK_STARTING, TaskState.TASK_RUNNING, TaskState.TASK_KILLED);
  }

  @Test
  void commandIgnoringSigtermIsKilledAfterTheGracePeriod() throws Exception {
    startExecutor();
    Path ready = sandbox.resolve("ready");
    // The shell ignores SIGTERM and starts another sleep as soon as the first one dies: SIGKILL must reach
    // the shell before it can, leaving no process behind. 97 marks this test's processes.
    TaskInfo task = FakeAgent.task("t1", shell("trap '' TERM; touch ready; sleep 97 & wait; sleep 97")).toBuilder()
        .setKillPolicy(KillPolicy.newBuilder().setGracePeriod(DurationInfo.newBuilder().setNanoseconds(200_000_000L)))
        .build();
    agent.launch(task);
    await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(ready));

    agent.kill("t1");

    TaskStatus last = awaitTerminal();
    assertThat(last.getState()).isEqualTo(TaskState.TASK_KILLED);
    assertThat(last.getMessage()).isEqualTo("Command terminated with signal Killed");
    await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.allProcesses()
        .noneMatch(p -> p.info().commandLine().map(c -> c.endsWith("sleep 97")).orElse(false)));
  }

  @Test
  void shutdownKillsTheTaskAndReportsItBeforeExiting() throws Exception {
    startExecutor();
    agent.launch(FakeAgent.task("t1", shell("sleep 100")));
    await().atMost(Duration.ofSeconds(20)).until(() -> states().contains(TaskState.TASK_RUNNING));

    agent.shutdown();

    assertThat(awaitTerminal().getState()).isEqualTo(TaskState.TASK_KILLED);
  }

  @Test
  void secondTaskIsRefused() throws Exception {
    startExecutor();
    agent.launch(FakeAgent.task("t1", shell("sleep 100")));
    await().atMost(Duration.ofSeconds(20)).until(() -> states().contains(TaskState.TASK_RUNNING));

    agent.launch(FakeAgent.task("t2", shell("true")));

    await().atMost(Duration.ofSeconds(20)).until(() -> updates().stream()
        .anyMatch(s -> s.getTaskId().getValue().equals("t2") && s.getState() == TaskState.TASK_FAILED));
    agent.kill("t1");
    awaitTerminal();
  }

  @Test
  void taskKillingIsSentFirstWhenTheFrameworkHasTheCapability() throws Exception {
    agent.frameworkInfo = agent.frameworkInfo.toBuilder().addCapabilities(FrameworkInfo.Capability.newBuilder()
        .setType(FrameworkInfo.Capability.Type.TASK_KILLING_STATE)).build();
    startExecutor();
    agent.launch(FakeAgent.task("t1", shell("sleep 100")));
    await().atMost(Duration.ofSeconds(20)).until(() -> states().contains(TaskState.TASK_RUNNING));

    agent.kill("t1");

    assertThat(awaitTerminal().getState()).isEqualTo(TaskState.TASK_KILLED);
    assertThat(states()).containsExactly(TaskState.TASK_STARTING, TaskState.TASK_RUNNING, TaskState.TASK_KILLING,
        TaskState.TASK_KILLED);
  }

  @Test
  void killEventsGracePeriodOverridesTheTasksAndSigkillFollowsWhenItEnds() throws Exception {
    ManualClock clock = new ManualClock();
    agent.frameworkInfo = agent.frameworkInfo.toBuilder().addCapabilities(FrameworkInfo.Capability.newBuilder()
        .setType(FrameworkInfo.Capability.Type.TASK_KILLING_STATE)).build();
    startExecutor(clock);
    Path ready = sandbox.resolve("ready");
    // 1093 marks this test's sleep; the task's own policy (60 s) is overridden by the kill's (5 s).
    TaskInfo task = FakeAgent.task("t1", shell("trap '' TERM; touch ready; sleep 1093")).toBuilder()
        .setKillPolicy(KillPolicy.newBuilder()
            .setGracePeriod(DurationInfo.newBuilder().setNanoseconds(60_000_000_000L)))
        .build();
    agent.launch(task);
    await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(ready) && sleeping(1093));
    int timers = clock.pendingTimers();

    agent.send(Event.newBuilder().setType(Event.Type.KILL).setKill(Event.Kill.newBuilder()
        .setTaskId(TaskID.newBuilder().setValue("t1"))
        .setKillPolicy(KillPolicy.newBuilder()
            .setGracePeriod(DurationInfo.newBuilder().setNanoseconds(5_000_000_000L))))
        .build());
    await().atMost(Duration.ofSeconds(20)).until(() -> states().contains(TaskState.TASK_KILLING)
        && clock.pendingTimers() > timers);
    clock.advance(Duration.ofSeconds(4));
    assertThat(sleeping(1093)).as("SIGTERM is ignored and 4 s is within the grace period").isTrue();
    assertThat(states()).doesNotContain(TaskState.TASK_KILLED);

    clock.advance(Duration.ofSeconds(1));

    TaskStatus last = awaitTerminal();
    assertThat(last.getState()).isEqualTo(TaskState.TASK_KILLED);
    assertThat(last.getMessage()).isEqualTo("Command terminated with signal Killed");
    await().atMost(Duration.ofSeconds(10)).until(() -> !sleeping(1093));
  }

  private static boolean sleeping(int marker) {
    return ProcessHandle.allProcesses()
        .anyMatch(p -> p.info().commandLine().map(c -> c.endsWith("sleep " + marker)).orElse(false));
  }
}
