package io.jmesos.transport;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets one log line through per interval and counts the events in between, so that an attack refused a
 * thousand times a second costs a line every few seconds, not a thousand. Thread-safe.
 */
final class Throttle {
  private final long intervalNanos;
  private final AtomicLong last;
  private final AtomicLong events = new AtomicLong();

  Throttle(long interval, TimeUnit unit) {
    this.intervalNanos = unit.toNanos(interval);
    this.last = new AtomicLong(System.nanoTime() - intervalNanos);
  }

  /** Counts an event; true when it should be logged (the first in its interval). */
  boolean allow() {
    events.incrementAndGet();
    long before = last.get();
    long now = System.nanoTime();
    return now - before >= intervalNanos && last.compareAndSet(before, now);
  }

  /** Events counted so far. */
  long events() {
    return events.get();
  }
}
