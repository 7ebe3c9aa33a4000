package io.jmesos.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jmesos.agent.testing.AgentHarness;
import io.jmesos.internal.Messages.ExitedExecutorMessage;
import io.jmesos.internal.Messages.ShutdownFrameworkMessage;
import io.jmesos.internal.Messages.StatusUpdateMessage;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.mesos.Protos.TaskState;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A framework the master shuts down: its executors go, its unacknowledged updates stop being retried (nobody
 * will acknowledge them), and it moves to the completed frameworks.
 */
@Timeout(90)
class FrameworkShutdownTest {
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

  @Test
  void shutdownStopsRetryingUpdatesAndCompletesTheFrameworkOnceItsExecutorExits() {
    h.runTask(AgentHarness.commandTask("t1", "hang"));
    h.awaitUpdate("t1", TaskState.TASK_RUNNING); // never acknowledged

    shutdownFramework();
    // The executor gets SHUTDOWN and exits; the framework has nothing left on the agent.
    Awaitility.await().atMost(Duration.ofSeconds(20))
        .until(() -> h.state().get("completed_frameworks").size() == 1);
    JsonNode state = h.state();
    assertThat(state.get("frameworks")).isEmpty();
    assertThat(state.get("completed_frameworks").get(0).get("id").asText())
        .isEqualTo(AgentHarness.FRAMEWORK_ID.getValue());
    assertThat(h.metrics().get("slave/executors_terminated").asDouble()).isEqualTo(1.0);

    int sent = updatesSent();
    advanceWhileConnected(Duration.ofMinutes(20));
    assertThat(updatesSent()).as("no retries for a framework that was shut down").isEqualTo(sent);
    assertThat(h.updateCount("t1", TaskState.TASK_FAILED)).isZero();
  }

  @Test
  void shutdownCompletesAnExecutorThatOnlyAwaitsAcknowledgements() {
    h.runTask(AgentHarness.customExecutorTask("t2", "e2", "exit 3"));
    h.awaitUpdate("t2", TaskState.TASK_FAILED); // never acknowledged
    h.master.await(ExitedExecutorMessage.getDefaultInstance(), 1);
    h.settle();
    assertThat(h.state().get("frameworks")).hasSize(1);

    shutdownFramework();
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> h.state().get("completed_frameworks").size() == 1);
    assertThat(h.state().get("frameworks")).isEmpty();
    JsonNode executor = h.state().get("completed_frameworks").get(0).get("completed_executors").get(0);
    assertThat(executor.get("id").asText()).isEqualTo("e2");

    int sent = updatesSent();
    advanceWhileConnected(Duration.ofMinutes(20));
    assertThat(updatesSent()).isEqualTo(sent);
  }

  /**
   * Advances the clock a minute at a time, pinging in between so the agent keeps its master (a disconnected
   * agent pauses its retries, which would hide them).
   */
  private void advanceWhileConnected(Duration total) {
    for (Duration done = Duration.ZERO; done.compareTo(total) < 0; done = done.plusMinutes(1)) {
      h.flushToMaster();
      h.clock.advance(Duration.ofMinutes(1));
      h.settle();
    }
    h.flushToMaster();
    assertThat(h.metrics().get("slave/registered").asDouble()).isEqualTo(1.0);
  }

  private void shutdownFramework() {
    h.master.send(ShutdownFrameworkMessage.newBuilder().setFrameworkId(AgentHarness.FRAMEWORK_ID).build());
  }

  private int updatesSent() {
    return h.master.count(StatusUpdateMessage.getDefaultInstance());
  }
}
