package io.jmesos.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.agent.testing.AgentHarness;
import io.jmesos.internal.Messages.DrainSlaveMessage;
import io.jmesos.internal.Messages.StatusUpdate;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.mesos.Protos.DrainConfig;
import org.apache.mesos.Protos.DurationInfo;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** DrainSlaveMessage (Mesos' {@code Slave::drain}): the agent kills its tasks and says why, then is drained. */
@Timeout(90)
class AgentDrainTest {
  @TempDir
  Path workDir;
  AgentHarness h;

  @BeforeEach
  void setUp() throws InterruptedException {
    h = new AgentHarness(workDir).start();
    h.register();
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  private static DrainSlaveMessage drain() {
    return DrainSlaveMessage.newBuilder().setConfig(DrainConfig.newBuilder()
        .setMaxGracePeriod(DurationInfo.newBuilder().setNanoseconds(0))).build();
  }

  @Test
  void drainKillsRunningTasksWithTheDrainingReason() {
    h.runTask(AgentHarness.commandTask("t1", "hang"));
    h.acknowledge(h.awaitUpdate("t1", TaskState.TASK_RUNNING));

    h.master.send(drain());
    StatusUpdate killed = h.awaitUpdate("t1", TaskState.TASK_KILLED);
    assertThat(killed.getStatus().getReason()).isEqualTo(TaskStatus.Reason.REASON_SLAVE_DRAINING);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> h.state().has("drain_config"));
    assertThat(h.state().at("/drain_config/max_grace_period/nanoseconds").asLong()).isZero();
    assertThat(h.state().get("estimated_drain_start_time_seconds").asLong()).isPositive();

    // Once the terminal update is acknowledged and the executor gone, no framework is left: drained.
    h.acknowledge(killed);
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !h.state().has("drain_config"));
    assertThat(h.state().get("frameworks").size()).isZero();
  }

  @Test
  void drainKillsQueuedTasksToo() {
    h.runTask(AgentHarness.customExecutorTask("t2", "e2", "sleep 30"));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> h.state().at("/frameworks/0/executors/0")
        .path("queued_tasks").size() == 1);
    h.master.send(drain());
    StatusUpdate killed = h.awaitUpdate("t2", TaskState.TASK_KILLED);
    assertThat(killed.getStatus().getReason()).as("Mesos overwrites the reason while draining")
        .isEqualTo(TaskStatus.Reason.REASON_SLAVE_DRAINING);
    assertThat(killed.getStatus().getSource()).isEqualTo(TaskStatus.Source.SOURCE_SLAVE);
  }
}
