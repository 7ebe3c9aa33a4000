package io.jmesos.master.registry;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Mesos' {@code registrar/*} metrics: queued operations, registry size, and fetch and store latency (the store
 * timer with Mesos' percentiles over the last {@value #WINDOW} stores). Written and read on the master's actor.
 */
public final class RegistrarMetrics {
  static final int WINDOW = 1000;

  private final double[] storeMs = new double[WINDOW];
  private long stores;
  private double fetchMs = Double.NaN;
  private long registrySizeBytes;
  private int queuedOperations;

  void fetched(long nanos) {
    fetchMs = nanos / 1e6;
  }

  void stored(long nanos, long sizeBytes) {
    storeMs[(int) (stores++ % WINDOW)] = nanos / 1e6;
    registrySizeBytes = sizeBytes;
  }

  void queued(int operations) {
    queuedOperations = operations;
  }

  /** The metrics by Mesos' names; latency keys appear once measured, as Mesos' timers do. */
  public Map<String, Double> snapshot() {
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("registrar/queued_operations", (double) queuedOperations);
    out.put("registrar/registry_size_bytes", (double) registrySizeBytes);
    if (!Double.isNaN(fetchMs)) {
      out.put("registrar/state_fetch_ms", fetchMs);
    }
    if (stores > 0) {
      int n = (int) Math.min(stores, WINDOW);
      double[] sorted = Arrays.copyOf(storeMs, n);
      Arrays.sort(sorted);
      out.put("registrar/state_store_ms", storeMs[(int) ((stores - 1) % WINDOW)]);
      out.put("registrar/state_store_ms/count", (double) n);
      out.put("registrar/state_store_ms/min", sorted[0]);
      out.put("registrar/state_store_ms/max", sorted[n - 1]);
      out.put("registrar/state_store_ms/p50", percentile(sorted, 0.5));
      out.put("registrar/state_store_ms/p90", percentile(sorted, 0.9));
      out.put("registrar/state_store_ms/p95", percentile(sorted, 0.95));
      out.put("registrar/state_store_ms/p99", percentile(sorted, 0.99));
      out.put("registrar/state_store_ms/p999", percentile(sorted, 0.999));
      out.put("registrar/state_store_ms/p9999", percentile(sorted, 0.9999));
    }
    return out;
  }

  /** Linear interpolation between closest ranks, as libprocess' TimeSeries percentiles. */
  private static double percentile(double[] sorted, double p) {
    double rank = p * (sorted.length - 1);
    int low = (int) Math.floor(rank);
    int high = (int) Math.ceil(rank);
    return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
  }
}
