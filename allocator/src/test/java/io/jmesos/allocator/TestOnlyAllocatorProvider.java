package io.jmesos.allocator;

import io.jmesos.actor.Clock;

/** A provider registered only on the test class path, proving third-party allocators plug in by name. */
public final class TestOnlyAllocatorProvider implements AllocatorProvider {
  public static final String NAME = "TestOnly";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Allocator create(Clock clock) {
    return new SimpleAllocator(clock);
  }
}
