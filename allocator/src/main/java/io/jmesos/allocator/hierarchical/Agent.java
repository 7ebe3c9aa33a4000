package io.jmesos.allocator.hierarchical;

import io.jmesos.resources.Resources;
import io.jmesos.resources.Roles;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.SlaveInfo;

/**
 * The allocator's view of one agent: total and available resources (without allocation info), what each client
 * holds on it, resources of frameworks the allocator does not know yet, its refusal filters, and the candidates
 * (what could be offered to a role) cached until the available resources change. Owned by the allocator's
 * actor.
 */
final class Agent {
  final SlaveID id;
  SlaveInfo info;
  Resources total;
  Resources available;
  long[] totalScalars;
  boolean active = true;
  boolean removed;
  /** Roles that hold reservations on this agent. */
  Set<String> reservationRoles = Set.of();
  final AgentFilters filters = new AgentFilters();
  /** Offered or allocated resources per client; pieces are summed when read. */
  private final Map<Client, List<Resources>> held = new IdentityHashMap<>();
  /** Resources used by frameworks not added to the allocator yet (after a master failover). */
  final Map<FrameworkID, Resources> untracked = new HashMap<>();
  private final Map<String, Candidate[]> candidates = new HashMap<>();
  private long[] availableQuotaScalars;
  private long[] availableRevocable;

  Agent(SlaveID id, SlaveInfo info, Resources total, ScalarNames names) {
    this.id = id;
    this.info = info;
    setTotal(total, names);
    this.available = this.total;
  }

  void setTotal(Resources total, ScalarNames names) {
    this.total = total.stripAllocationInfo();
    this.totalScalars = Scalars.of(this.total, names);
    Set<String> reserved = new HashSet<>();
    for (Resource resource : this.total) {
      if (Resources.isReserved(resource)) {
        reserved.add(Resources.reservationRole(resource));
      }
    }
    this.reservationRoles = reserved;
  }

  void setAvailable(Resources available) {
    this.available = available;
    candidates.clear();
    availableQuotaScalars = null;
    availableRevocable = null;
  }

  boolean hasAvailable() {
    return !available.isEmpty();
  }

  /** What role {@code role} could be offered here by a framework with {@code capabilities}. */
  Candidate candidate(String role, int capabilities, ScalarNames names) {
    String key = reservedFor(role) ? role : Roles.ANY;
    Candidate[] byMask = candidates.computeIfAbsent(key, k -> new Candidate[8]);
    Candidate candidate = byMask[capabilities];
    if (candidate == null) {
      Resources resources;
      if (reservationRoles.isEmpty()) {
        resources = available;
      } else if (Roles.ANY.equals(key)) {
        resources = available.unreserved();
      } else {
        resources = available.allocatableTo(role);
      }
      resources = strip(resources, capabilities);
      candidate = Candidate.of(resources, names, resources.size() == available.size());
      byMask[capabilities] = candidate;
    }
    return candidate;
  }

  private boolean reservedFor(String role) {
    if (reservationRoles.isEmpty()) {
      return false;
    }
    for (String r = role; ; ) {
      if (reservationRoles.contains(r)) {
        return true;
      }
      int slash = r.lastIndexOf('/');
      if (slash < 0) {
        return false;
      }
      r = r.substring(0, slash);
    }
  }

  private static Resources strip(Resources resources, int capabilities) {
    if (capabilities == (Framework.REVOCABLE | Framework.SHARED | Framework.REFINEMENT)) {
      return resources;
    }
    boolean needed = false;
    for (Resource r : resources) {
      if (r.hasRevocable() || r.hasShared() || r.getReservationsCount() > 1) {
        needed = true;
        break;
      }
    }
    if (!needed) {
      return resources;
    }
    return resources.filter(r -> (capabilities & Framework.REVOCABLE) != 0 || !r.hasRevocable())
        .filter(r -> (capabilities & Framework.SHARED) != 0 || !r.hasShared())
        .filter(r -> (capabilities & Framework.REFINEMENT) != 0 || r.getReservationsCount() <= 1);
  }

  /** Available unreserved non-revocable scalars: this agent's part of the quota headroom. */
  long[] availableQuotaScalars(ScalarNames names) {
    if (availableQuotaScalars == null) {
      availableQuotaScalars = Scalars.of(available, names, r -> !Resources.isReserved(r) && !r.hasRevocable());
    }
    return availableQuotaScalars;
  }

  long[] availableRevocable(ScalarNames names) {
    if (availableRevocable == null) {
      availableRevocable = Scalars.of(available, names, r -> r.hasRevocable());
    }
    return availableRevocable;
  }

  void hold(Client client, Resources resources) {
    held.computeIfAbsent(client, k -> new ArrayList<>(1)).add(resources);
  }

  /** What {@code client} holds here. */
  Resources heldBy(Client client) {
    List<Resources> pieces = held.get(client);
    if (pieces == null) {
      return Resources.empty();
    }
    if (pieces.size() > 1) {
      Resources sum = Resources.empty();
      for (Resources piece : pieces) {
        sum = sum.plus(piece);
      }
      pieces.clear();
      pieces.add(sum);
    }
    return pieces.get(0);
  }

  /** Sets what {@code client} holds here; empty forgets the client. */
  void setHeld(Client client, Resources resources) {
    if (resources.isEmpty()) {
      held.remove(client);
    } else {
      List<Resources> pieces = new ArrayList<>(1);
      pieces.add(resources);
      held.put(client, pieces);
    }
  }

  Set<Client> holders() {
    return held.keySet();
  }

  /** Everything offered or allocated here, tracked or not. */
  Resources allocated() {
    Resources sum = Resources.empty();
    for (Client client : held.keySet()) {
      sum = sum.plus(heldBy(client));
    }
    for (Resources resources : untracked.values()) {
      sum = sum.plus(resources);
    }
    return sum;
  }
}
