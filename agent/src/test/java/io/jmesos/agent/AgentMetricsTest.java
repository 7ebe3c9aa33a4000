package io.jmesos.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.jmesos.agent.testing.AgentHarness;
import io.jmesos.internal.Messages.FrameworkToExecutorMessage;
import io.jmesos.resources.Resources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.mesos.Protos.CommandInfo;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The agent's {@code /metrics/snapshot} gauges and counters follow a running task and framework messages. */
@Timeout(90)
class AgentMetricsTest {
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

  @Test
  void gaugesFollowARunningTaskAndFrameworkMessagesAreCountedValidOrInvalid() throws Exception {
    h = new AgentHarness(workDir).start(Map.of("command_executor", "embedded"), List.of("/bin/false"));
    h.register();
    h.runTask(TaskInfo.newBuilder()
        .setName("sleeps")
        .setTaskId(TaskID.newBuilder().setValue("sleeps"))
        .setSlaveId(AgentHarness.SLAVE_ID)
        .addAllResources(Resources.parse("cpus:0.5;mem:64").toList())
        .setCommand(CommandInfo.newBuilder().setValue("sleep 600"))
        .build());
    h.acknowledge(h.awaitUpdate("sleeps", TaskState.TASK_STARTING)); // the next update waits for it
    h.awaitUpdate("sleeps", TaskState.TASK_RUNNING);

    JsonNode m = h.metrics();
    assertThat(m.get("slave/tasks_running").asDouble()).isEqualTo(1.0);
    assertThat(m.get("slave/tasks_staging").asDouble()).isEqualTo(0.0);
    assertThat(m.get("slave/tasks_killing").asDouble()).isEqualTo(0.0);
    assertThat(m.get("slave/frameworks_active").asDouble()).isEqualTo(1.0);
    assertThat(m.get("slave/executors_running").asDouble()).isEqualTo(1.0);
    assertThat(m.get("slave/executors_registering").asDouble()).isEqualTo(0.0);
    assertThat(m.get("slave/cpus_used").asDouble()).isGreaterThanOrEqualTo(0.5);
    assertThat(m.get("slave/mem_used").asDouble()).isGreaterThanOrEqualTo(64.0);
    assertThat(m.get("slave/cpus_percent").asDouble())
        .isEqualTo(m.get("slave/cpus_used").asDouble() / m.get("slave/cpus_total").asDouble());
    assertThat(m.get("slave/cpus_revocable_total").asDouble()).isEqualTo(0.0);

    h.master.send(message("nobody"));
    Awaitility.await().atMost(WAIT)
        .until(() -> h.metrics().get("slave/invalid_framework_messages").asDouble() == 1.0);
    h.master.send(message("sleeps"));
    Awaitility.await().atMost(WAIT)
        .until(() -> h.metrics().get("slave/valid_framework_messages").asDouble() == 1.0);
    assertThat(h.metrics().get("slave/invalid_framework_messages").asDouble()).isEqualTo(1.0);
  }

  private static FrameworkToExecutorMessage message(String executorId) {
    return FrameworkToExecutorMessage.newBuilder()
        .setSlaveId(AgentHarness.SLAVE_ID)
        .setFrameworkId(AgentHarness.FRAMEWORK_ID)
        .setExecutorId(ExecutorID.newBuilder().setValue(executorId))
        .setData(ByteString.copyFromUtf8("hello"))
        .build();
  }
}
