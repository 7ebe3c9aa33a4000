package io.jmesos.agent.executors;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.apache.mesos.Protos.CommandInfo;
import org.apache.mesos.Protos.Environment;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The pure parts of the embedded command executor: the task's argv and environment, wait statuses in words. */
@Timeout(10)
class EmbeddedCommandExecutorTest {
  @Test
  void aShellCommandRunsUnderBinShAndAnArgvCommandWithoutItsArgumentZero() {
    assertThat(EmbeddedCommandExecutor.argv(CommandInfo.newBuilder().setValue("echo $HOME").build()))
        .containsExactly("/bin/sh", "-c", "echo $HOME");
    assertThat(EmbeddedCommandExecutor.argv(CommandInfo.newBuilder().setShell(false).setValue("/bin/echo")
        .addArguments("echo").addArguments("a b").addArguments("c").build()))
        .containsExactly("/bin/echo", "a b", "c");
    assertThat(EmbeddedCommandExecutor.argv(CommandInfo.newBuilder().setShell(false).setValue("/bin/true").build()))
        .containsExactly("/bin/true");
  }

  @Test
  void theTaskGetsTheExecutorsEnvironmentWithSandboxTaskIdAndItsOwnVariablesOnTop() {
    TaskInfo task = TaskInfo.newBuilder()
        .setName("t")
        .setTaskId(TaskID.newBuilder().setValue("t-1"))
        .setSlaveId(org.apache.mesos.Protos.SlaveID.newBuilder().setValue("S0"))
        .setCommand(CommandInfo.newBuilder().setValue("env").setEnvironment(Environment.newBuilder()
            .addVariables(Environment.Variable.newBuilder().setName("PATH").setValue("/opt/bin"))
            .addVariables(Environment.Variable.newBuilder().setName("TOKEN")
                .setType(Environment.Variable.Type.SECRET)
                .setSecret(org.apache.mesos.Protos.Secret.newBuilder()
                    .setType(org.apache.mesos.Protos.Secret.Type.VALUE)))))
        .build();
    Map<String, String> env = EmbeddedCommandExecutor.environment(Map.of("PATH", "/usr/bin",
        "MESOS_EXECUTOR_ID", "t-1", "MESOS_EXECUTOR_AUTHENTICATION_TOKEN", "secret"), task, Path.of("/sandbox"));
    assertThat(env).containsEntry("PATH", "/opt/bin").containsEntry("MESOS_EXECUTOR_ID", "t-1")
        .containsEntry("MESOS_SANDBOX", "/sandbox").containsEntry("MESOS_TASK_ID", "t-1")
        .doesNotContainKeys("TOKEN", "MESOS_EXECUTOR_AUTHENTICATION_TOKEN");
  }

  @Test
  void waitStatusesAreWordedAsMesosDoes() {
    assertThat(EmbeddedCommandExecutor.describe(0)).isEqualTo("exited with status 0");
    assertThat(EmbeddedCommandExecutor.describe(3 << 8)).isEqualTo("exited with status 3");
    assertThat(EmbeddedCommandExecutor.describe(255 << 8)).isEqualTo("exited with status 255");
    assertThat(EmbeddedCommandExecutor.describe(9)).isEqualTo("terminated with signal Killed");
    assertThat(EmbeddedCommandExecutor.describe(15)).isEqualTo("terminated with signal Terminated");
    assertThat(EmbeddedCommandExecutor.describe(null)).isEqualTo("terminated with unknown status");
  }
}
