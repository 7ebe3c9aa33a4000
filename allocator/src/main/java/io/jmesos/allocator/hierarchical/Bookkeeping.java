package io.jmesos.allocator.hierarchical;

import io.jmesos.allocator.AllocatorOptions;
import io.jmesos.resources.Resources;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.SlaveID;

/**
 * The hierarchical allocator's state and the operations that keep its parts consistent: agents, frameworks and
 * their clients, the role tree, the role sorter and one framework sorter per role, refusal filters. Every
 * change of what a client holds goes through {@link #allocate} or {@link #release}, which update the agent,
 * the sorters and the role tree together (Mesos' {@code trackAllocatedResources} and
 * {@code untrackAllocatedResources}). Owned by the allocator's actor; not thread-safe.
 */
final class Bookkeeping {
  final AllocatorOptions options;
  final ScalarNames names = new ScalarNames();
  final SorterContext context;
  final Map<String, Double> weights = new HashMap<>();
  final RoleTree roles = new RoleTree();
  final Sorter<RoleState> roleSorter;
  final Map<SlaveID, Agent> agents = new LinkedHashMap<>();
  final Map<FrameworkID, Framework> frameworks = new LinkedHashMap<>();
  final FilterExpiry expiry = new FilterExpiry();
  final Random random;
  /** Global minimum allocatable alternatives (never empty: Mesos' default when the flag is unset). */
  final List<long[]> minAllocatable = new ArrayList<>();
  private final ArrayDeque<Integer> freeClientIds = new ArrayDeque<>();
  private final List<Client> deferredClients = new ArrayList<>();
  private final List<long[]> deferredScalars = new ArrayList<>();
  private int nextClientId;

  Bookkeeping(AllocatorOptions options, Random random) {
    this.options = options;
    this.random = random;
    this.context = new SorterContext(names, options.fairnessExcludedResourceNames());
    this.roleSorter = newSorter(options.roleSorter(), weights, true);
    List<Map<String, Double>> min = options.minAllocatableResources().isEmpty()
        ? List.of(Map.of("cpus", 0.01), Map.of("mem", 32.0))
        : options.minAllocatableResources();
    min.forEach(alternative -> minAllocatable.add(Scalars.of(alternative, names)));
  }

  private <T> Sorter<T> newSorter(String kind, Map<String, Double> sorterWeights, boolean hierarchical) {
    return AllocatorOptions.RANDOM.equals(kind)
        ? new RandomSorter<>(context, sorterWeights, hierarchical, random)
        : new DrfSorter<>(context, sorterWeights, hierarchical);
  }

  // ---- Frameworks under roles ----

  Client trackFrameworkUnderRole(Framework framework, String role) {
    Client existing = framework.clients.get(role);
    if (existing != null) {
      return existing;
    }
    RoleState state = roles.getOrCreate(role);
    if (state.frameworks == 0) {
      roleSorter.add(role, state);
      roleSorter.activate(role);
      state.frameworkSorter = newSorter(options.frameworkSorter(), Map.of(), false);
    }
    state.frameworks++;
    Integer free = freeClientIds.poll();
    Client client = new Client(free != null ? free : nextClientId++, framework, state);
    framework.clients.put(role, client);
    state.frameworkSorter.add(client.key(), client);
    return client;
  }

  /** Stops tracking the framework under {@code role} unless it still holds resources of it. */
  boolean tryUntrackFrameworkUnderRole(Framework framework, String role) {
    Client client = framework.clients.get(role);
    if (client == null) {
      return true;
    }
    if (!client.agents.isEmpty()) {
      return false;
    }
    clearFilters(client);
    RoleState state = client.roleState;
    state.frameworkSorter.remove(client.key());
    framework.clients.remove(role);
    client.removed = true;
    freeClientIds.add(client.id);
    if (--state.frameworks == 0) {
      roleSorter.remove(role);
      state.frameworkSorter = null;
    }
    return true;
  }

  /** Activates or deactivates the framework in the framework sorter of each of its roles. */
  void updateActivation(Framework framework) {
    for (Client client : framework.clients.values()) {
      boolean wanted = framework.active && framework.roles.contains(client.role)
          && !framework.suppressedRoles.contains(client.role);
      if (wanted) {
        client.roleState.frameworkSorter.activate(client.key());
      } else {
        client.roleState.frameworkSorter.deactivate(client.key());
      }
    }
  }

  // ---- Holding resources ----

  /**
   * Records {@code candidate} as offered to {@code client} on {@code agent}. The sorters learn of it only at
   * {@link #flushSorters()}, so the allocation loop can walk them live; Mesos sorts once per agent too.
   */
  void allocate(Agent agent, Client client, Candidate candidate) {
    agent.setAvailable(candidate.whole ? Resources.empty() : agent.available.minus(candidate.resources));
    agent.hold(client, candidate.resources);
    client.agents.add(agent);
    roles.trackOffered(client.role, candidate.quotaScalars, 1);
    deferredClients.add(client);
    deferredScalars.add(candidate.scalars);
  }

  /** Applies the sorter updates {@link #allocate} deferred. */
  void flushSorters() {
    for (int i = 0; i < deferredClients.size(); i++) {
      Client client = deferredClients.get(i);
      long[] scalars = deferredScalars.get(i);
      client.roleState.frameworkSorter.allocated(client.key(), scalars);
      roleSorter.allocated(client.role, scalars);
    }
    deferredClients.clear();
    deferredScalars.clear();
  }

  /** Records resources used on {@code agent} that the available resources already exclude. */
  void trackUsed(Agent agent, Client client, Resources used) {
    agent.hold(client, used);
    track(agent, client, Scalars.of(used, names), quotaScalars(used), 1);
  }

  /**
   * Gives back what {@code client} held of {@code resources} on {@code agent}; returns what was actually
   * released (empty when it held none of it): the same content, possibly as another object.
   */
  Resources release(Agent agent, Client client, Resources resources) {
    Resources held = agent.heldBy(client);
    if (held.isEmpty()) {
      return Resources.empty();
    }
    Resources released;
    if (Agent.sameElements(held, resources)) {
      // All of it comes back: go on with the held object, which the agent's cached resources may share.
      released = held;
      agent.setHeld(client, Resources.empty());
    } else if (held.contains(resources)) {
      released = resources;
      agent.setHeld(client, held.minus(resources));
    } else {
      return Resources.empty();
    }
    agent.giveBack(released);
    track(agent, client, Scalars.of(released, names), quotaScalars(released), -1);
    if (agent.heldBy(client).isEmpty()) {
      client.agents.remove(agent);
    }
    return released;
  }

  /** Releases everything {@code client} holds on every agent. */
  void releaseAll(Client client) {
    for (Agent agent : new ArrayList<>(client.agents)) {
      release(agent, client, agent.heldBy(client));
    }
  }

  private void track(Agent agent, Client client, long[] scalars, long[] quotaScalars, int sign) {
    if (sign > 0) {
      client.agents.add(agent);
      client.roleState.frameworkSorter.allocated(client.key(), scalars);
      roleSorter.allocated(client.role, scalars);
    } else {
      client.roleState.frameworkSorter.unallocated(client.key(), scalars);
      roleSorter.unallocated(client.role, scalars);
    }
    roles.trackOffered(client.role, quotaScalars, sign);
  }

  long[] quotaScalars(Resources resources) {
    return Scalars.of(resources, names, r -> !Resources.isReserved(r) && !r.hasRevocable());
  }

  /** Splits resources by {@code allocation_info.role} ({@code fallback} when unset), without allocation info. */
  static Map<String, Resources> byAllocationRole(Resources resources, String fallback) {
    String only = null;
    for (Resource resource : resources) {
      String role = allocationRole(resource, fallback);
      if (only == null) {
        only = role;
      } else if (!only.equals(role)) {
        only = null;
        break;
      }
    }
    if (only != null) {
      return Map.of(only, resources.stripAllocationInfo()); // The usual case: one role.
    }
    Map<String, List<Resource>> lists = new LinkedHashMap<>();
    for (Resource resource : resources) {
      String role = allocationRole(resource, fallback);
      lists.computeIfAbsent(role, k -> new ArrayList<>()).add(resource.toBuilder().clearAllocationInfo().build());
    }
    Map<String, Resources> result = new LinkedHashMap<>();
    lists.forEach((role, list) -> result.put(role, Resources.of(list)));
    return result;
  }

  private static String allocationRole(Resource resource, String fallback) {
    return resource.hasAllocationInfo() && resource.getAllocationInfo().hasRole()
        ? resource.getAllocationInfo().getRole() : fallback;
  }

  // ---- Agents ----

  void addAgentTotals(Agent agent, int sign) {
    context.add(agent.totalScalars, sign);
    Map<String, List<Resource>> reserved = new HashMap<>();
    for (Resource resource : agent.total) {
      if (Resources.isReserved(resource)) {
        reserved.computeIfAbsent(Resources.reservationRole(resource), k -> new ArrayList<>()).add(resource);
      }
    }
    reserved.forEach((role, list) -> roles.trackReserved(role, Scalars.of(Resources.of(list), names), sign));
  }

  // ---- Filters ----

  void addFilter(Agent agent, Client client, Resources refused, long deadline, long now) {
    Refusal refusal = agent.filters.last;
    if (refusal == null || !(Agent.sameElements(refusal.resources, refused) || refusal.resources.equals(refused))) {
      refusal = new Refusal(refused, names);
      agent.filters.last = refusal;
    }
    int replaced = agent.filters.add(client.id, refusal, deadline, now);
    client.roleState.activeFilters += 1 - replaced;
    client.filteredAgents.add(agent);
    expiry.add(deadline, agent, client);
    if (client.filteredAgents.size() > Math.max(64, 2 * client.compactedSize)) {
      compactFilteredAgents(client);
    }
  }

  private void compactFilteredAgents(Client client) {
    Map<Agent, Boolean> seen = new IdentityHashMap<>();
    List<Agent> kept = new ArrayList<>();
    for (Agent agent : client.filteredAgents) {
      if (seen.put(agent, Boolean.TRUE) == null && !agent.removed && agent.filters.count(client.id) > 0) {
        kept.add(agent);
      }
    }
    client.filteredAgents.clear();
    client.filteredAgents.addAll(kept);
    client.compactedSize = kept.size();
  }

  void clearFilters(Client client) {
    for (Agent agent : client.filteredAgents) {
      if (!agent.removed) {
        client.roleState.activeFilters -= agent.filters.clear(client.id);
      }
    }
    client.filteredAgents.clear();
  }

  void clearFilters(Agent agent) {
    for (Framework framework : frameworks.values()) {
      for (Client client : framework.clients.values()) {
        client.roleState.activeFilters -= agent.filters.clear(client.id);
      }
    }
    agent.filters.last = null;
  }
}
