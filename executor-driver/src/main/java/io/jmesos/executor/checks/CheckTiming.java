package io.jmesos.executor.checks;

import java.time.Duration;
import org.apache.mesos.Protos.CheckInfo;
import org.apache.mesos.Protos.HealthCheck;

/**
 * When a check runs: first after {@code delay}, then {@code interval} after each result; an attempt that takes
 * longer than {@code timeout} is aborted and counts as failed. A zero timeout means none (Mesos: "zero value
 * means infinite timeout"). Immutable.
 */
public final class CheckTiming {
  final Duration delay;
  final Duration interval;
  /** Null for no timeout. */
  final Duration timeout;

  public CheckTiming(Duration delay, Duration interval, Duration timeout) {
    this.delay = delay;
    this.interval = interval;
    this.timeout = timeout.isZero() || timeout.isNegative() ? null : timeout;
  }

  /** The timing of a check, with the protobuf's defaults (15 s delay, 10 s interval, 20 s timeout). */
  public static CheckTiming of(CheckInfo check) {
    return new CheckTiming(seconds(check.getDelaySeconds()), seconds(check.getIntervalSeconds()),
        seconds(check.getTimeoutSeconds()));
  }

  /** The timing of a health check, with the protobuf's defaults (15 s delay, 10 s interval, 20 s timeout). */
  public static CheckTiming of(HealthCheck check) {
    return new CheckTiming(seconds(check.getDelaySeconds()), seconds(check.getIntervalSeconds()),
        seconds(check.getTimeoutSeconds()));
  }

  static Duration seconds(double seconds) {
    return Duration.ofNanos((long) (Math.max(0.0, seconds) * 1e9));
  }
}
