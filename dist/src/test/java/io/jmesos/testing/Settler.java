package io.jmesos.testing;

import io.jmesos.actor.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@link FaultCluster#settle()} and {@link FaultCluster#advance}: polls the cluster's parts until none is
 * busy for a number of consecutive polls, within a bound; steps the manual clock from one due timer to the
 * next, settling after each step. Used from the test thread only.
 */
final class Settler {
  /** How long {@link #settle()} waits by default before it gives up. */
  static final Duration BOUND = Duration.ofSeconds(10);
  private static final long POLL_NANOS = Duration.ofMillis(1).toNanos();
  /** Consecutive idle polls wanted while drivers exist (their HTTP traffic cannot be counted). */
  private static final int STABLE_POLLS_WITH_DRIVERS = 5;
  private static final int MAX_STEPS = 10_000;

  /** A part of the cluster: its name, and what keeps it busy (null when idle). */
  record Part(String name, Supplier<String> busy) {}

  private final ManualClock clock;
  private final Duration bound;
  private final Supplier<List<Part>> parts;
  private final BooleanSupplier hasDrivers;

  /**
   * @param parts what to poll, asked anew at each poll (agents and drivers come and go)
   * @param hasDrivers whether scheduler drivers exist, whose HTTP traffic asks for several idle polls
   */
  Settler(ManualClock clock, Duration bound, Supplier<List<Part>> parts, BooleanSupplier hasDrivers) {
    this.clock = clock;
    this.bound = bound;
    this.parts = parts;
    this.hasDrivers = hasDrivers;
  }

  void settle() {
    long deadline = System.nanoTime() + bound.toNanos();
    int wanted = hasDrivers.getAsBoolean() ? STABLE_POLLS_WITH_DRIVERS : 1;
    int stable = 0;
    while (true) {
      List<String> busy = busy();
      if (busy.isEmpty()) {
        if (++stable >= wanted) {
          return;
        }
      } else {
        stable = 0;
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException("Cluster did not settle within " + bound.toMillis() + " ms; busy: "
              + String.join(", ", busy));
        }
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }

  private List<String> busy() {
    List<String> busy = new ArrayList<>();
    for (Part part : parts.get()) {
      String why = part.busy().get();
      if (why != null) {
        busy.add(part.name() + " (" + why + ")");
      }
    }
    return busy;
  }

  void advance(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException("Cannot move time backwards: " + by);
    }
    settle();
    long target = clock.nanoTime() + by.toNanos();
    for (int step = 0; step < MAX_STEPS; step++) {
      long now = clock.nanoTime();
      long next = clock.nextDueNanos();
      if (next > target) {
        clock.advance(Duration.ofNanos(target - now));
        settle();
        return;
      }
      clock.advance(Duration.ofNanos(Math.max(0, next - now)));
      settle();
    }
    throw new IllegalStateException("Time did not reach its target after " + MAX_STEPS + " timer steps; a timer "
        + "keeps rescheduling itself without delay?");
  }
}
