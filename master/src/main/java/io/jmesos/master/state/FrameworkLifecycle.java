package io.jmesos.master.state;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Where a framework is in its life on the master, and the only transitions allowed (Mesos'
 * {@code Framework::State} plus its completed frameworks). COMPLETED is final: a completed framework is never
 * re-admitted, and re-subscribing with its id is refused.
 */
public enum FrameworkLifecycle {
  /** Known only from a re-registering agent's report (after a master failover); its scheduler has not subscribed. */
  RECOVERED,
  /** Subscribed on an open stream: offered, sent events. */
  ACTIVE,
  /** Its stream broke: inactive, offers rescinded, removed unless it re-subscribes within its failover timeout. */
  DISCONNECTED,
  /** Torn down, or its failover timeout expired: tasks killed, executors shut down. */
  COMPLETED;

  private static final Map<FrameworkLifecycle, Set<FrameworkLifecycle>> NEXT = Map.of(
      RECOVERED, EnumSet.of(ACTIVE, COMPLETED),
      ACTIVE, EnumSet.of(ACTIVE, DISCONNECTED, COMPLETED),
      DISCONNECTED, EnumSet.of(ACTIVE, COMPLETED),
      COMPLETED, EnumSet.noneOf(FrameworkLifecycle.class));

  /** Whether a framework in this state may move to {@code next}. */
  public boolean canMoveTo(FrameworkLifecycle next) {
    return NEXT.get(this).contains(next);
  }
}
