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
 *
 * <p>The candidates of the previous available resources are kept aside too: when the available resources
 * come back to the same content (the usual cycle: everything is offered, then declined or recovered), the
 * same candidates, with their scalar vectors, allocation-info-tagged resources and filter memos, are used
 * again instead of being rebuilt.
 */
final class Agent {
  private static final int ALL = Framework.REVOCABLE | Framework.SHARED | Framework.REFINEMENT;

  final SlaveID id;
  SlaveInfo info;
  Resources total;
  /** Available resources, always {@code view.available}. */
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
  /** Caches for the current available resources. */
  private View view;
  /** Caches for the previous non-empty available resources, restored when they come back. */
  private View previous;

  /** What is derived from one value of the available resources. */
  private static final class View {
    final Resources available;
    /** Candidates for roles without reservations here, by capability mask. */
    Candidate[] unreserved;
    /** Candidates for roles with reservations here (or an ancestor with them), by role, then mask. */
    Map<String, Candidate[]> reserved;
    /** 0 unknown, 1 when some resources are revocable, shared or refined (masks matter), 2 when none are. */
    byte maskable;
    long[] quotaScalars;
    long[] revocable;

    View(Resources available) {
      this.available = available;
    }
  }

  Agent(SlaveID id, SlaveInfo info, Resources total, ScalarNames names) {
    this.id = id;
    this.info = info;
    setTotal(total, names);
    this.view = new View(this.total);
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
    // The candidates' keys depend on the reservation roles: drop what was derived before.
    previous = null;
    if (view != null) {
      view = new View(view.available);
    }
  }

  void setAvailable(Resources available) {
    if (available == view.available) {
      return;
    }
    if (previous != null && sameElements(available, previous.available)) {
      View current = view;
      view = previous;
      previous = current.available.isEmpty() ? previous : current;
    } else {
      if (!view.available.isEmpty()) {
        previous = view;
      }
      view = new View(available);
    }
    this.available = view.available;
  }

  /** Adds {@code resources} back to the available ones (released or recovered). */
  void giveBack(Resources resources) {
    if (available.isEmpty() && previous != null && sameElements(resources, previous.available)) {
      setAvailable(previous.available);
    } else {
      setAvailable(available.plus(resources));
    }
  }

  /**
   * True when both hold the same elements in the same order (protobuf equality): a cheap sufficient test of
   * equal content, where {@link Resources#equals} would compare range by range both ways.
   */
  static boolean sameElements(Resources left, Resources right) {
    if (left == right) {
      return true;
    }
    if (left.size() != right.size()) {
      return false;
    }
    List<Resource> a = left.toList();
    List<Resource> b = right.toList();
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).equals(b.get(i))) {
        return false;
      }
    }
    return true;
  }

  boolean hasAvailable() {
    return !available.isEmpty();
  }

  /** What role {@code role} could be offered here by a framework with {@code capabilities}. */
  Candidate candidate(String role, int capabilities, ScalarNames names) {
    View v = view;
    if (v.available.isEmpty()) {
      return Candidate.NONE;
    }
    if (v.maskable == 0) {
      v.maskable = maskable(v.available) ? (byte) 1 : (byte) 2;
    }
    int mask = v.maskable == 2 ? ALL : capabilities;
    Candidate[] byMask;
    boolean reservedForRole = reservedFor(role);
    if (!reservedForRole) {
      if (v.unreserved == null) {
        v.unreserved = new Candidate[ALL + 1];
      }
      byMask = v.unreserved;
    } else {
      if (v.reserved == null) {
        v.reserved = new HashMap<>();
      }
      byMask = v.reserved.computeIfAbsent(role, k -> new Candidate[ALL + 1]);
    }
    Candidate candidate = byMask[mask];
    if (candidate == null) {
      Resources resources;
      if (reservationRoles.isEmpty()) {
        resources = v.available;
      } else if (!reservedForRole) {
        resources = v.available.unreserved();
      } else {
        resources = v.available.allocatableTo(role);
      }
      resources = strip(resources, mask);
      candidate = Candidate.of(resources, names, resources.size() == v.available.size());
      byMask[mask] = candidate;
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

  /** Whether the capabilities of a framework can change what it is offered of {@code resources}. */
  private static boolean maskable(Resources resources) {
    for (Resource r : resources) {
      if (r.hasRevocable() || r.hasShared() || r.getReservationsCount() > 1) {
        return true;
      }
    }
    return false;
  }

  private static Resources strip(Resources resources, int capabilities) {
    if (capabilities == ALL || !maskable(resources)) {
      return resources;
    }
    return resources.filter(r -> (capabilities & Framework.REVOCABLE) != 0 || !r.hasRevocable())
        .filter(r -> (capabilities & Framework.SHARED) != 0 || !r.hasShared())
        .filter(r -> (capabilities & Framework.REFINEMENT) != 0 || r.getReservationsCount() <= 1);
  }

  /** Available unreserved non-revocable scalars: this agent's part of the quota headroom. */
  long[] availableQuotaScalars(ScalarNames names) {
    if (view.quotaScalars == null) {
      view.quotaScalars = Scalars.of(available, names, r -> !Resources.isReserved(r) && !r.hasRevocable());
    }
    return view.quotaScalars;
  }

  long[] availableRevocable(ScalarNames names) {
    if (view.revocable == null) {
      view.revocable = Scalars.of(available, names, r -> r.hasRevocable());
    }
    return view.revocable;
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
