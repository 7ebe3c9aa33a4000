package io.jmesos.scheduler;

import io.jmesos.actor.Clock;
import io.jmesos.actor.SystemClock;
import io.jmesos.detector.MasterDetector;
import io.jmesos.tls.TlsContext;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * jmesos-specific settings of a scheduler driver (and of the v1 scheduler library) that the Mesos Java API has
 * no place for: the clock (tests pass a {@link io.jmesos.actor.ManualClock}), the subscription timing, the
 * ZooKeeper session timeout, the v1 library's connection delay and, for tests, a master detector to use instead
 * of the master string. Immutable; derive variants with the {@code with...} methods.
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
  /** Mesos' {@code MASTER_DETECTOR_ZK_SESSION_TIMEOUT}, the driver's ZooKeeper session timeout. */
  public static final Duration DEFAULT_ZK_SESSION_TIMEOUT = Duration.ofSeconds(10);
  /** Mesos' {@code DEFAULT_CONNECTION_DELAY_MAX} of the v1 scheduler library. */
  public static final Duration DEFAULT_CONNECTION_DELAY_MAX = Duration.ofMillis(500);

  private final Clock clock;
  private final Duration registrationBackoffFactor;
  private final int maxMissedHeartbeats;
  private final Duration zkSessionTimeout;
  private final MasterDetector masterDetector;
  private final Duration connectionDelayMax;
  /** Null: this process' {@code LIBPROCESS_SSL_*} environment ({@link TlsContext#process()}), read on first use. */
  private final TlsContext tls;

  private DriverOptions(Clock clock, Duration registrationBackoffFactor, int maxMissedHeartbeats,
      Duration zkSessionTimeout, MasterDetector masterDetector, Duration connectionDelayMax) {
    this(clock, registrationBackoffFactor, maxMissedHeartbeats, zkSessionTimeout, masterDetector,
        connectionDelayMax, null);
  }

  private DriverOptions(Clock clock, Duration registrationBackoffFactor, int maxMissedHeartbeats,
      Duration zkSessionTimeout, MasterDetector masterDetector, Duration connectionDelayMax, TlsContext tls) {
    this.tls = tls;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.registrationBackoffFactor = Objects.requireNonNull(registrationBackoffFactor, "registrationBackoffFactor");
    if (maxMissedHeartbeats < 1) {
      throw new IllegalArgumentException("maxMissedHeartbeats must be >= 1, got " + maxMissedHeartbeats);
    }
    this.maxMissedHeartbeats = maxMissedHeartbeats;
    this.zkSessionTimeout = Objects.requireNonNull(zkSessionTimeout, "zkSessionTimeout");
    if (zkSessionTimeout.isZero() || zkSessionTimeout.isNegative()) {
      throw new IllegalArgumentException("zkSessionTimeout must be positive, got " + zkSessionTimeout);
    }
    this.masterDetector = masterDetector;
    this.connectionDelayMax = Objects.requireNonNull(connectionDelayMax, "connectionDelayMax");
    if (connectionDelayMax.isNegative()) {
      throw new IllegalArgumentException("connectionDelayMax must not be negative, got " + connectionDelayMax);
    }
  }

  public static DriverOptions defaults() {
    return new DriverOptions(SystemClock.get(), DEFAULT_REGISTRATION_BACKOFF_FACTOR, DEFAULT_MAX_MISSED_HEARTBEATS,
        DEFAULT_ZK_SESSION_TIMEOUT, null, DEFAULT_CONNECTION_DELAY_MAX);
  }

  public DriverOptions withClock(Clock clock) {
    return new DriverOptions(clock, registrationBackoffFactor, maxMissedHeartbeats, zkSessionTimeout, masterDetector,
        connectionDelayMax, tls);
  }

  public DriverOptions withRegistrationBackoffFactor(Duration factor) {
    return new DriverOptions(clock, factor, maxMissedHeartbeats, zkSessionTimeout, masterDetector,
        connectionDelayMax, tls);
  }

  public DriverOptions withMaxMissedHeartbeats(int missed) {
    return new DriverOptions(clock, registrationBackoffFactor, missed, zkSessionTimeout, masterDetector,
        connectionDelayMax, tls);
  }

  /** The session timeout of the driver's ZooKeeper client when the master is a {@code zk://} URL. */
  public DriverOptions withZkSessionTimeout(Duration timeout) {
    return new DriverOptions(clock, registrationBackoffFactor, maxMissedHeartbeats, timeout, masterDetector,
        connectionDelayMax, tls);
  }

  /**
   * Detects the leading master with {@code detector} instead of one made from the master string (tests appoint
   * masters with a {@link io.jmesos.detector.StandaloneMasterDetector}). The driver that starts with these
   * options closes it when it terminates: give each driver its own.
   */
  public DriverOptions withMasterDetector(MasterDetector detector) {
    return new DriverOptions(clock, registrationBackoffFactor, maxMissedHeartbeats, zkSessionTimeout,
        Objects.requireNonNull(detector, "detector"), connectionDelayMax, tls);
  }

  /**
   * The v1 scheduler library waits a random time in [0, {@code max}] before each (re-)connection attempt with
   * the master, as Mesos' {@code connection_delay_max} flag ({@code MESOS_CONNECTION_DELAY_MAX}).
   */
  public DriverOptions withConnectionDelayMax(Duration max) {
    return new DriverOptions(clock, registrationBackoffFactor, maxMissedHeartbeats, zkSessionTimeout, masterDetector,
        max, tls);
  }

  /** With TLS as {@code tls} says instead of as this process' {@code LIBPROCESS_SSL_*} variables do. */
  public DriverOptions withTls(TlsContext tls) {
    return new DriverOptions(clock, registrationBackoffFactor, maxMissedHeartbeats, zkSessionTimeout, masterDetector,
        connectionDelayMax, Objects.requireNonNull(tls, "tls"));
  }

  /**
   * The TLS the driver speaks to masters: as given to {@link #withTls}, else as this process' environment says
   * (Mesos' drivers read {@code LIBPROCESS_SSL_*}), which may fail with a {@link io.jmesos.tls.TlsException}.
   */
  public TlsContext tls() {
    return tls != null ? tls : TlsContext.process();
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

  public Duration zkSessionTimeout() {
    return zkSessionTimeout;
  }

  public Duration connectionDelayMax() {
    return connectionDelayMax;
  }

  /** The detector given by {@link #withMasterDetector}, if any. */
  public Optional<MasterDetector> masterDetector() {
    return Optional.ofNullable(masterDetector);
  }
}
