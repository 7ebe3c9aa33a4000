package io.jmesos.actor;

import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * The source of time and timers for every component. Production code uses {@link SystemClock}; tests use
 * {@link ManualClock} and advance time explicitly instead of sleeping (Mesos' {@code Clock::pause()} and
 * {@code Clock::advance()}).
 *
 * <p>Implementations are thread-safe.
 */
public interface Clock {

  /** Monotonic time in nanoseconds, for measuring durations. */
  long nanoTime();

  /** Wall-clock time in milliseconds since the epoch, for timestamps that leave the process. */
  long currentTimeMillis();

  /** Wall-clock time in (fractional) seconds since the epoch, the unit Mesos uses in status updates. */
  default double currentTimeSeconds() {
    return currentTimeMillis() / 1000.0;
  }

  /**
   * Runs {@code task} on {@code target} once {@code delay} has passed. A timer that is cancelled before it
   * fires never runs.
   */
  Timer schedule(Duration delay, Executor target, Runnable task);

  /** A scheduled task. */
  interface Timer {
    /** Cancels the timer; returns false if it already fired or was cancelled. */
    boolean cancel();
  }
}
