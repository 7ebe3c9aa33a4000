package io.jmesos.executor.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.actor.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.mesos.Protos.CheckInfo;
import org.apache.mesos.Protos.CheckStatusInfo;
import org.apache.mesos.Protos.CommandInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The checker on a manual clock with a fake probe, as Mesos' {@code CommandCheckStatusChange} and timeouts. */
@Timeout(30)
class CheckerTest {
  private final ManualClock clock = new ManualClock();
  private final FakeProbe probe = new FakeProbe(clock);
  private final List<CheckStatusInfo> reported = new ArrayList<>();

  private Checker start() {
    CheckInfo check = CheckInfo.newBuilder().setType(CheckInfo.Type.COMMAND)
        .setCommand(CheckInfo.Command.newBuilder().setCommand(CommandInfo.newBuilder().setValue("true")))
        .setDelaySeconds(0).setIntervalSeconds(1).setTimeoutSeconds(2).build();
    return Checker.start(check, "t1", probe, clock, Runnable::run, reported::add);
  }

  private void next() {
    clock.advance(Duration.ofSeconds(probe.attempts.isEmpty() ? 0 : 1));
  }

  @Test
  void aStatusIsReportedOnlyWhenItChanges() {
    start();
    int[] codes = {1, 1, 0, 0, 1};
    for (int code : codes) {
      next();
      probe.exit(code);
    }
    assertThat(reported).extracting(s -> s.getCommand().getExitCode()).containsExactly(1, 0, 1);
  }

  @Test
  void aCheckThatCannotBePerformedReportsTheEmptyStatusOfItsType() {
    start();
    next();
    probe.exit(0);
    next();
    probe.fail("Failed to create subprocess");
    next();
    probe.fail("Failed again: no change");
    next();
    clock.advance(Duration.ofSeconds(2)); // Timed out: still empty, no change.
    assertThat(probe.attempts.get(3).isCancelled()).isTrue();
    assertThat(reported).containsExactly(FakeProbe.exitCode(0), Checker.emptyStatus(CheckInfo.Type.COMMAND));
    assertThat(reported.get(1).hasCommand()).isTrue();
    assertThat(reported.get(1).getCommand().hasExitCode()).isFalse();
  }

  @Test
  void theEmptyStatusAsTheFirstResultIsNoChange() {
    start();
    next();
    probe.fail("cannot start");
    assertThat(reported).isEmpty();
  }

  @Test
  void emptyStatusesHaveTheirTypesField() {
    assertThat(Checker.emptyStatus(CheckInfo.Type.HTTP).hasHttp()).isTrue();
    assertThat(Checker.emptyStatus(CheckInfo.Type.TCP).hasTcp()).isTrue();
    assertThat(Checker.emptyStatus(CheckInfo.Type.COMMAND).hasCommand()).isTrue();
  }
}
