package io.jmesos.dist.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The launch-burst harness on a small N, through the real master, agent (embedded command executor, posix
 * isolation), scheduler driver and processes: each round launches and kills its tasks, and the run ends with
 * nothing left. Not a benchmark: no rate is asserted.
 */
@Timeout(120)
class LaunchBurstTest {
  @Test
  void everyRoundRunsAndKillsItsTasksAndNothingIsLeft() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      // Throws when a task fails, a round times out, or a process or cgroup is left.
      LaunchBurst.main(new String[] {"3", "--rounds=2", "--isolation=posix/cpu,posix/mem"});
    } finally {
      System.setOut(original);
    }
    String report = out.toString(StandardCharsets.UTF_8);
    for (int round = 1; round <= 2; round++) {
      assertThat(report).contains("round " + round + ": running: 3 in ")
          .contains("round " + round + ": killed: 3 of 3 TASK_KILLED in ");
    }
    assertThat(report).contains("'" + LaunchBurst.SLEEP + "' processes left after the cluster stopped: 0");
  }
}
