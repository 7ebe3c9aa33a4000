package io.jmesos.allocator;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link Allocator#initialize} needs: where offers go and the master's allocator flags.
 *
 * @param allocationInterval time between batch allocations (Mesos' {@code --allocation_interval}, 1secs)
 * @param offerCallback receiver of offers
 * @param roleSorter {@code drf} or {@code random} ({@code --role_sorter})
 * @param frameworkSorter {@code drf} or {@code random} ({@code --framework_sorter})
 * @param fairnessExcludedResourceNames resource names left out of dominant-share computations ({@code
 *     --fair_sharing_excluded_resource_names})
 * @param minAllocatableResources alternatives, any one of which makes an agent's free resources worth offering;
 *     empty means Mesos' default ({@code cpus:0.01} or {@code mem:32}) ({@code --min_allocatable_resources})
 */
public record AllocatorOptions(
    Duration allocationInterval,
    OfferCallback offerCallback,
    String roleSorter,
    String frameworkSorter,
    Set<String> fairnessExcludedResourceNames,
    List<Map<String, Double>> minAllocatableResources) {
  public static final Duration DEFAULT_ALLOCATION_INTERVAL = Duration.ofSeconds(1);
  public static final String DRF = "drf";
  public static final String RANDOM = "random";

  public AllocatorOptions {
    Objects.requireNonNull(allocationInterval, "allocationInterval");
    Objects.requireNonNull(offerCallback, "offerCallback");
    if (allocationInterval.isNegative() || allocationInterval.isZero()) {
      throw new IllegalArgumentException("allocation interval must be positive, got " + allocationInterval);
    }
    checkSorter(roleSorter, "role sorter");
    checkSorter(frameworkSorter, "framework sorter");
    fairnessExcludedResourceNames = Set.copyOf(fairnessExcludedResourceNames);
    minAllocatableResources = minAllocatableResources.stream().map(Map::copyOf).toList();
  }

  /** Mesos' defaults for everything but the interval and the callback. */
  public AllocatorOptions(Duration allocationInterval, OfferCallback offerCallback) {
    this(allocationInterval, offerCallback, DRF, DRF, Set.of(), List.of());
  }

  private static void checkSorter(String sorter, String what) {
    if (!DRF.equals(sorter) && !RANDOM.equals(sorter)) {
      throw new IllegalArgumentException("Unknown " + what + " '" + sorter + "'; expected 'drf' or 'random'");
    }
  }
}
