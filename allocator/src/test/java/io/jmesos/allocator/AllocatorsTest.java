package io.jmesos.allocator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jmesos.actor.ManualClock;
import org.junit.jupiter.api.Test;

class AllocatorsTest {
  @Test
  void findsBuiltInAndPluggedInProvidersByName() {
    assertThat(Allocators.providers()).containsKeys("HierarchicalDRF", "Simple", "TestOnly");
    try (Allocator allocator = Allocators.create(TestOnlyAllocatorProvider.NAME, new ManualClock())) {
      assertThat(allocator).isInstanceOf(SimpleAllocator.class);
    }
  }

  @Test
  void unknownNameListsTheKnownOnes() {
    assertThatThrownBy(() -> Allocators.create("Nope", new ManualClock()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unknown allocator 'Nope'").hasMessageContaining("HierarchicalDRF");
  }
}
