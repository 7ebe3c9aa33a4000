package io.jmesos.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.agent.executors.CommandExecutors;
import io.jmesos.agent.testing.AgentHarness;
import io.jmesos.internal.Messages.ExitedExecutorMessage;
import io.jmesos.internal.Messages.StatusUpdate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.mesos.Protos.CommandInfo;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A command task run by jmesos' real built-in command executor, launched the way the agent launches it. */
@Timeout(90)
class CommandExecutorTaskTest {
  @TempDir
  Path workDir;
  AgentHarness h;

  @AfterEach
  void tearDown() {
    h.close();
  }

  @Test
  void echoHelloRunsToFinishedWithHelloInTheSandboxStdout() throws Exception {
    h = new AgentHarness(workDir).start(Map.of(), CommandExecutors.defaultCommand());
    h.register();
    h.runTask(TaskInfo.newBuilder()
        .setName("echo")
        .setTaskId(TaskID.newBuilder().setValue("echo-1"))
        .setSlaveId(AgentHarness.SLAVE_ID)
        .setCommand(CommandInfo.newBuilder().setValue("echo hello"))
        .build());
    StatusUpdate starting = h.awaitUpdate("echo-1", TaskState.TASK_STARTING);
    h.acknowledge(starting);
    h.acknowledge(h.awaitUpdate("echo-1", TaskState.TASK_RUNNING));
    StatusUpdate finished = h.awaitUpdate("echo-1", TaskState.TASK_FINISHED);
    h.acknowledge(finished);

    Path runs = workDir.resolve("slaves/M1-S0/frameworks/M1-0000/executors/echo-1/runs");
    Path run;
    try (Stream<Path> list = Files.list(runs)) {
      run = list.filter(p -> !Files.isSymbolicLink(p)).findFirst().orElseThrow();
    }
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> Files.readString(run.resolve("stdout"), StandardCharsets.UTF_8).contains("hello"));
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> h.state().get("completed_frameworks").size() == 1);
    assertThat(h.state().get("completed_frameworks").get(0).get("completed_executors").get(0)
        .get("completed_tasks").get(0).get("state").asText()).isEqualTo("TASK_FINISHED");
    h.flushToMaster();
    assertThat(h.master.count(ExitedExecutorMessage.getDefaultInstance())).isZero();
  }

  @Test
  void taskIgnoringSigtermIsKilledAfterItsGracePeriod() throws Exception {
    h = new AgentHarness(workDir).start(Map.of(), CommandExecutors.defaultCommand());
    h.register();
    h.runTask(TaskInfo.newBuilder()
        .setName("stubborn")
        .setTaskId(TaskID.newBuilder().setValue("stubborn-1"))
        .setSlaveId(AgentHarness.SLAVE_ID)
        .setCommand(CommandInfo.newBuilder().setValue("trap '' TERM; sleep 1000"))
        .setKillPolicy(org.apache.mesos.Protos.KillPolicy.newBuilder()
            .setGracePeriod(org.apache.mesos.Protos.DurationInfo.newBuilder().setNanoseconds(1_000_000_000L)))
        .build());
    h.acknowledge(h.awaitUpdate("stubborn-1", TaskState.TASK_STARTING));
    h.acknowledge(h.awaitUpdate("stubborn-1", TaskState.TASK_RUNNING));

    h.master.send(io.jmesos.internal.Messages.KillTaskMessage.newBuilder().setFrameworkId(AgentHarness.FRAMEWORK_ID)
        .setTaskId(TaskID.newBuilder().setValue("stubborn-1")).build());

    StatusUpdate killed = h.awaitUpdate("stubborn-1", TaskState.TASK_KILLED);
    assertThat(killed.getStatus().getMessage()).isEqualTo("Command terminated with signal Killed");
    h.acknowledge(killed);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.allProcesses()
        .noneMatch(p -> p.info().commandLine().map(c -> c.endsWith("sleep 1000")).orElse(false)));
  }
}
