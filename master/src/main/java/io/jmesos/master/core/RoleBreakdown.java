package io.jmesos.master.core;

import io.jmesos.master.state.Agent;
import io.jmesos.master.state.Quantities;
import io.jmesos.resources.Resources;
import io.jmesos.resources.Roles;
import java.util.SortedMap;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.Resource;

/**
 * What a role and its subroles hold, as Mesos' {@code Master::RoleResourceBreakdown}: resources offered,
 * allocated (used by tasks and executors), reserved on registered agents, and the quota they consume (every
 * reservation plus unreserved non-revocable allocations). Scalar quantities only. A snapshot computed on the
 * master's actor.
 */
public final class RoleBreakdown {
  private final MasterContext ctx;
  private final String role;

  public RoleBreakdown(MasterContext ctx, String role) {
    this.ctx = ctx;
    this.role = role;
  }

  /** Offered resources allocated to the role's subtree. */
  public SortedMap<String, Double> offered() {
    return Quantities.of(offeredResources());
  }

  /** Resources used by tasks and executors, allocated to the role's subtree. */
  public SortedMap<String, Double> allocated() {
    return Quantities.of(allocatedResources());
  }

  /** Reservations for the role's subtree on registered agents, allocated or not. */
  public SortedMap<String, Double> reserved() {
    Resources reserved = Resources.empty();
    for (Agent agent : ctx.state.agents.values()) {
      for (Resource r : agent.total().reserved()) {
        if (inSubtree(Resources.reservationRole(r))) {
          reserved = reserved.plus(r);
        }
      }
    }
    return Quantities.of(reserved);
  }

  /** Quota consumption: reservations plus unreserved non-revocable allocations (Mesos' consumedQuota). */
  public SortedMap<String, Double> consumedQuota() {
    return Quantities.plus(reserved(), Quantities.of(allocatedResources().unreserved().nonRevocable()));
  }

  /** Allocated plus offered, with their details (the deprecated {@code resources} of /roles). */
  public Resources allocatedAndOffered() {
    return allocatedResources().plus(offeredResources());
  }

  private Resources offeredResources() {
    Resources offered = Resources.empty();
    for (Offer offer : ctx.state.offers.values()) {
      if (inSubtree(offer.getAllocationInfo().getRole())) {
        offered = offered.plus(Resources.of(offer.getResourcesList()));
      }
    }
    return offered;
  }

  private Resources allocatedResources() {
    Resources allocated = Resources.empty();
    for (Agent agent : ctx.state.agents.values()) {
      for (Resources used : ctx.frameworks.usedOn(agent).values()) {
        allocated = allocated.plus(used.filter(r -> inSubtree(r.getAllocationInfo().getRole())));
      }
    }
    return allocated;
  }

  private boolean inSubtree(String candidate) {
    return candidate.equals(role) || Roles.isStrictSubroleOf(candidate, role);
  }
}
