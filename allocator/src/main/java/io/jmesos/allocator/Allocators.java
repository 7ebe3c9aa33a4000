package io.jmesos.allocator;

import io.jmesos.actor.Clock;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Finds allocators by name among the {@link AllocatorProvider}s on the class path. Stateless, thread-safe. */
public final class Allocators {
  private Allocators() {}

  /** All providers by name, sorted. */
  public static TreeMap<String, AllocatorProvider> providers() {
    TreeMap<String, AllocatorProvider> byName = new TreeMap<>();
    for (AllocatorProvider provider : ServiceLoader.load(AllocatorProvider.class)) {
      byName.putIfAbsent(provider.name(), provider);
    }
    return byName;
  }

  /**
   * Creates the allocator called {@code name}.
   *
   * @throws IllegalArgumentException naming the known allocators when none is called {@code name}
   */
  public static Allocator create(String name, Clock clock) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(clock, "clock");
    TreeMap<String, AllocatorProvider> providers = providers();
    AllocatorProvider provider = providers.get(name);
    if (provider == null) {
      throw new IllegalArgumentException(
          "Unknown allocator '" + name + "'; available: " + String.join(", ", providers.keySet()));
    }
    return provider.create(clock);
  }
}
