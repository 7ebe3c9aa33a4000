package io.jmesos.allocator;

import io.jmesos.actor.Clock;

/** Provides {@link SimpleAllocator} under the name {@code Simple}. */
public final class SimpleAllocatorProvider implements AllocatorProvider {
  public static final String NAME = "Simple";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Allocator create(Clock clock) {
    return new SimpleAllocator(clock);
  }
}
