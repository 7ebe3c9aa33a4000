package io.jmesos.agent.executors;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.mesos.Protos.CommandInfo;
import org.apache.mesos.Protos.DurationInfo;
import org.apache.mesos.Protos.Environment;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.ExecutorInfo;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;
import org.junit.jupiter.api.Test;

class CommandExecutorsTest {
  static final FrameworkID FW = FrameworkID.newBuilder().setValue("f").build();

  @Test
  void commandTaskGetsAnExecutorNamedAfterIt() {
    TaskInfo task = TaskInfo.newBuilder().setName("n").setTaskId(TaskID.newBuilder().setValue("t1"))
        .setSlaveId(SlaveID.newBuilder().setValue("s"))
        .setCommand(CommandInfo.newBuilder().setValue("echo hello")).build();
    ExecutorInfo info = CommandExecutors.executorFor(task, FW, List.of("/java", "-cp", "x", "Main"));
    assertThat(info.getExecutorId().getValue()).isEqualTo("t1");
    assertThat(info.getFrameworkId()).isEqualTo(FW);
    assertThat(info.getName()).isEqualTo("Command Executor (Task: t1) (Command: sh -c 'echo hello')");
    assertThat(info.getCommand().getShell()).isFalse();
    assertThat(info.getCommand().getArgumentsList()).containsExactly("/java", "-cp", "x", "Main");
  }

  @Test
  void argvForShellAndPlainCommands() {
    assertThat(CommandExecutors.argv(CommandInfo.newBuilder().setValue("echo hi").build()))
        .containsExactly("sh", "-c", "echo hi");
    assertThat(CommandExecutors.argv(CommandInfo.newBuilder().setShell(false).setValue("/bin/echo")
        .addArguments("echo").addArguments("a b").build())).containsExactly("/bin/echo", "a b");
  }

  @Test
  void defaultCommandRunsTheBuiltInCommandExecutorOnThisJvm() {
    List<String> argv = CommandExecutors.defaultCommand();
    assertThat(argv.get(0)).isEqualTo(System.getProperty("java.home") + "/bin/java");
    assertThat(argv).contains("-Xmx32m", "-Xss256k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Xshare:auto").endsWith("io.jmesos.executor.CommandExecutor");
  }

  @Test
  void environmentNamesFrameworkExecutorAgentAndSandbox() {
    ExecutorInfo info = ExecutorInfo.newBuilder().setExecutorId(ExecutorID.newBuilder().setValue("e"))
        .setFrameworkId(FW)
        .setShutdownGracePeriod(DurationInfo.newBuilder().setNanoseconds(Duration.ofSeconds(10).toNanos()))
        .setCommand(CommandInfo.newBuilder().setValue("x").setEnvironment(Environment.newBuilder()
            .addVariables(Environment.Variable.newBuilder().setName("FOO").setValue("bar"))))
        .build();
    Map<String, String> env = ExecutorEnvironment.of(Map.of("PATH", "/bin"), info,
        SlaveID.newBuilder().setValue("s1").build(), "1.2.3.4:5051", "slave(1)@1.2.3.4:5051", Path.of("/sb"),
        false, Duration.ofSeconds(5));
    assertThat(env).containsEntry("PATH", "/bin").containsEntry("MESOS_FRAMEWORK_ID", "f")
        .containsEntry("MESOS_EXECUTOR_ID", "e").containsEntry("MESOS_SLAVE_ID", "s1")
        .containsEntry("MESOS_AGENT_ENDPOINT", "1.2.3.4:5051")
        .containsEntry("MESOS_SLAVE_PID", "slave(1)@1.2.3.4:5051")
        .containsEntry("MESOS_DIRECTORY", "/sb").containsEntry("MESOS_SANDBOX", "/sb")
        .containsEntry("MESOS_CHECKPOINT", "0").containsEntry("MESOS_HTTP_COMMAND_EXECUTOR", "1")
        .containsEntry("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "10secs").containsEntry("FOO", "bar")
        .doesNotContainKey("MESOS_RECOVERY_TIMEOUT");
    Map<String, String> checkpointing = ExecutorEnvironment.of(Map.of(), info,
        SlaveID.newBuilder().setValue("s1").build(), "e", "p", Path.of("/sb"), true, Duration.ofSeconds(5));
    assertThat(checkpointing).containsEntry("MESOS_CHECKPOINT", "1").containsEntry("MESOS_RECOVERY_TIMEOUT", "15mins")
        .containsEntry("MESOS_SUBSCRIPTION_BACKOFF_MAX", "2secs");
  }

  @Test
  void commandExecutorRunsOnItsOwnJarsWhenInstalledAndOnTheWholeClassPathOtherwise() {
    String installed = String.join(java.io.File.pathSeparator, "/opt/lib/netty-handler-4.1.jar",
        "/opt/lib/jmesos-protocol-0.1.jar", "/opt/lib/logback-classic-1.5.jar", "/opt/lib/slf4j-api-2.0.jar",
        "/opt/lib/protobuf-java-3.25.jar", "/opt/lib/jmesos-executor-driver-0.1.jar");
    assertThat(CommandExecutors.executorClassPath(installed)).isEqualTo(String.join(java.io.File.pathSeparator,
        "/opt/lib/jmesos-executor-driver-0.1.jar", "/opt/lib/jmesos-protocol-0.1.jar",
        "/opt/lib/protobuf-java-3.25.jar", "/opt/lib/slf4j-api-2.0.jar"));
    String classesDirs = String.join(java.io.File.pathSeparator, "/src/protocol/target/classes",
        "/src/executor-driver/target/classes", "/m2/protobuf-java-3.25.jar", "/m2/slf4j-api-2.0.jar");
    assertThat(CommandExecutors.executorClassPath(classesDirs)).isEqualTo(classesDirs);
  }
}
