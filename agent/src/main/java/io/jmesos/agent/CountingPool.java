package io.jmesos.agent;

import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agent's blocking pool (a cached thread pool) that counts the tasks submitted and not yet finished, so
 * that {@link #isIdle()} can tell a launch in progress from an idle agent. A task's results reach the actor
 * before the task counts as finished.
 */
final class CountingPool extends ThreadPoolExecutor {
  private final AtomicInteger busy = new AtomicInteger();

  CountingPool(ThreadFactory threads) {
    super(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), threads);
  }

  @Override
  public void execute(Runnable task) {
    busy.incrementAndGet();
    try {
      super.execute(() -> {
        try {
          task.run();
        } finally {
          busy.decrementAndGet();
        }
      });
    } catch (RuntimeException e) {
      busy.decrementAndGet();
      throw e;
    }
  }

  boolean isIdle() {
    return busy.get() == 0;
  }
}
