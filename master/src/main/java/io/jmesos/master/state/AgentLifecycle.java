package io.jmesos.master.state;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Where a master-side agent is in its life, and the only transitions allowed between these states (Mesos keeps
 * the same distinctions in {@code Master::slaves}: registering, registered and connected or not, unreachable,
 * gone, removed, recovered). An agent object that reaches UNREACHABLE, GONE or REMOVED is finished: if the
 * machine comes back it is admitted as a new object under the same id.
 */
public enum AgentLifecycle {
  /** Admission in progress (a registry write, once the registry is persisted). */
  REGISTERING,
  /** Admitted and connected: pinged, offered, sent tasks. */
  REGISTERED,
  /** Admitted, its connection broke: not offered; must re-register within {@code --agent_reregister_timeout}. */
  DISCONNECTED,
  /** Known from the registry after a master failover, not re-registered yet. */
  RECOVERED,
  /** Failed its health checks (or did not come back in time): its tasks are unreachable. */
  UNREACHABLE,
  /** Marked gone by the operator: never admitted again. */
  GONE,
  /** Unregistered by itself (a clean agent shutdown). */
  REMOVED;

  private static final Map<AgentLifecycle, Set<AgentLifecycle>> NEXT = Map.of(
      REGISTERING, EnumSet.of(REGISTERED),
      REGISTERED, EnumSet.of(REGISTERED, DISCONNECTED, UNREACHABLE, GONE, REMOVED),
      DISCONNECTED, EnumSet.of(REGISTERED, UNREACHABLE, GONE, REMOVED),
      RECOVERED, EnumSet.of(REGISTERED, UNREACHABLE, GONE),
      UNREACHABLE, EnumSet.noneOf(AgentLifecycle.class),
      GONE, EnumSet.noneOf(AgentLifecycle.class),
      REMOVED, EnumSet.noneOf(AgentLifecycle.class));

  /** Whether an agent in this state may move to {@code next}. */
  public boolean canMoveTo(AgentLifecycle next) {
    return NEXT.get(this).contains(next);
  }
}
