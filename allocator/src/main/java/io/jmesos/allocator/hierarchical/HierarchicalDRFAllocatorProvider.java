package io.jmesos.allocator.hierarchical;

import io.jmesos.actor.Clock;
import io.jmesos.allocator.Allocator;
import io.jmesos.allocator.AllocatorProvider;

/** Provides {@link HierarchicalDRFAllocator} under Mesos' name {@code HierarchicalDRF}. */
public final class HierarchicalDRFAllocatorProvider implements AllocatorProvider {
  public static final String NAME = "HierarchicalDRF";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Allocator create(Clock clock) {
    return new HierarchicalDRFAllocator(clock);
  }
}
