package io.jmesos.master.http;

import io.jmesos.allocator.Allocator;
import io.jmesos.flags.Durations;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the allocator's metrics for a snapshot without blocking anyone: the allocator's future, bounded by a
 * timeout (Mesos' {@code /metrics/snapshot?timeout=...}, 5 seconds by default); when it fails or times out the
 * snapshot goes out without them, as Mesos leaves out metrics that did not answer in time. Thread-safe.
 */
final class AllocatorMetrics {
  private static final Logger LOG = LoggerFactory.getLogger(AllocatorMetrics.class);
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  private AllocatorMetrics() {}

  /** A future that always completes normally: the allocator's metrics, or an empty map. */
  static CompletableFuture<Map<String, Double>> fetch(Allocator allocator, Duration timeout) {
    CompletableFuture<Map<String, Double>> metrics;
    try {
      metrics = allocator.metrics().copy();
    } catch (RuntimeException e) {
      LOG.warn("Snapshot without allocator metrics: the allocator failed to take them", e);
      return CompletableFuture.completedFuture(Map.of());
    }
    return metrics.completeOnTimeout(null, timeout.toNanos(), TimeUnit.NANOSECONDS)
        .handle((values, failure) -> {
          if (failure != null) {
            LOG.warn("Snapshot without allocator metrics: {}", failure.toString());
            return Map.of();
          }
          if (values == null) {
            LOG.warn("Snapshot without allocator metrics: none within {}", Durations.format(timeout));
            return Map.of();
          }
          return values;
        });
  }

  /** Mesos' {@code timeout} query parameter ({@code 5secs}, {@code 100ms}, ...); the default when absent. */
  static Duration timeout(String text) {
    return text == null ? DEFAULT_TIMEOUT : Durations.parse(text);
  }
}
