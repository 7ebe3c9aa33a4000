package io.jmesos.logging;

import io.jmesos.actor.Clock;
import io.jmesos.actor.SystemClock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.IntConsumer;

/**
 * The process' verbose-logging level, as libprocess' {@code Logging} process keeps glog's {@code FLAGS_v}: 0 at
 * start (the original level), raised for a while by {@code /logging/toggle?level=N&duration=D} or the operator
 * API's {@code SET_LOGGING_LEVEL}, and set back to the original level once that duration has passed (a later
 * toggle replaces the pending revert). {@code GET_LOGGING_LEVEL} reads {@link #level()}.
 *
 * <p>What a level means is up to the sink it is applied to: {@link LogbackLogging#verbositySink()} maps 0 to the
 * daemon's {@code --logging_level}, 1 to DEBUG and 2 or more to TRACE for jmesos' own loggers.
 *
 * <p>Thread-safe. The revert runs on the clock's timer thread.
 */
public final class LoggingLevels {
  /** glog's {@code FLAGS_v} at start: Mesos daemons do not set {@code GLOG_v}. */
  public static final int ORIGINAL = 0;

  private static volatile LoggingLevels process;

  private final Clock clock;
  private final IntConsumer sink;
  private int level = ORIGINAL;
  private Clock.Timer revert;
  /** Which scheduled revert is the current one (an older one may fire after it was cancelled). */
  private Object revertToken;

  /** Levels applied to {@code sink} (called with each new level, under this object's lock). */
  public LoggingLevels(Clock clock, IntConsumer sink) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sink = Objects.requireNonNull(sink, "sink");
  }

  /**
   * The process' levels (glog's {@code FLAGS_v} is process-wide too): on the system clock, applied to logback's
   * jmesos loggers when logback is the slf4j binding.
   */
  public static LoggingLevels process() {
    LoggingLevels levels = process;
    if (levels == null) {
      synchronized (LoggingLevels.class) {
        if (process == null) {
          process = new LoggingLevels(SystemClock.get(), LogbackLogging.verbositySink());
        }
        levels = process;
      }
    }
    return levels;
  }

  /** The current verbosity level. */
  public synchronized int level() {
    return level;
  }

  /**
   * Sets the level to {@code newLevel} and, unless that is the original level, schedules the return to the
   * original level after {@code duration}, replacing any pending return.
   *
   * @throws IllegalArgumentException for a negative level or duration
   */
  public synchronized void toggle(int newLevel, Duration duration) {
    if (newLevel < 0) {
      throw new IllegalArgumentException("Invalid level '" + newLevel + "'");
    }
    if (duration.isNegative()) {
      throw new IllegalArgumentException("Invalid duration " + duration);
    }
    set(newLevel);
    if (revert != null) {
      revert.cancel();
      revert = null;
      revertToken = null;
    }
    if (newLevel != ORIGINAL) {
      Object token = new Object();
      revertToken = token;
      revert = clock.schedule(duration, Runnable::run, () -> revert(token));
    }
  }

  private synchronized void revert(Object token) {
    if (revertToken == token) {
      revert = null;
      revertToken = null;
      set(ORIGINAL);
    }
  }

  private void set(int newLevel) {
    if (newLevel != level) {
      level = newLevel;
      sink.accept(newLevel);
    }
  }
}
