package io.jmesos.actor;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real clock. Timers wait on one shared daemon thread and then hand their task to the target executor,
 * so no timer ever runs user code on the timer thread.
 */
public final class SystemClock implements Clock {
  private static final Logger LOG = LoggerFactory.getLogger(SystemClock.class);
  private static final SystemClock INSTANCE = new SystemClock();

  private final ScheduledThreadPoolExecutor timer;

  private SystemClock() {
    timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "jmesos-timer");
      t.setDaemon(true);
      return t;
    });
    timer.setRemoveOnCancelPolicy(true);
  }

  public static SystemClock get() {
    return INSTANCE;
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public long currentTimeMillis() {
    return System.currentTimeMillis();
  }

  @Override
  public Timer schedule(Duration delay, Executor target, Runnable task) {
    long nanos = Math.max(0, delay.toNanos());
    ScheduledFuture<?> future = timer.schedule(() -> {
      try {
        target.execute(task);
      } catch (RuntimeException e) {
        LOG.warn("Timer task could not be handed to its executor", e);
      }
    }, nanos, TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }
}
