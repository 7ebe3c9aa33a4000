package io.jmesos.executor.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class MesosDurationTest {

  @Test
  void parsesEveryMesosUnit() {
    assertThat(MesosDuration.parse("10ns")).isEqualTo(Duration.ofNanos(10));
    assertThat(MesosDuration.parse("10us")).isEqualTo(Duration.ofNanos(10_000));
    assertThat(MesosDuration.parse("100ms")).isEqualTo(Duration.ofMillis(100));
    assertThat(MesosDuration.parse("5secs")).isEqualTo(Duration.ofSeconds(5));
    assertThat(MesosDuration.parse("15mins")).isEqualTo(Duration.ofMinutes(15));
    assertThat(MesosDuration.parse("2.5hrs")).isEqualTo(Duration.ofMinutes(150));
    assertThat(MesosDuration.parse("1days")).isEqualTo(Duration.ofDays(1));
    assertThat(MesosDuration.parse("2weeks")).isEqualTo(Duration.ofDays(14));
  }

  @Test
  void rejectsValuesWithoutAKnownUnit() {
    assertThatThrownBy(() -> MesosDuration.parse("5")).hasMessageContaining("Invalid duration '5'");
    assertThatThrownBy(() -> MesosDuration.parse("5seconds")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MesosDuration.parse("-1secs")).isInstanceOf(IllegalArgumentException.class);
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
