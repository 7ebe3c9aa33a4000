package io.jmesos.allocator;

import io.jmesos.actor.Clock;

/**
 * A named allocator implementation, found through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.jmesos.allocator.AllocatorProvider}). Implementations must have a public no-arg
 * constructor and be stateless.
 */
public interface AllocatorProvider {

  /** The name used with {@code --allocator}, e.g. {@code Simple}. */
  String name();

  /** A new allocator whose timers run on {@code clock}. */
  Allocator create(Clock clock);
}
