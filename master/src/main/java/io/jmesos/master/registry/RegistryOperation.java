package io.jmesos.master.registry;

import io.jmesos.internal.RegistryProtos.Registry;

/**
 * One change to the registry (Mesos' {@code RegistryOperation}): admit an agent, mark it unreachable, ... The
 * registrar applies operations in the order they were asked for, stores the result, and only then answers.
 */
public interface RegistryOperation {
  /**
   * Applies the change to {@code registry}; returns whether it changed anything (an operation that finds its
   * change already made is a no-op, e.g. admitting an agent twice).
   */
  boolean apply(Registry.Builder registry);

  /**
   * Applies the change using {@code admitted}, the batch's index of admitted agents, which it keeps up to date.
   * By default {@link #apply(Registry.Builder)}, dropping the index when that changed anything.
   */
  default boolean apply(Registry.Builder registry, AdmittedAgents admitted) {
    boolean changed = apply(registry);
    if (changed) {
      admitted.invalidate();
    }
    return changed;
  }

  /** For logs: e.g. {@code Admit agent 1234-S0}. */
  String describe();
}
