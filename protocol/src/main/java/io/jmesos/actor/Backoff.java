package io.jmesos.actor;

import java.time.Duration;
import java.util.Random;

/**
 * Exponential backoff with full jitter, as Mesos uses for agent registration and driver re-subscription:
 * each attempt waits a random time in [0, min(cap, initial * 2^attempt)]. Not thread-safe: owned by an actor.
 */
public final class Backoff {
  private final Duration initial;
  private final Duration cap;
  private final Random random;
  private int attempt;

  public Backoff(Duration initial, Duration cap, Random random) {
    if (initial.isNegative() || cap.compareTo(initial) < 0) {
      throw new IllegalArgumentException("Backoff needs 0 <= initial <= cap");
    }
    this.initial = initial;
    this.cap = cap;
    this.random = random;
  }

  public Backoff(Duration initial, Duration cap) {
    this(initial, cap, new Random());
  }

  /** The delay before the next attempt; grows with each call until {@link #reset()}. */
  public Duration next() {
    long bound = initial.toNanos() << Math.min(attempt, 30);
    if (bound <= 0 || bound > cap.toNanos()) {
      bound = cap.toNanos();
    }
    attempt++;
    return Duration.ofNanos(bound == 0 ? 0 : (long) (random.nextDouble() * bound));
  }

  public void reset() {
    attempt = 0;
  }
}
