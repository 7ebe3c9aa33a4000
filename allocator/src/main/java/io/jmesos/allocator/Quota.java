package io.jmesos.allocator;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A role's quota as Mesos 1.9+ defines it: guaranteed and limited scalar quantities by resource name (Mesos'
 * {@code ResourceQuantities}, e.g. {@code cpus -> 4.0}). A name missing from {@code limits} is unlimited; a name
 * missing from {@code guarantees} is guaranteed nothing. Immutable; maps are sorted copies.
 *
 * @param guarantees quantities the allocator sets aside for the role before fair sharing
 * @param limits quantities the role's allocation (reservations included) never exceeds
 */
public record Quota(Map<String, Double> guarantees, Map<String, Double> limits) {
  /** No guarantee and no limit: Mesos' default quota. */
  public static final Quota NONE = new Quota(Map.of(), Map.of());

  public Quota {
    guarantees = sortedCopy(guarantees, "guarantees");
    limits = sortedCopy(limits, "limits");
  }

  /** True when this quota guarantees nothing and limits nothing. */
  public boolean isNone() {
    return guarantees.isEmpty() && limits.isEmpty();
  }

  private static Map<String, Double> sortedCopy(Map<String, Double> quantities, String what) {
    Objects.requireNonNull(quantities, what);
    TreeMap<String, Double> copy = new TreeMap<>();
    quantities.forEach((name, value) -> {
      if (value == null || value.isNaN() || value < 0) {
        throw new IllegalArgumentException("Negative or undefined " + what + " quantity for '" + name + "'");
      }
      copy.put(name, value);
    });
    return java.util.Collections.unmodifiableMap(copy);
  }
}
