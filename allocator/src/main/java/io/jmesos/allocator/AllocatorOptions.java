package io.jmesos.allocator;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@link Allocator#initialize} needs: how often to run a batch allocation and where offers go.
 *
 * @param allocationInterval time between batch allocations (Mesos' {@code --allocation_interval}, 1secs)
 * @param offerCallback receiver of offers
 */
public record AllocatorOptions(Duration allocationInterval, OfferCallback offerCallback) {
  public static final Duration DEFAULT_ALLOCATION_INTERVAL = Duration.ofSeconds(1);

  public AllocatorOptions {
    Objects.requireNonNull(allocationInterval, "allocationInterval");
    Objects.requireNonNull(offerCallback, "offerCallback");
    if (allocationInterval.isNegative() || allocationInterval.isZero()) {
      throw new IllegalArgumentException("allocation interval must be positive, got " + allocationInterval);
    }
  }
}
