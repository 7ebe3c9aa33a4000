package io.jmesos.actor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A clock that only moves when a test calls {@link #advance(Duration)}. Timers due by then are handed to
 * their executors in order of their due time. Wall time starts at a fixed instant so tests are repeatable.
 */
public final class ManualClock implements Clock {
  private final PriorityQueue<Entry> timers = new PriorityQueue<>();
  private long nanos;
  private final long wallOffsetMillis;
  private long sequence;

  public ManualClock() {
    this(1_700_000_000_000L);
  }

  public ManualClock(long startMillis) {
    this.wallOffsetMillis = startMillis;
  }

  @Override
  public synchronized long nanoTime() {
    return nanos;
  }

  @Override
  public synchronized long currentTimeMillis() {
    return wallOffsetMillis + nanos / 1_000_000;
  }

  @Override
  public synchronized Timer schedule(Duration delay, Executor target, Runnable task) {
    Entry entry = new Entry(nanos + Math.max(0, delay.toNanos()), sequence++, target, task);
    timers.add(entry);
    return () -> {
      synchronized (ManualClock.this) {
        return entry.cancelled.compareAndSet(false, true) && timers.remove(entry);
      }
    };
  }

  /** Moves time forward and fires every timer that is now due. */
  public void advance(Duration by) {
    List<Entry> due = new ArrayList<>();
    synchronized (this) {
      nanos += by.toNanos();
      while (!timers.isEmpty() && timers.peek().dueNanos <= nanos) {
        Entry e = timers.poll();
        if (e.cancelled.compareAndSet(false, true)) {
          due.add(e);
        }
      }
    }
    for (Entry e : due) {
      e.target.execute(e.task);
    }
  }

  /**
   * The {@link #nanoTime()} at which the earliest waiting timer is due, or {@link Long#MAX_VALUE} when none
   * waits; lets a test step time from one timer to the next instead of jumping past several at once.
   */
  public synchronized long nextDueNanos() {
    Entry next = timers.peek();
    return next == null ? Long.MAX_VALUE : next.dueNanos;
  }

  /** Number of timers still waiting. */
  public synchronized int pendingTimers() {
    return timers.size();
  }

  private static final class Entry implements Comparable<Entry> {
    final long dueNanos;
    final long seq;
    final Executor target;
    final Runnable task;
    final AtomicBoolean cancelled = new AtomicBoolean();

    Entry(long dueNanos, long seq, Executor target, Runnable task) {
      this.dueNanos = dueNanos;
      this.seq = seq;
      this.target = target;
      this.task = task;
    }

    @Override
    public int compareTo(Entry o) {
      int c = Long.compare(dueNanos, o.dueNanos);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }
}
