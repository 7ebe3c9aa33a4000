package io.jmesos.allocator.hierarchical;

import io.jmesos.actor.Actor;
import io.jmesos.actor.Clock;
import io.jmesos.allocator.Allocator;
import io.jmesos.allocator.AllocatorOptions;
import io.jmesos.allocator.Quota;
import io.jmesos.resources.Resources;
import io.jmesos.resources.Roles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.Filters;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.SlaveInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mesos' hierarchical DRF allocator (provider name {@code HierarchicalDRF}): roles ordered by weighted dominant
 * share (or at random), then frameworks within each role; hierarchical roles; reservations for their role and
 * its descendants; quota guarantees and limits with headroom; refusal filters; suppress and revive; minimum
 * allocatable resources. See {@link OfferGenerator} for one run and {@link Bookkeeping} for the state.
 *
 * <p>Runs are batched every allocation interval and triggered, coalesced into one pending run, by the events
 * that trigger them in Mesos: adding or activating a framework, reviving, adding an agent (that agent only) and
 * changing an agent. Recovered resources, weights and quota wait for the next batch, as in Mesos.
 *
 * <p>Thread-safe facade: every public method enqueues onto the allocator's own actor, which owns all state and
 * calls the {@link io.jmesos.allocator.OfferCallback}.
 */
public final class HierarchicalDRFAllocator implements Allocator {
  private static final Logger LOG = LoggerFactory.getLogger(HierarchicalDRFAllocator.class);
  private static final String PREFIX = "allocator/mesos/";
  private static final List<String> GAUGED_RESOURCES = List.of("cpus", "mem", "disk");

  private final Actor actor;
  private final Clock clock;
  private final Random random;
  private final AtomicInteger queued = new AtomicInteger();
  private Bookkeeping book;
  private OfferGenerator generator;
  private Clock.Timer batchTimer;
  private boolean closed;
  private boolean paused;
  /** Agents to wait for after a master failover before allocating (Mesos' recovery hold-off); -1 when not. */
  private int recoveryTarget = -1;
  static final double RECOVERY_AGENT_SHARE = 0.8;
  static final java.time.Duration RECOVERY_HOLD_OFF = java.time.Duration.ofMinutes(10);
  private boolean runPending;
  private boolean allPending;
  private final Set<Agent> pendingAgents = new LinkedHashSet<>();
  private long requestedAt;
  private long allocationRuns;
  private final TimerMetric runTimer = new TimerMetric(PREFIX + "allocation_run_ms");
  private final TimerMetric latencyTimer = new TimerMetric(PREFIX + "allocation_run_latency_ms");

  public HierarchicalDRFAllocator(Clock clock) {
    this(clock, new Random());
  }

  /** With a given source of randomness (agent order, random sorter), for repeatable tests and benchmarks. */
  public HierarchicalDRFAllocator(Clock clock, Random random) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
    this.actor = new Actor("allocator", clock);
  }

  private void submit(Runnable work) {
    queued.incrementAndGet();
    actor.execute(() -> {
      queued.decrementAndGet();
      if (book == null) {
        LOG.warn("Allocator not initialized; ignoring a call");
        return;
      }
      work.run();
    });
  }

  @Override
  public void initialize(AllocatorOptions options) {
    Objects.requireNonNull(options, "options");
    actor.execute(() -> {
      if (book != null) {
        throw new IllegalStateException("Allocator initialized twice");
      }
      book = new Bookkeeping(options, random);
      generator = new OfferGenerator(book);
      LOG.info("Initialized hierarchical allocator with role sorter {}, framework sorter {}, interval {}",
          options.roleSorter(), options.frameworkSorter(), options.allocationInterval());
      scheduleBatch();
    });
  }

  // ---- Frameworks ----

  @Override
  public void addFramework(FrameworkID frameworkId, FrameworkInfo info, Map<SlaveID, Resources> used,
      boolean active) {
    Map<SlaveID, Resources> usedCopy = Map.copyOf(used);
    submit(() -> {
      if (book.frameworks.containsKey(frameworkId)) {
        LOG.warn("Framework {} added twice; ignoring", frameworkId.getValue());
        return;
      }
      Framework framework = new Framework(frameworkId, info, active, book.names);
      book.frameworks.put(frameworkId, framework);
      for (String role : framework.roles) {
        book.trackFrameworkUnderRole(framework, role);
      }
      String fallback = framework.roles.isEmpty() ? Roles.ANY : framework.roles.iterator().next();
      usedCopy.forEach((slaveId, resources) -> {
        Agent agent = book.agents.get(slaveId);
        if (agent != null) {
          Bookkeeping.byAllocationRole(resources, fallback)
              .forEach((role, part) -> trackUsed(agent, framework, role, part));
        }
      });
      book.updateActivation(framework);
      LOG.info("Added framework {} with roles {}", frameworkId.getValue(), framework.roles);
      if (active) {
        requestAllocation(null);
      }
    });
  }

  private void trackUsed(Agent agent, Framework framework, String role, Resources part) {
    Resources untracked = agent.untracked.get(framework.id);
    if (untracked != null && untracked.contains(part)) {
      Resources left = untracked.minus(part);
      if (left.isEmpty()) {
        agent.untracked.remove(framework.id);
      } else {
        agent.untracked.put(framework.id, left);
      }
    } else if (agent.available.contains(part)) {
      agent.setAvailable(agent.available.minus(part));
    } else {
      LOG.warn("Framework {} uses {} on agent {} beyond its available {}; not tracked",
          framework.id.getValue(), part, agent.id.getValue(), agent.available);
      return;
    }
    book.trackUsed(agent, book.trackFrameworkUnderRole(framework, role), part);
  }

  @Override
  public void removeFramework(FrameworkID frameworkId) {
    submit(() -> {
      Framework framework = book.frameworks.get(frameworkId);
      if (framework == null) {
        return;
      }
      for (Client client : new ArrayList<>(framework.clients.values())) {
        book.releaseAll(client);
      }
      for (Agent agent : book.agents.values()) {
        Resources untracked = agent.untracked.remove(frameworkId);
        if (untracked != null) {
          agent.setAvailable(agent.available.plus(untracked));
        }
      }
      for (String role : new ArrayList<>(framework.clients.keySet())) {
        book.tryUntrackFrameworkUnderRole(framework, role);
      }
      book.frameworks.remove(frameworkId);
      LOG.info("Removed framework {}", frameworkId.getValue());
    });
  }

  @Override
  public void activateFramework(FrameworkID frameworkId) {
    onFramework(frameworkId, framework -> {
      framework.active = true;
      book.updateActivation(framework);
      LOG.info("Activated framework {}", frameworkId.getValue());
      requestAllocation(null);
    });
  }

  @Override
  public void deactivateFramework(FrameworkID frameworkId) {
    onFramework(frameworkId, framework -> {
      framework.active = false;
      book.updateActivation(framework);
      framework.clients.values().forEach(book::clearFilters);
      LOG.info("Deactivated framework {}", frameworkId.getValue());
    });
  }

  @Override
  public void updateFramework(FrameworkID frameworkId, FrameworkInfo info, Set<String> suppressedRoles) {
    Set<String> suppressed = suppressedRoles == null ? null : Set.copyOf(suppressedRoles);
    onFramework(frameworkId, framework -> {
      Set<String> oldRoles = framework.roles;
      Set<String> oldSuppressed = new HashSet<>(framework.suppressedRoles);
      framework.update(info, book.names);
      for (String role : framework.roles) {
        if (!oldRoles.contains(role)) {
          book.trackFrameworkUnderRole(framework, role);
        }
      }
      for (String role : oldRoles) {
        if (!framework.roles.contains(role)) {
          Client client = framework.clients.get(role);
          if (client != null) {
            book.clearFilters(client);
          }
          book.tryUntrackFrameworkUnderRole(framework, role);
          framework.suppressedRoles.remove(role);
        }
      }
      if (suppressed != null) {
        framework.suppressedRoles.clear();
        framework.suppressedRoles.addAll(suppressed);
        framework.suppressedRoles.retainAll(framework.roles);
        for (String role : oldSuppressed) {
          Client client = framework.clients.get(role);
          if (!framework.suppressedRoles.contains(role) && client != null) {
            book.clearFilters(client);
          }
        }
      }
      book.updateActivation(framework);
      LOG.info("Updated framework {}: roles {}, suppressed {}", frameworkId.getValue(), framework.roles,
          framework.suppressedRoles);
    });
  }

  @Override
  public void suppressOffers(FrameworkID frameworkId, Set<String> roles) {
    Set<String> copy = Set.copyOf(roles);
    onFramework(frameworkId, framework -> {
      for (String role : copy.isEmpty() ? framework.roles : copy) {
        if (framework.roles.contains(role)) {
          framework.suppressedRoles.add(role);
        }
      }
      book.updateActivation(framework);
      LOG.info("Suppressed offers for roles {} of framework {}", copy.isEmpty() ? framework.roles : copy,
          frameworkId.getValue());
    });
  }

  @Override
  public void reviveOffers(FrameworkID frameworkId, Set<String> roles) {
    Set<String> copy = Set.copyOf(roles);
    onFramework(frameworkId, framework -> {
      Set<String> revived = copy.isEmpty() ? framework.roles : copy;
      for (String role : revived) {
        Client client = framework.clients.get(role);
        if (client != null) {
          book.clearFilters(client);
        }
        framework.suppressedRoles.remove(role);
      }
      book.updateActivation(framework);
      LOG.info("Unsuppressed offers and cleared filters for roles {} of framework {}", revived,
          frameworkId.getValue());
      requestAllocation(null);
    });
  }

  // ---- Agents ----

  @Override
  public void addSlave(SlaveID slaveId, SlaveInfo info, Resources total, Map<FrameworkID, Resources> used) {
    Map<FrameworkID, Resources> usedCopy = Map.copyOf(used);
    submit(() -> {
      if (book.agents.containsKey(slaveId)) {
        LOG.warn("Agent {} added twice; ignoring", slaveId.getValue());
        return;
      }
      Agent agent = new Agent(slaveId, info, total, book.names);
      book.agents.put(slaveId, agent);
      book.addAgentTotals(agent, 1);
      usedCopy.forEach((frameworkId, resources) -> {
        Resources stripped = resources.stripAllocationInfo();
        if (!agent.available.contains(stripped)) {
          LOG.warn("Agent {} reports {} used by framework {} beyond its total; ignored", slaveId.getValue(),
              stripped, frameworkId.getValue());
          return;
        }
        Framework framework = book.frameworks.get(frameworkId);
        if (framework == null) {
          agent.setAvailable(agent.available.minus(stripped));
          agent.untracked.merge(frameworkId, stripped, Resources::plus);
          return;
        }
        String fallback = framework.roles.isEmpty() ? Roles.ANY : framework.roles.iterator().next();
        Bookkeeping.byAllocationRole(resources, fallback)
            .forEach((role, part) -> trackUsed(agent, framework, role, part));
      });
      LOG.debug("Added agent {} ({}) with {} (available: {})", slaveId.getValue(), info.getHostname(),
          agent.total, agent.available);
      if (recoveryTarget >= 0 && book.agents.size() >= recoveryTarget) {
        endRecovery("agents back");
      }
      requestAllocation(agent);
    });
  }

  @Override
  public void removeSlave(SlaveID slaveId) {
    submit(() -> {
      Agent agent = book.agents.remove(slaveId);
      if (agent == null) {
        return;
      }
      for (Client client : new ArrayList<>(agent.holders())) {
        book.release(agent, client, agent.heldBy(client));
        if (!client.framework.roles.contains(client.role)) {
          book.tryUntrackFrameworkUnderRole(client.framework, client.role);
        }
      }
      book.clearFilters(agent);
      book.addAgentTotals(agent, -1);
      agent.removed = true;
      pendingAgents.remove(agent);
      LOG.info("Removed agent {}", slaveId.getValue());
    });
  }

  @Override
  public void activateSlave(SlaveID slaveId) {
    onAgent(slaveId, agent -> {
      agent.active = true;
      LOG.info("Agent {} reactivated", slaveId.getValue());
    });
  }

  @Override
  public void deactivateSlave(SlaveID slaveId) {
    onAgent(slaveId, agent -> {
      agent.active = false;
      LOG.info("Agent {} deactivated", slaveId.getValue());
    });
  }

  @Override
  public void updateSlave(SlaveID slaveId, SlaveInfo info, Resources total) {
    onAgent(slaveId, agent -> {
      boolean updated = false;
      if (!agent.info.getAttributesList().equals(info.getAttributesList())) {
        book.clearFilters(agent);
        updated = true;
      }
      if (!agent.info.equals(info)) {
        agent.info = info;
        updated = true;
      }
      if (total != null && !total.stripAllocationInfo().equals(agent.total)) {
        Resources allocated = agent.allocated();
        book.addAgentTotals(agent, -1);
        agent.setTotal(total, book.names);
        book.addAgentTotals(agent, 1);
        agent.setAvailable(agent.total.minus(allocated));
        LOG.info("Agent {} ({}) updated with total resources {}", slaveId.getValue(), info.getHostname(),
            agent.total);
        updated = true;
      }
      if (updated) {
        requestAllocation(agent);
      }
    });
  }

  // ---- Resources ----

  @Override
  public void updateAllocation(FrameworkID frameworkId, SlaveID slaveId, Resources consumed,
      Resources converted) {
    Objects.requireNonNull(consumed, "consumed");
    Objects.requireNonNull(converted, "converted");
    submit(() -> {
      Framework framework = book.frameworks.get(frameworkId);
      Agent agent = book.agents.get(slaveId);
      if (framework == null || agent == null) {
        return;
      }
      String fallback = framework.roles.isEmpty() ? Roles.ANY : framework.roles.iterator().next();
      Map<String, Resources> consumedByRole = Bookkeeping.byAllocationRole(consumed, fallback);
      Map<String, Resources> convertedByRole = Bookkeeping.byAllocationRole(converted, fallback);
      for (Map.Entry<String, Resources> part : consumedByRole.entrySet()) {
        Client client = framework.clients.get(part.getKey());
        if (client == null || !agent.heldBy(client).contains(part.getValue())) {
          LOG.warn("Ignoring operations of framework {} on agent {}: {} is not allocated to role {}",
              frameworkId.getValue(), slaveId.getValue(), part.getValue(), part.getKey());
          return;
        }
      }
      for (Map.Entry<String, Resources> part : consumedByRole.entrySet()) {
        book.release(agent, framework.clients.get(part.getKey()), part.getValue());
      }
      Resources stripped = consumed.stripAllocationInfo();
      book.addAgentTotals(agent, -1);
      agent.setTotal(agent.total.minus(stripped).plus(converted.stripAllocationInfo()), book.names);
      book.addAgentTotals(agent, 1);
      agent.setAvailable(agent.available.minus(stripped));
      convertedByRole.forEach((role, part) -> {
        Client client = framework.clients.get(role);
        if (client == null) {
          client = book.trackFrameworkUnderRole(framework, role);
        }
        book.trackUsed(agent, client, part);
      });
      LOG.info("Updated allocation of framework {} on agent {}: {} became {}", frameworkId.getValue(),
          slaveId.getValue(), consumed, converted);
    });
  }

  @Override
  public CompletableFuture<Optional<String>> updateAvailable(SlaveID slaveId, Map<FrameworkID, Resources> rescinded,
      Resources consumed, Resources converted) {
    Objects.requireNonNull(consumed, "consumed");
    Objects.requireNonNull(converted, "converted");
    Map<FrameworkID, Resources> recovered = Map.copyOf(rescinded);
    CompletableFuture<Optional<String>> done = new CompletableFuture<>();
    submit(() -> {
      recovered.forEach((frameworkId, resources) -> recover(frameworkId, slaveId, resources, null));
      Agent agent = book.agents.get(slaveId);
      Resources stripped = consumed.stripAllocationInfo();
      if (agent == null) {
        done.complete(Optional.of("Unknown agent " + slaveId.getValue()));
        return;
      }
      if (!agent.available.contains(stripped)) {
        done.complete(Optional.of(agent.available + " does not contain " + stripped));
        return;
      }
      Resources into = converted.stripAllocationInfo();
      book.addAgentTotals(agent, -1);
      agent.setTotal(agent.total.minus(stripped).plus(into), book.names);
      book.addAgentTotals(agent, 1);
      agent.setAvailable(agent.available.minus(stripped).plus(into));
      LOG.info("Updated available resources of agent {}: {} became {}", slaveId.getValue(), consumed, converted);
      done.complete(Optional.empty());
      requestAllocation(agent);
    });
    return done;
  }

  @Override
  public void recoverResources(FrameworkID frameworkId, SlaveID slaveId, Resources resources, Filters refusal) {
    Objects.requireNonNull(resources, "resources");
    submit(() -> recover(frameworkId, slaveId, resources, refusal));
  }

  private void recover(FrameworkID frameworkId, SlaveID slaveId, Resources resources, Filters refusal) {
    Framework framework = book.frameworks.get(frameworkId);
    Agent agent = book.agents.get(slaveId);
    if (resources.isEmpty() || framework == null || agent == null) {
      return;
    }
    String fallback = framework.roles.isEmpty() ? Roles.ANY : framework.roles.iterator().next();
    Bookkeeping.byAllocationRole(resources, fallback).forEach((role, part) -> {
      Client client = framework.clients.get(role);
      Resources released = client == null ? Resources.empty() : book.release(agent, client, part);
      if (released.isEmpty()) {
        LOG.debug("Recovered {} of framework {} on agent {} that were not allocated to role {}", part,
            frameworkId.getValue(), slaveId.getValue(), role);
        return;
      }
      LOG.debug("Recovered {} on agent {} from framework {}", part, slaveId.getValue(),
          frameworkId.getValue());
      if (refusal != null && !client.removed) {
        Duration timeout = refusalTimeout(refusal.getRefuseSeconds(), frameworkId, slaveId);
        if (!timeout.isZero()) {
          Duration effective = timeout.compareTo(book.options.allocationInterval()) < 0
              ? book.options.allocationInterval() : timeout;
          long now = clock.nanoTime();
          book.addFilter(agent, client, released, FilterExpiry.deadline(now, effective.toNanos()), now);
        }
      }
      if (!framework.roles.contains(role)) {
        book.tryUntrackFrameworkUnderRole(framework, role);
      }
    });
  }

  /** Mesos' handling of {@code refuse_seconds}: capped at 365 days, defaulted when negative or invalid. */
  static Duration refusalTimeout(double refuseSeconds, FrameworkID frameworkId, SlaveID slaveId) {
    double defaultSeconds = Filters.getDefaultInstance().getRefuseSeconds();
    if (refuseSeconds > Duration.ofDays(365).toSeconds()) {
      LOG.debug("Using 365 days to create the refused resources offer filter of framework {} on agent {}"
          + " because the input value is too big", frameworkId.getValue(), slaveId.getValue());
      return Duration.ofDays(365);
    }
    if (refuseSeconds < 0 || Double.isNaN(refuseSeconds)) {
      LOG.warn("Using the default value of 'refuse_seconds' to create the refused resources offer filter"
          + " of framework {} because the input value is negative", frameworkId.getValue());
      refuseSeconds = defaultSeconds;
    }
    return Duration.ofNanos((long) (refuseSeconds * 1e9));
  }

  // ---- Roles ----

  @Override
  public void updateWeights(Map<String, Double> weights) {
    Map<String, Double> copy = Map.copyOf(weights);
    submit(() -> {
      copy.forEach((role, weight) -> {
        book.weights.put(role, weight);
        book.roleSorter.updateWeight(role, weight);
      });
      LOG.info("Updated weights {}", new TreeMap<>(copy));
    });
  }

  @Override
  public void updateQuota(String role, Quota quota) {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(quota, "quota");
    submit(() -> {
      book.roles.getOrCreate(role).setQuota(quota, book.names);
      LOG.info("Updated quota for role '{}', guarantees: {} limits: {}", role, quota.guarantees(),
          quota.limits());
    });
  }

  /**
   * Mesos' {@code recover}: with quota set, allocation pauses until {@value #RECOVERY_AGENT_SHARE} of the
   * expected agents are back, or {@link #RECOVERY_HOLD_OFF} has passed, whichever comes first.
   */
  @Override
  public void recover(int expectedAgentCount, Map<String, Quota> quotas) {
    submit(() -> {
      if (quotas.isEmpty() || expectedAgentCount == 0) {
        LOG.info("Skipping recovery of hierarchical allocator: nothing to recover");
        return;
      }
      recoveryTarget = (int) Math.ceil(expectedAgentCount * RECOVERY_AGENT_SHARE);
      paused = true;
      LOG.info("Triggered allocator recovery: waiting for {} agents to reconnect or {} to pass", recoveryTarget,
          RECOVERY_HOLD_OFF);
      actor.delay(RECOVERY_HOLD_OFF, () -> endRecovery("timeout"));
      if (book.agents.size() >= recoveryTarget) {
        endRecovery("agents back");
      }
    });
  }

  private void endRecovery(String why) {
    if (recoveryTarget < 0) {
      return;
    }
    recoveryTarget = -1;
    paused = false;
    LOG.info("Allocator recovery complete ({}): {} agents", why, book.agents.size());
    requestAllocation(null);
  }

  // ---- Allocation runs ----

  private void scheduleBatch() {
    if (closed) {
      return;
    }
    batchTimer = actor.delay(book.options.allocationInterval(), () -> {
      requestAllocation(null);
      scheduleBatch();
    });
  }

  /** Stops allocation runs until {@link #resume()}; triggers meanwhile are dropped (Mesos' {@code pause}). */
  public void pause() {
    submit(() -> paused = true);
  }

  /** Resumes allocation runs; the next batch run covers every agent. */
  public void resume() {
    submit(() -> paused = false);
  }

  /** Asks for a run over {@code agent} (all agents when null), coalesced with a run already pending. */
  private void requestAllocation(Agent agent) {
    if (closed || paused) {
      return;
    }
    if (agent == null) {
      allPending = true;
    } else {
      pendingAgents.add(agent);
    }
    if (!runPending) {
      runPending = true;
      requestedAt = System.nanoTime();
      actor.execute(this::allocate);
    }
  }

  private void allocate() {
    actor.assertInActorThread();
    runPending = false;
    if (closed) {
      return;
    }
    long start = System.nanoTime();
    latencyTimer.record(start - requestedAt);
    List<Agent> candidates = new ArrayList<>(allPending ? book.agents.values() : pendingAgents);
    allPending = false;
    pendingAgents.clear();
    allocationRuns++;
    Map<Framework, Map<String, Map<SlaveID, Resources>>> offers = generator.generate(candidates,
        clock.nanoTime());
    offers.forEach((framework, byRole) -> {
      LOG.debug("Offering {} to framework {}", byRole, framework.id.getValue());
      book.options.offerCallback().offer(framework.id, byRole);
    });
    long elapsed = System.nanoTime() - start;
    runTimer.record(elapsed);
    LOG.debug("Performed allocation for {} agents in {} ms", candidates.size(), elapsed / 1e6);
  }

  @Override
  public CompletableFuture<Map<String, Double>> metrics() {
    return actor.call(this::snapshot);
  }

  private Map<String, Double> snapshot() {
    Map<String, Double> metrics = new TreeMap<>();
    metrics.put(PREFIX + "event_queue_dispatches", (double) queued.get());
    metrics.put("allocator/event_queue_dispatches", (double) queued.get());
    metrics.put(PREFIX + "allocation_runs", (double) allocationRuns);
    runTimer.report(metrics);
    latencyTimer.report(metrics);
    if (book == null) {
      return metrics;
    }
    for (String name : GAUGED_RESOURCES) {
      int index = book.names.index(name);
      double total = 0;
      double used = 0;
      for (Agent agent : book.agents.values()) {
        total += Scalars.get(agent.totalScalars, index);
        used += Scalars.get(agent.totalScalars, index) - Scalars.get(Scalars.of(agent.available, book.names), index);
      }
      metrics.put(PREFIX + "resources/" + name + "/total", Scalars.fromFixed((long) total));
      metrics.put(PREFIX + "resources/" + name + "/offered_or_allocated", Scalars.fromFixed((long) used));
    }
    for (RoleState role : book.roles.all()) {
      if (role.frameworks > 0) {
        metrics.put(PREFIX + "roles/" + role.role + "/shares/dominant", book.roleSorter.share(role.role));
      }
      if (role.frameworks > 0 || role.activeFilters > 0) {
        metrics.put(PREFIX + "offer_filters/roles/" + role.role + "/active", (double) role.activeFilters);
      }
      if (!role.quota.isNone()) {
        String prefix = PREFIX + "quota/roles/" + role.role + "/resources/";
        long[] allocation = role.frameworks > 0 ? book.roleSorter.allocation(role.role) : Scalars.EMPTY;
        long[] consumed = role.consumed();
        Set<String> quotaNames = new java.util.TreeSet<>(role.quota.guarantees().keySet());
        quotaNames.addAll(role.quota.limits().keySet());
        role.quota.guarantees().forEach((name, value) -> metrics.put(prefix + name + "/guarantee", value));
        role.quota.limits().forEach((name, value) -> metrics.put(prefix + name + "/limit", value));
        for (String name : quotaNames) {
          int index = book.names.index(name);
          metrics.put(prefix + name + "/offered_or_allocated", Scalars.fromFixed(Scalars.get(allocation, index)));
          metrics.put(prefix + name + "/consumed", Scalars.fromFixed(Scalars.get(consumed, index)));
        }
      }
    }
    return metrics;
  }

  /** Pending runs are queued on the actor, so an idle actor means no run is pending either. */
  @Override
  public boolean isIdle() {
    return actor.isIdle();
  }

  @Override
  public void close() {
    actor.execute(() -> {
      closed = true;
      if (batchTimer != null) {
        batchTimer.cancel();
      }
    });
    actor.close();
  }

  /**
   * Waits until every call made before this one and the allocation runs they triggered are done. For tests and
   * benchmarks; never call it from the offer callback.
   */
  public void settle() {
    try {
      for (int i = 0; i < 1000; i++) {
        if (!actor.call(() -> runPending).get(60, TimeUnit.SECONDS)) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while settling the allocator", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Allocator did not settle", e);
    }
  }

  // ---- Helpers on the actor ----

  private void onFramework(FrameworkID frameworkId, Consumer<Framework> action) {
    submit(() -> {
      Framework framework = book.frameworks.get(frameworkId);
      if (framework == null) {
        LOG.warn("Ignoring call for unknown framework {}", frameworkId.getValue());
        return;
      }
      action.accept(framework);
    });
  }

  private void onAgent(SlaveID slaveId, Consumer<Agent> action) {
    submit(() -> {
      Agent agent = book.agents.get(slaveId);
      if (agent == null) {
        LOG.warn("Ignoring call for unknown agent {}", slaveId.getValue());
        return;
      }
      action.accept(agent);
    });
  }
}
