package io.jmesos.executor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.executor.Protos.Call;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The command executor as the agent runs it: a separate JVM whose stdout and stderr go to sandbox files. */
@Timeout(60)
class CommandExecutorProcessTest {
  @TempDir
  Path sandbox;
  private FakeAgent agent;
  private Process executor;

  @BeforeEach
  void setUp() throws Exception {
    agent = new FakeAgent();
    Map<String, String> env = agent.environment(false);
    env.put("MESOS_SANDBOX", sandbox.toString());
    env.put("MESOS_DIRECTORY", sandbox.toString());
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        CommandExecutor.class.getName())
        .directory(sandbox.toFile())
        .redirectOutput(sandbox.resolve("stdout").toFile())
        .redirectError(sandbox.resolve("stderr").toFile());
    builder.environment().clear();
    builder.environment().putAll(env);
    executor = builder.start();
  }

  @AfterEach
  void tearDown() {
    executor.destroyForcibly();
    agent.close();
  }

  @Test
  void echoRunsToCompletionAndTheExecutorExitsZero() throws Exception {
    agent.awaitSubscribed();

    agent.launch(FakeAgent.task("t1", CommandInfo.newBuilder().setValue("echo hello").build()));

    assertThat(executor.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(executor.exitValue()).isZero();
    List<TaskState> states = agent.calls(Call.Type.UPDATE).stream().map(c -> c.getUpdate().getStatus().getState())
        .collect(Collectors.toList());
    assertThat(states).containsExactly(TaskState.TASK_STARTING, TaskState.TASK_RUNNING, TaskState.TASK_FINISHED);
    assertThat(Files.readString(sandbox.resolve("stdout"))).isEqualTo("hello\n");
    assertThat(Files.readString(sandbox.resolve("stderr"))).contains("Forked command at", "TASK_FINISHED");
    assertThat(new File(sandbox.toFile(), "stderr")).exists();
  }
}
