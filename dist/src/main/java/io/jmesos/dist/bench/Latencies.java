package io.jmesos.dist.bench;

import java.util.Arrays;

/** Durations in nanoseconds, added from any thread. */
final class Latencies {
  private long[] values = new long[1024];
  private int size;

  synchronized void add(long nanos) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = nanos;
  }

  synchronized void clear() {
    size = 0;
  }

  /** The values so far, sorted. */
  synchronized long[] sorted() {
    long[] copy = Arrays.copyOf(values, size);
    Arrays.sort(copy);
    return copy;
  }
}
