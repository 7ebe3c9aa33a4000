package io.jmesos.executor.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jmesos.actor.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.mesos.Protos.CheckInfo;
import org.apache.mesos.Protos.CheckStatusInfo;
import org.apache.mesos.Protos.CommandInfo;
import org.apache.mesos.Protos.HealthCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The health checker's judgement and schedule on a manual clock with a fake probe, as Mesos'
 * {@code HealthCheckTest} scenarios (ConsecutiveFailures, GracePeriod, HealthStatusChange,
 * HealthyToUnhealthyTransitionWithinGracePeriod, CheckCommandTimeout) at the checker's level.
 */
@Timeout(30)
class HealthCheckerTest {
  private final ManualClock clock = new ManualClock();
  private final FakeProbe probe = new FakeProbe(clock);
  private final List<HealthStatus> verdicts = new ArrayList<>();

  private static HealthCheck.Builder command() {
    return HealthCheck.newBuilder().setType(HealthCheck.Type.COMMAND)
        .setCommand(CommandInfo.newBuilder().setValue("true"));
  }

  private HealthChecker start(HealthCheck check) {
    return HealthChecker.start(check, "t1", probe, clock, Runnable::run, verdicts::add);
  }

  private static long seconds(double s) {
    return (long) (s * 1e9);
  }

  @Test
  void theFirstCheckRunsAfterTheDelayAndTheNextOneAnIntervalAfterEachResult() {
    start(command().setDelaySeconds(5).setIntervalSeconds(2).setGracePeriodSeconds(0).build());
    clock.advance(Duration.ofMillis(4999));
    assertThat(probe.attempts).isEmpty();
    clock.advance(Duration.ofMillis(1));
    assertThat(probe.attempts).hasSize(1);

    // No second attempt while the first one runs, however long it takes.
    clock.advance(Duration.ofSeconds(10));
    assertThat(probe.attempts).hasSize(1);
    probe.exit(0);
    clock.advance(Duration.ofMillis(1999));
    assertThat(probe.attempts).hasSize(1);
    clock.advance(Duration.ofMillis(1));
    assertThat(probe.startedAt).containsExactly(seconds(5), seconds(17));
  }

  @Test
  void defaultsAreMesosOnes() {
    start(command().build());
    clock.advance(Duration.ofSeconds(15));
    assertThat(probe.startedAt).containsExactly(seconds(15));
    probe.exit(0);
    clock.advance(Duration.ofSeconds(10));
    assertThat(probe.startedAt).containsExactly(seconds(15), seconds(25));
    // 20 s timeout: nothing at 19.9 s, a failure at 20 s.
    clock.advance(Duration.ofMillis(19_900));
    assertThat(verdicts).hasSize(1);
    clock.advance(Duration.ofMillis(100));
    assertThat(verdicts).hasSize(2);
    assertThat(verdicts.get(1).healthy()).isFalse();
  }

  @Test
  void consecutiveFailuresAreEachReportedAndTheLastOneKillsTheTask() {
    start(command().setDelaySeconds(0).setIntervalSeconds(1).setGracePeriodSeconds(0).setConsecutiveFailures(4)
        .build());
    for (int i = 1; i <= 4; i++) {
      clock.advance(Duration.ofSeconds(i == 1 ? 0 : 1));
      probe.exit(1);
      assertThat(verdicts).hasSize(i);
      HealthStatus verdict = verdicts.get(i - 1);
      assertThat(verdict.healthy()).isFalse();
      assertThat(verdict.consecutiveFailures()).isEqualTo(i);
      assertThat(verdict.killTask()).isEqualTo(i == 4);
    }
  }

  @Test
  void healthIsReportedOnTheFirstSuccessAndOnRecoveryOnly() {
    start(command().setDelaySeconds(0).setIntervalSeconds(1).setGracePeriodSeconds(0).build());
    int[] codes = {0, 0, 1, 0, 0};
    for (int i = 0; i < codes.length; i++) {
      clock.advance(Duration.ofSeconds(i == 0 ? 0 : 1));
      probe.exit(codes[i]);
    }
    assertThat(verdicts).extracting(HealthStatus::healthy).containsExactly(true, false, true);
    assertThat(verdicts.get(1).consecutiveFailures()).isEqualTo(1);
    assertThat(verdicts.get(2).consecutiveFailures()).isZero();
  }

  @Test
  void failuresWithinTheGracePeriodAreIgnoredUntilTheFirstSuccess() {
    start(command().setDelaySeconds(0).setIntervalSeconds(1).setGracePeriodSeconds(3).setConsecutiveFailures(1)
        .build());
    clock.advance(Duration.ZERO);
    probe.exit(1); // t=0: in the grace period, ignored.
    clock.advance(Duration.ofSeconds(1));
    probe.fail("could not start"); // t=1: ignored too.
    clock.advance(Duration.ofSeconds(1));
    probe.exit(1); // t=2.
    clock.advance(Duration.ofSeconds(1));
    probe.exit(1); // t=3: the grace period includes its end.
    assertThat(verdicts).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    probe.exit(1); // t=4: past it.
    assertThat(verdicts).hasSize(1);
    assertThat(verdicts.get(0).healthy()).isFalse();
    assertThat(verdicts.get(0).killTask()).isTrue();
  }

  @Test
  void aFailureAfterTheFirstSuccessCountsEvenWithinTheGracePeriod() {
    start(command().setDelaySeconds(0).setIntervalSeconds(1).setGracePeriodSeconds(9999).build());
    clock.advance(Duration.ZERO);
    probe.exit(0);
    clock.advance(Duration.ofSeconds(1));
    probe.exit(1);
    assertThat(verdicts).extracting(HealthStatus::healthy).containsExactly(true, false);
  }

  @Test
  void anAttemptPastItsTimeoutIsAbortedAndCountsAsAFailure() {
    start(command().setDelaySeconds(0).setIntervalSeconds(1).setTimeoutSeconds(2).setGracePeriodSeconds(0)
        .build());
    clock.advance(Duration.ZERO);
    clock.advance(Duration.ofSeconds(2));
    assertThat(probe.attempts.get(0).isCancelled()).isTrue();
    assertThat(verdicts).hasSize(1);
    assertThat(verdicts.get(0).healthy()).isFalse();
    // The next attempt one interval after the timeout; a late answer of the first one changes nothing.
    clock.advance(Duration.ofSeconds(1));
    assertThat(probe.startedAt).containsExactly(0L, seconds(3));
    probe.attempts.get(0).complete(FakeProbe.exitCode(0));
    assertThat(verdicts).hasSize(1);
  }

  @Test
  void aZeroTimeoutMeansNoTimeout() {
    start(command().setDelaySeconds(0).setTimeoutSeconds(0).setGracePeriodSeconds(0).build());
    clock.advance(Duration.ZERO);
    clock.advance(Duration.ofDays(1));
    assertThat(probe.attempts).hasSize(1);
    assertThat(probe.last().isDone()).isFalse();
    assertThat(verdicts).isEmpty();
  }

  @Test
  void httpAndTcpResultsAreJudgedAsMesosDoes() {
    assertThat(HealthChecker.interpret(http(200))).isNull();
    assertThat(HealthChecker.interpret(http(399))).isNull();
    assertThat(HealthChecker.interpret(http(199))).isEqualTo("Unexpected HTTP response code: 199");
    assertThat(HealthChecker.interpret(http(404))).isEqualTo("Unexpected HTTP response code: 404");
    assertThat(HealthChecker.interpret(CheckStatusInfo.newBuilder().setType(CheckInfo.Type.TCP)
        .setTcp(CheckStatusInfo.Tcp.newBuilder().setSucceeded(false)).build())).isEqualTo("TCP connection failed");
    assertThat(HealthChecker.interpret(CheckStatusInfo.newBuilder().setType(CheckInfo.Type.TCP)
        .setTcp(CheckStatusInfo.Tcp.newBuilder().setSucceeded(true)).build())).isNull();
    assertThat(HealthChecker.interpret(FakeProbe.exitCode(2))).isEqualTo("Command exited with status 2");
  }

  @Test
  void pausingAbortsTheAttemptAndStopsCheckingUntilResumed() {
    HealthChecker checker = start(command().setDelaySeconds(0).setIntervalSeconds(1).setGracePeriodSeconds(0)
        .build());
    clock.advance(Duration.ZERO);
    checker.pause();
    assertThat(probe.last().isCancelled()).isTrue();
    clock.advance(Duration.ofMinutes(5));
    assertThat(probe.attempts).hasSize(1);
    assertThat(verdicts).isEmpty();
    checker.stop();
    clock.advance(Duration.ofMinutes(5));
    assertThat(probe.attempts).hasSize(1);
  }

  @Test
  void anInvalidHealthCheckIsRefusedWithMesosMessage() {
    assertThatThrownBy(() -> start(command().setIntervalSeconds(-1).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Expecting 'interval_seconds' to be non-negative");
  }

  private static CheckStatusInfo http(int code) {
    return CheckStatusInfo.newBuilder().setType(CheckInfo.Type.HTTP)
        .setHttp(CheckStatusInfo.Http.newBuilder().setStatusCode(code)).build();
  }
}
