package io.jmesos.agent.executors;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.agent.testing.AgentHarness;
import io.jmesos.internal.Messages.StatusUpdate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A built-in command executor whose start still waits in the {@link StartGate} when it is destroyed never
 * starts: its task fails at once, and no sandbox or process is made for it.
 */
@Timeout(90)
class QueuedStartTest {
  @TempDir
  Path workDir;
  AgentHarness h;

  @AfterEach
  void tearDown() {
    if (h != null) {
      h.close();
    }
  }

  private Path executorDir(String id) {
    return workDir.resolve("slaves/M1-S0/frameworks/M1-0000/executors/" + id);
  }

  @Test
  void aCommandExecutorTimedOutWhileWaitingForItsTurnNeverStartsAndItsTaskFailsAtOnce() throws Exception {
    // Command "executors" that never subscribe: every slot of the gate stays taken.
    h = new AgentHarness(workDir).start(Map.of("executor_registration_timeout", "5secs"), List.of("sleep", "120"));
    h.register();
    int slots = StartGate.defaultMax();
    for (int i = 0; i <= slots; i++) {
      h.runTask(AgentHarness.commandTask("q" + i, "finish"));
    }
    for (int i = 0; i < slots; i++) {
      Path dir = executorDir("q" + i);
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> Files.isDirectory(dir.resolve("runs")));
    }
    String queued = "q" + slots;
    h.settle();
    assertThat(executorDir(queued)).as("waits for a slot").doesNotExist();

    h.clock.advance(Duration.ofSeconds(5));

    StatusUpdate failed = h.awaitUpdate(queued, TaskState.TASK_FAILED);
    assertThat(failed.getStatus().getReason()).isEqualTo(TaskStatus.Reason.REASON_EXECUTOR_REGISTRATION_TIMEOUT);
    assertThat(failed.getStatus().getMessage()).startsWith("Executor did not register within");
    assertThat(executorDir(queued)).as("never started: no sandbox was made").doesNotExist();
    for (int i = 0; i < slots; i++) {
      StatusUpdate started = h.awaitUpdate("q" + i, TaskState.TASK_FAILED);
      assertThat(started.getStatus().getReason()).isEqualTo(TaskStatus.Reason.REASON_EXECUTOR_REGISTRATION_TIMEOUT);
    }
    h.settle();
    assertThat(executorDir(queued)).as("not started once the slots were freed either").doesNotExist();
  }
}
