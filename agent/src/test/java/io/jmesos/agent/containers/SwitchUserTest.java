package io.jmesos.agent.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jmesos.agent.testing.AgentHarness;
import io.jmesos.internal.Messages.StatusUpdate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.mesos.Protos.CommandInfo;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code --switch_user}: executors run as the command's or the framework's user; an unknown user fails the task. */
@Timeout(60)
class SwitchUserTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir
  Path workDir;
  AgentHarness h;

  @AfterEach
  void tearDown() {
    if (h != null) {
      h.close();
    }
  }

  private static FrameworkInfo frameworkOf(String user) {
    return AgentHarness.FRAMEWORK.toBuilder().setUser(user).build();
  }

  private Path sandboxOf(String executorId) throws Exception {
    Path runs = workDir.resolve("slaves/M1-S0/frameworks/M1-0000/executors/" + executorId + "/runs");
    Awaitility.await().atMost(WAIT).until(() -> Files.isDirectory(runs));
    try (Stream<Path> list = Files.list(runs)) {
      return list.findFirst().orElseThrow();
    }
  }

  @Test
  void anUnknownUserFailsTheTaskWithALaunchFailure() throws Exception {
    h = new AgentHarness(workDir).start();
    h.register();
    h.runTask(AgentHarness.customExecutorTask("t1", "e1", "sleep 600"), frameworkOf("no-such-user-jmesos"));
    StatusUpdate failed = h.awaitUpdate("t1", TaskState.TASK_FAILED);
    assertThat(failed.getStatus().getReason()).isEqualTo(TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED);
    assertThat(failed.getStatus().getSource()).isEqualTo(TaskStatus.Source.SOURCE_SLAVE);
    assertThat(failed.getStatus().getMessage())
        .isEqualTo("Failed to launch container: Failed to get user information for 'no-such-user-jmesos': "
            + "no such user");
    assertThat(h.state().get("frameworks").get(0).get("executors").get(0).path("pid").isMissingNode()
        || h.state().get("frameworks").get(0).get("executors").size() == 0).isTrue();
  }

  @Test
  void theCommandsUserWinsOverTheFrameworksAndOwnsTheSandbox() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "switching users needs root");
    h = new AgentHarness(workDir).start();
    h.register();
    TaskInfo task = AgentHarness.customExecutorTask("t1", "e1", "id -u > uid; id -g > gid; exec sleep 600");
    task = task.toBuilder().setExecutor(task.getExecutor().toBuilder()
        .setCommand(CommandInfo.newBuilder().setValue(task.getExecutor().getCommand().getValue())
            .setUser("nobody"))).build();
    h.runTask(task, frameworkOf("no-such-user-jmesos"));
    Path sandbox = sandboxOf("e1");
    Awaitility.await().atMost(WAIT).until(() -> Files.exists(sandbox.resolve("gid"))
        && !Files.readString(sandbox.resolve("gid")).isBlank());
    assertThat(Files.readString(sandbox.resolve("uid")).trim()).isEqualTo(id("-u", "nobody"));
    assertThat(Files.readString(sandbox.resolve("gid")).trim()).isEqualTo(id("-g", "nobody"));
    assertThat(Files.getOwner(sandbox).getName()).isEqualTo("nobody");
    assertThat(Files.getOwner(sandbox.resolve("stdout")).getName()).isEqualTo("nobody");
  }

  @Test
  void withoutSwitchUserExecutorsRunAsTheAgentsUser() throws Exception {
    h = new AgentHarness(workDir).start(Map.of("switch_user", "false"));
    h.register();
    h.runTask(AgentHarness.customExecutorTask("t1", "e1", "id -u > uid; exec sleep 600"),
        frameworkOf("no-such-user-jmesos"));
    Path sandbox = sandboxOf("e1");
    Awaitility.await().atMost(WAIT).until(() -> Files.exists(sandbox.resolve("uid"))
        && !Files.readString(sandbox.resolve("uid")).isBlank());
    assertThat(Files.readString(sandbox.resolve("uid")).trim()).isEqualTo(id("-u", System.getProperty("user.name")));
  }

  private static String id(String option, String user) throws Exception {
    Process p = new ProcessBuilder(List.of("id", option, user)).start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    p.waitFor();
    return out;
  }
}
