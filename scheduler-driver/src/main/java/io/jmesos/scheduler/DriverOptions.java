package io.jmesos.scheduler;

import io.jmesos.actor.Clock;
import io.jmesos.actor.SystemClock;
import java.time.Duration;
import java.util.Objects;

/**
 * jmesos-specific settings of a scheduler driver that the Mesos Java API has no place for: the clock
 * (tests pass a {@link io.jmesos.actor.ManualClock}) and the subscription timing. Immutable; derive
 * variants with the {@code with...} methods.
 */
public final class DriverOptions {
  /** Mesos' default master heartbeat interval, assumed until SUBSCRIBED names the real one. */
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(15);
  /** Mesos' {@code registration_backoff_factor} default for scheduler drivers. */
  public static final Duration DEFAULT_REGISTRATION_BACKOFF_FACTOR = Duration.ofSeconds(2);
  /** Mesos' upper bound on the time between two subscription attempts. */
  public static final Duration REGISTRATION_RETRY_INTERVAL_MAX = Duration.ofMinutes(1);
  /** Heartbeat intervals without any event before the driver considers the subscription lost. */
  public static final int DEFAULT_MAX_MISSED_HEARTBEATS = 5;

  private final Clock clock;
  private final Duration registrationBackoffFactor;
  private final int maxMissedHeartbeats;

  private DriverOptions(Clock clock, Duration registrationBackoffFactor, int maxMissedHeartbeats) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.registrationBackoffFactor = Objects.requireNonNull(registrationBackoffFactor, "registrationBackoffFactor");
    if (maxMissedHeartbeats < 1) {
      throw new IllegalArgumentException("maxMissedHeartbeats must be >= 1, got " + maxMissedHeartbeats);
    }
    this.maxMissedHeartbeats = maxMissedHeartbeats;
  }

  public static DriverOptions defaults() {
    return new DriverOptions(SystemClock.get(), DEFAULT_REGISTRATION_BACKOFF_FACTOR, DEFAULT_MAX_MISSED_HEARTBEATS);
  }

  public DriverOptions withClock(Clock clock) {
    return new DriverOptions(clock, registrationBackoffFactor, maxMissedHeartbeats);
  }

  public DriverOptions withRegistrationBackoffFactor(Duration factor) {
    return new DriverOptions(clock, factor, maxMissedHeartbeats);
  }

  public DriverOptions withMaxMissedHeartbeats(int missed) {
    return new DriverOptions(clock, registrationBackoffFactor, missed);
  }

  public Clock clock() {
    return clock;
  }

  public Duration registrationBackoffFactor() {
    return registrationBackoffFactor;
  }

  public int maxMissedHeartbeats() {
    return maxMissedHeartbeats;
  }
}
