package io.jmesos.executor.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ExecutorEnvironmentTest {

  private static Duration gracePeriod(String value) {
    return ExecutorEnvironment.parse(Map.of("MESOS_FRAMEWORK_ID", "f", "MESOS_EXECUTOR_ID", "e",
        "MESOS_AGENT_ENDPOINT", "127.0.0.1:5051", "MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", value))
        .shutdownGracePeriod();
  }

  @Test
  void durationsTakeEveryMesosUnit() {
    assertThat(gracePeriod("10ns")).isEqualTo(Duration.ofNanos(10));
    assertThat(gracePeriod("10us")).isEqualTo(Duration.ofNanos(10_000));
    assertThat(gracePeriod("100ms")).isEqualTo(Duration.ofMillis(100));
    assertThat(gracePeriod("5secs")).isEqualTo(Duration.ofSeconds(5));
    assertThat(gracePeriod("15mins")).isEqualTo(Duration.ofMinutes(15));
    assertThat(gracePeriod("2.5hrs")).isEqualTo(Duration.ofMinutes(150));
    assertThat(gracePeriod("1days")).isEqualTo(Duration.ofDays(1));
    assertThat(gracePeriod("2weeks")).isEqualTo(Duration.ofDays(14));
  }

  @Test
  void durationsWithoutAKnownUnitOrNegativeAreRejected() {
    assertThatThrownBy(() -> gracePeriod("5")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD").hasMessageContaining("Invalid duration '5'");
    assertThatThrownBy(() -> gracePeriod("5seconds")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> gracePeriod("-1secs")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negative");
  }

  @Test
  void environmentNamesTheMissingVariable() {
    assertThatThrownBy(() -> ExecutorEnvironment.parse(Map.of("MESOS_FRAMEWORK_ID", "f")))
        .hasMessage("Expecting 'MESOS_EXECUTOR_ID' to be set in the environment");
  }

  @Test
  void environmentReadsTheAgentFromTheSlavePidWhenNoEndpointIsGiven() {
    ExecutorEnvironment env = ExecutorEnvironment.parse(Map.of("MESOS_FRAMEWORK_ID", "f",
        "MESOS_EXECUTOR_ID", "e", "MESOS_SLAVE_PID", "slave(1)@127.0.0.1:5051", "MESOS_CHECKPOINT", "1",
        "MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "7secs"));

    assertThat(env.agent().getPort()).isEqualTo(5051);
    assertThat(env.checkpoint()).isTrue();
    assertThat(env.shutdownGracePeriod()).isEqualTo(Duration.ofSeconds(7));
    assertThat(env.recoveryTimeout()).isEqualTo(Duration.ofMinutes(15));
  }
}
