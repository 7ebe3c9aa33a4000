package io.jmesos.allocator.hierarchical;

import java.util.Arrays;
import java.util.Map;

/**
 * A libprocess-style timer metric in milliseconds: {@code name} is the last value, {@code name/count} the
 * number of samples ever, and {@code /min}, {@code /max}, {@code /p50} ... {@code /p9999} are taken over the
 * most recent samples (a bounded window, as libprocess keeps a time series). Owned by the allocator's actor.
 */
final class TimerMetric {
  private static final int WINDOW = 1000;
  private static final double[] PERCENTILES = {0.5, 0.9, 0.95, 0.99, 0.999, 0.9999};
  private static final String[] SUFFIXES = {"p50", "p90", "p95", "p99", "p999", "p9999"};

  private final String name;
  private final double[] samples = new double[WINDOW];
  private long count;

  TimerMetric(String name) {
    this.name = name;
  }

  void record(long nanos) {
    samples[(int) (count % WINDOW)] = nanos / 1e6;
    count++;
  }

  void report(Map<String, Double> into) {
    if (count == 0) {
      return;
    }
    int n = (int) Math.min(count, WINDOW);
    double[] sorted = Arrays.copyOf(samples, n);
    Arrays.sort(sorted);
    into.put(name, samples[(int) ((count - 1) % WINDOW)]);
    into.put(name + "/count", (double) count);
    into.put(name + "/min", sorted[0]);
    into.put(name + "/max", sorted[n - 1]);
    for (int i = 0; i < PERCENTILES.length; i++) {
      into.put(name + "/" + SUFFIXES[i], percentile(sorted, PERCENTILES[i]));
    }
  }

  /** Linear interpolation between the closest ranks, as libprocess' time series percentiles. */
  private static double percentile(double[] sorted, double p) {
    double position = p * (sorted.length - 1);
    int lower = (int) Math.floor(position);
    int upper = Math.min(lower + 1, sorted.length - 1);
    return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
  }
}
