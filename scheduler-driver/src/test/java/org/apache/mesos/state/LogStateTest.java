package org.apache.mesos.state;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link LogState}: jmesos has no replicated log, so it cannot be made; the error names the alternative. */
class LogStateTest {
  @Test
  void constructorsThrowNamingZooKeeperState() {
    assertThatThrownBy(() -> new LogState("localhost:2181", 10, TimeUnit.SECONDS, "/log", 1, "/tmp/log"))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("ZooKeeperState");
    assertThatThrownBy(() -> new LogState("localhost:2181", 10, TimeUnit.SECONDS, "/log", 1, "/tmp/log", 5))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("replicated log");
  }
}
