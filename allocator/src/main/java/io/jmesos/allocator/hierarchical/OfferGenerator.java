package io.jmesos.allocator.hierarchical;

import io.jmesos.resources.Resources;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.Value;

/**
 * One allocation run, as Mesos' {@code __generateOffers}: agents in random order; stage 1 gives roles with
 * unsatisfied quota guarantees what helps them towards it (plus, up to their limits and the headroom, the
 * rest of the agent), stage 2 shares everything left by weighted DRF over roles, then frameworks, holding
 * back the unreserved headroom that unsatisfied guarantees still need and never exceeding a quota limit.
 * Reservations (of the role or an ancestor), non-scalar and revocable resources always go with an offer.
 * Refusal filters and minimum allocatable resources are honoured.
 *
 * <p>Hot path: candidates come from the agent's cache (kept across runs while the agent's available resources
 * keep their content) and are only rebuilt when chopped for quota; a refusal check is a hash probe and an
 * identity comparison; sorters are walked live. Owned by the allocator's actor.
 */
final class OfferGenerator {
  private static final int ALL_CAPABILITIES = Framework.REVOCABLE | Framework.SHARED | Framework.REFINEMENT;

  private final Bookkeeping book;
  private Map<Framework, Map<String, Map<SlaveID, Resources>>> offers;
  private long now;
  private long[] requiredHeadroom;
  private long[] availableHeadroom;
  private boolean headroomNeeded;
  private long heldBack;

  OfferGenerator(Bookkeeping book) {
    this.book = book;
  }

  /** Allocates on {@code candidates} at time {@code now}; returns the offers by framework, role and agent. */
  Map<Framework, Map<String, Map<SlaveID, Resources>>> generate(List<Agent> candidates, long now) {
    this.now = now;
    this.offers = new LinkedHashMap<>();
    book.expiry.sweep(now);
    List<Agent> agents = new ArrayList<>(candidates.size());
    for (Agent agent : candidates) {
      if (agent.active && !agent.removed) {
        agents.add(agent);
      }
    }
    Collections.shuffle(agents, book.random);
    List<RoleState> guaranteed = book.roles.guaranteed();
    computeHeadroom(guaranteed);
    if (!guaranteed.isEmpty()) {
      for (Agent agent : agents) {
        stage1(agent);
        book.flushSorters();
      }
      Collections.shuffle(agents, book.random);
    }
    for (Agent agent : agents) {
      stage2(agent);
      book.flushSorters();
    }
    return offers;
  }

  long heldBackAgents() {
    return heldBack;
  }

  private void computeHeadroom(List<RoleState> guaranteed) {
    requiredHeadroom = Scalars.EMPTY;
    for (RoleState role : guaranteed) {
      if (role.parent == null) {
        requiredHeadroom = Scalars.add(requiredHeadroom,
            Scalars.minusFloored(role.guarantees, role.consumed()), 1);
      }
    }
    headroomNeeded = !Scalars.isZero(requiredHeadroom);
    availableHeadroom = Scalars.EMPTY;
    heldBack = 0;
    if (headroomNeeded) {
      for (Agent agent : book.agents.values()) {
        availableHeadroom = Scalars.add(availableHeadroom, agent.availableQuotaScalars(book.names), 1);
      }
    }
  }

  private void stage1(Agent agent) {
    if (!agent.hasAvailable()) {
      return;
    }
    for (RoleState role : book.roleSorter.ordered()) {
      if (!role.hasGuarantees() || !role.belowGuarantees()) {
        continue;
      }
      if (!agent.hasAvailable()) {
        return;
      }
      long[] unsatisfied = Scalars.minusFloored(role.guarantees, role.consumed());
      if (Scalars.isZero(unsatisfied)) {
        continue;
      }
      for (Client client : role.frameworkSorter.ordered()) {
        if (Scalars.isZero(unsatisfied)) {
          break;
        }
        Candidate any = agent.candidate(role.role, ALL_CAPABILITIES, book.names);
        if (any.isEmpty()) {
          break;
        }
        Framework framework = client.framework;
        if (!allocatable(any, role.role, framework)) {
          continue;
        }
        Candidate available = agent.candidate(role.role, framework.capabilities, book.names);
        Resources quotaResources = available.resources.filter(OfferGenerator::countsForQuota);
        Resources guaranteesOffering = shrink(quotaResources, unsatisfied, 0);
        if (guaranteesOffering.isEmpty()) {
          continue;
        }
        Resources toOffer = guaranteesOffering.plus(available.resources.filter(r ->
            (Resources.isReserved(r) && Resources.reservationRole(r).equals(role.role))
                || r.getType() != Value.Type.SCALAR || r.hasRevocable()));
        Resources additional = quotaResources.minus(guaranteesOffering);
        long[] guaranteed = Scalars.of(guaranteesOffering, book.names);
        if (limited(role)) {
          additional = shrinkToLimits(additional, role, guaranteed);
        }
        if (headroomNeeded && !additional.isEmpty()) {
          additional = shrink(additional, Scalars.minusFloored(availableHeadroom, requiredHeadroom), 0);
        }
        Candidate offer = Candidate.of(toOffer.plus(additional), book.names, false);
        if (!allocatable(offer, role.role, framework) || agent.filters.filtered(client.id, offer, now)) {
          continue;
        }
        offer(agent, client, offer);
        requiredHeadroom = Scalars.minusFloored(requiredHeadroom, guaranteed);
        availableHeadroom = Scalars.minusFloored(availableHeadroom, offer.quotaScalars);
        headroomNeeded = !Scalars.isZero(requiredHeadroom);
        unsatisfied = Scalars.minusFloored(role.guarantees, role.consumed());
      }
    }
  }

  private void stage2(Agent agent) {
    if (!agent.hasAvailable()) {
      return;
    }
    for (RoleState role : book.roleSorter.ordered()) {
      if (!agent.hasAvailable()) {
        return;
      }
      for (Client client : role.frameworkSorter.ordered()) {
        Candidate any = agent.candidate(role.role, ALL_CAPABILITIES, book.names);
        if (any.isEmpty()) {
          break;
        }
        Framework framework = client.framework;
        if (!allocatable(any, role.role, framework)) {
          continue;
        }
        Candidate offer = framework.capabilities == ALL_CAPABILITIES
            ? any : agent.candidate(role.role, framework.capabilities, book.names);
        if ((headroomNeeded || limited(role)) && !Scalars.isZero(offer.quotaScalars)) {
          offer = chop(offer, role);
        }
        if (offer.isEmpty() || !allocatable(offer, role.role, framework)
            || agent.filters.filtered(client.id, offer, now)) {
          continue;
        }
        offer(agent, client, offer);
        if (headroomNeeded) {
          availableHeadroom = Scalars.minusFloored(availableHeadroom, offer.quotaScalars);
        }
      }
    }
  }

  /** Applies the role's limits and the headroom to the unreserved non-revocable scalars of {@code offer}. */
  private Candidate chop(Candidate offer, RoleState role) {
    Resources quotaResources = offer.resources.filter(OfferGenerator::countsForQuota);
    Resources additional = quotaResources;
    if (limited(role)) {
      additional = shrinkToLimits(additional, role, Scalars.EMPTY);
    }
    if (headroomNeeded && !additional.isEmpty()) {
      Resources shrunk = shrink(additional, Scalars.minusFloored(availableHeadroom, requiredHeadroom), 0);
      if (shrunk.size() != additional.size() || !shrunk.equals(additional)) {
        heldBack++;
      }
      additional = shrunk;
    }
    if (additional == quotaResources) {
      return offer;
    }
    Resources rest = offer.resources.filter(r -> !countsForQuota(r));
    return Candidate.of(rest.plus(additional), book.names, false);
  }

  /** Cuts {@code resources} so neither the role nor any ancestor goes past its limit (a limit covers the subtree). */
  private Resources shrinkToLimits(Resources resources, RoleState role, long[] alsoConsumed) {
    long[] headroom = new long[book.names.size()];
    java.util.Arrays.fill(headroom, Long.MAX_VALUE);
    for (RoleState r = role; r != null; r = r.parent) {
      if (r.limits == null) {
        continue;
      }
      long[] consumed = Scalars.add(r.consumed(), alsoConsumed, 1);
      for (int i = 0; i < headroom.length; i++) {
        long limit = r.limit(i);
        if (limit != Long.MAX_VALUE) {
          headroom[i] = Math.min(headroom[i], Math.max(0, limit - Scalars.get(consumed, i)));
        }
      }
    }
    return shrink(resources, headroom, Long.MAX_VALUE);
  }

  /**
   * Mesos' {@code shrinkResources}: keeps scalar resources up to {@code target} per name (names past the
   * vector get {@code missing}), cutting the last one that crosses it; returns {@code resources} itself when
   * nothing had to go.
   */
  private Resources shrink(Resources resources, long[] target, long missing) {
    long[] left = new long[Math.max(target.length, book.names.size())];
    for (int i = 0; i < left.length; i++) {
      left[i] = i < target.length ? target[i] : missing;
    }
    List<Resource> kept = new ArrayList<>();
    boolean changed = false;
    for (Resource resource : resources) {
      if (resource.getType() != Value.Type.SCALAR) {
        kept.add(resource);
        continue;
      }
      int index = book.names.index(resource.getName());
      long value = Scalars.toFixed(resource.getScalar().getValue());
      long allowed = index < left.length ? left[index] : missing;
      long take = Math.min(value, allowed);
      if (take < value) {
        changed = true;
      }
      if (take > 0) {
        if (allowed != Long.MAX_VALUE && index < left.length) {
          left[index] -= take;
        }
        kept.add(take == value ? resource : resource.toBuilder()
            .setScalar(Value.Scalar.newBuilder().setValue(Scalars.fromFixed(take))).build());
      }
    }
    return changed ? Resources.of(kept) : resources;
  }

  private static boolean limited(RoleState role) {
    for (RoleState r = role; r != null; r = r.parent) {
      if (r.limits != null) {
        return true;
      }
    }
    return false;
  }

  private static boolean countsForQuota(Resource resource) {
    return resource.getType() == Value.Type.SCALAR && !Resources.isReserved(resource) && !resource.hasRevocable();
  }

  /** Mesos' {@code allocatable}: the framework's own minimum for the role, else the global one. */
  private boolean allocatable(Candidate candidate, String role, Framework framework) {
    if (candidate.isEmpty()) {
      return false;
    }
    List<long[]> own = framework.minAllocatable.isEmpty() ? null : framework.minAllocatable.get(role);
    if (own != null) {
      return own.isEmpty() || own.stream().anyMatch(q -> Scalars.covers(candidate.scalars, q));
    }
    if (candidate.minAllocatable == 0) {
      boolean ok = false;
      for (long[] alternative : book.minAllocatable) {
        if (Scalars.covers(candidate.scalars, alternative)) {
          ok = true;
          break;
        }
      }
      candidate.minAllocatable = (byte) (ok ? 1 : 2);
    }
    return candidate.minAllocatable == 1;
  }

  private void offer(Agent agent, Client client, Candidate offer) {
    book.allocate(agent, client, offer);
    offers.computeIfAbsent(client.framework, k -> new LinkedHashMap<>())
        .computeIfAbsent(client.role, k -> new LinkedHashMap<>())
        .merge(agent.id, offer.allocatedTo(client.role), Resources::plus);
  }
}
