package io.jmesos.master.core;

import io.jmesos.actor.Actor;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * One bucket of {@code --rate_limits}, as Mesos' {@code BoundedRateLimiter} over libprocess' {@code RateLimiter}:
 * permits are spaced {@code 1/qps} apart on the actor's clock; a call that finds no permit waits in a FIFO queue
 * of at most {@code capacity} calls (unbounded without one) and runs on the actor when its permit comes. Nothing
 * blocks: a waiting call is a queued {@link Runnable} and one timer. Used only on the master's actor.
 */
final class FrameworkRateLimiter {
  private final Actor actor;
  private final long intervalNanos;
  private final Long capacity;
  private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
  private long previousNanos;
  private boolean granted;
  private boolean timerArmed;

  /** {@code capacity}: the most calls that may wait, or null for no bound. */
  FrameworkRateLimiter(Actor actor, double qps, Long capacity) {
    this.actor = Objects.requireNonNull(actor, "actor");
    if (!(qps > 0)) {
      throw new IllegalArgumentException("qps must be positive: " + qps);
    }
    this.intervalNanos = Math.max(1, Math.round(1e9 / qps));
    this.capacity = capacity;
  }

  /** The bound on waiting calls, or null when there is none. */
  Long capacity() {
    return capacity;
  }

  /** How many calls wait for a permit. */
  int waiting() {
    return waiting.size();
  }

  /**
   * Runs {@code call} now if a permit is free and nothing waits, else queues it behind the others.
   *
   * @return false, without running or keeping {@code call}, when {@code capacity} calls wait already
   */
  boolean submit(Runnable call) {
    actor.assertInActorThread();
    if (capacity != null && waiting.size() >= capacity) {
      return false;
    }
    long now = actor.clock().nanoTime();
    if (waiting.isEmpty() && (!granted || now - previousNanos >= intervalNanos)) {
      grant(now);
      call.run();
      return true;
    }
    waiting.add(call);
    if (!timerArmed) {
      arm(Math.max(0, previousNanos + intervalNanos - now));
    }
    return true;
  }

  /** The timer: one permit per firing, as libprocess' limiter, then the next after a full interval. */
  private void release() {
    timerArmed = false;
    Runnable next = waiting.poll();
    if (next == null) {
      return;
    }
    grant(actor.clock().nanoTime());
    if (!waiting.isEmpty()) {
      arm(intervalNanos);
    }
    next.run();
  }

  private void grant(long now) {
    granted = true;
    previousNanos = now;
  }

  private void arm(long delayNanos) {
    timerArmed = true;
    actor.delay(Duration.ofNanos(delayNanos), this::release);
  }
}
