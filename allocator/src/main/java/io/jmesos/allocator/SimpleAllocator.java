package io.jmesos.allocator;

import io.jmesos.actor.Actor;
import io.jmesos.actor.Clock;
import io.jmesos.resources.Resources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.Filters;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.SlaveInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A placeholder allocator (provider name {@code Simple}) until the hierarchical DRF one arrives: each round it
 * offers each active agent's whole available resources to one eligible framework at a time, taking frameworks
 * in round-robin order. A framework is eligible for an agent when it is active, has a role it does not
 * suppress for which something on the agent is allocatable (unreserved resources, or resources reserved to
 * that role or an ancestor) and no refusal filter covers what it would get. Offered resources count as
 * allocated until {@link #recoverResources recovered}, so nothing is offered twice. Weights and quota are
 * accepted and ignored.
 *
 * <p>Rounds run every allocation interval and, batched, promptly after any event that adds or frees resources.
 *
 * <p>Thread-safe facade: each public method enqueues onto the allocator's own actor, which owns all state and
 * calls the {@link OfferCallback}.
 */
public final class SimpleAllocator implements Allocator {
  private static final Logger LOG = LoggerFactory.getLogger(SimpleAllocator.class);

  private final Actor actor;
  private final Map<FrameworkID, FrameworkState> frameworks = new LinkedHashMap<>();
  private final Map<SlaveID, AgentState> agents = new LinkedHashMap<>();
  /** Round-robin order: the framework that was offered something last goes to the back. */
  private final List<FrameworkID> order = new ArrayList<>();
  private final RefusalFilters filters = new RefusalFilters();
  private AllocatorOptions options;
  private boolean allocationPending;
  private Clock.Timer batchTimer;
  private boolean closed;

  public SimpleAllocator(Clock clock) {
    this.actor = new Actor("allocator", Objects.requireNonNull(clock, "clock"));
  }

  @Override
  public void initialize(AllocatorOptions options) {
    Objects.requireNonNull(options, "options");
    actor.execute(() -> {
      if (this.options != null) {
        throw new IllegalStateException("Allocator initialized twice");
      }
      this.options = options;
      scheduleBatch();
    });
  }

  @Override
  public void addFramework(FrameworkID frameworkId, FrameworkInfo info, Map<SlaveID, Resources> used,
      boolean active) {
    Map<SlaveID, Resources> usedCopy = Map.copyOf(used);
    actor.execute(() -> {
      if (frameworks.containsKey(frameworkId)) {
        LOG.warn("Framework {} added twice; ignoring", frameworkId.getValue());
        return;
      }
      frameworks.put(frameworkId, new FrameworkState(info, active));
      order.add(frameworkId);
      usedCopy.forEach((slaveId, resources) -> {
        AgentState agent = agents.get(slaveId);
        if (agent != null) {
          agent.allocate(frameworkId, resources);
        }
      });
      LOG.info("Added framework {} with roles {}", frameworkId.getValue(), FrameworkRoles.of(info));
      requestAllocation();
    });
  }

  @Override
  public void removeFramework(FrameworkID frameworkId) {
    actor.execute(() -> {
      if (frameworks.remove(frameworkId) == null) {
        return;
      }
      order.remove(frameworkId);
      agents.values().forEach(a -> a.removeFramework(frameworkId));
      filters.clear(frameworkId);
      LOG.info("Removed framework {}", frameworkId.getValue());
      requestAllocation();
    });
  }

  @Override
  public void activateFramework(FrameworkID frameworkId) {
    onFramework(frameworkId, f -> {
      f.active = true;
      requestAllocation();
    });
  }

  @Override
  public void deactivateFramework(FrameworkID frameworkId) {
    onFramework(frameworkId, f -> f.active = false);
  }

  @Override
  public void updateFramework(FrameworkID frameworkId, FrameworkInfo info, Set<String> suppressedRoles) {
    Set<String> suppressed = suppressedRoles == null ? null : Set.copyOf(suppressedRoles);
    onFramework(frameworkId, f -> {
      f.update(info);
      if (suppressed != null) {
        f.suppressedRoles.clear();
        f.suppressedRoles.addAll(suppressed);
      }
      requestAllocation();
    });
  }

  @Override
  public void addSlave(SlaveID slaveId, SlaveInfo info, Resources total, Map<FrameworkID, Resources> used) {
    Map<FrameworkID, Resources> usedCopy = Map.copyOf(used);
    actor.execute(() -> {
      if (agents.containsKey(slaveId)) {
        LOG.warn("Agent {} added twice; ignoring", slaveId.getValue());
        return;
      }
      AgentState agent = new AgentState(info, total);
      usedCopy.forEach(agent::allocate);
      agents.put(slaveId, agent);
      LOG.info("Added agent {} ({}) with {}", slaveId.getValue(), info.getHostname(), total);
      requestAllocation();
    });
  }

  @Override
  public void removeSlave(SlaveID slaveId) {
    actor.execute(() -> {
      if (agents.remove(slaveId) != null) {
        filters.clearAgent(slaveId);
        LOG.info("Removed agent {}", slaveId.getValue());
      }
    });
  }

  @Override
  public void activateSlave(SlaveID slaveId) {
    onAgent(slaveId, a -> {
      a.active = true;
      requestAllocation();
    });
  }

  @Override
  public void deactivateSlave(SlaveID slaveId) {
    onAgent(slaveId, a -> a.active = false);
  }

  @Override
  public void updateSlave(SlaveID slaveId, SlaveInfo info, Resources total) {
    onAgent(slaveId, a -> {
      a.info = info;
      if (total != null) {
        a.total = total.stripAllocationInfo();
      }
      requestAllocation();
    });
  }

  @Override
  public void updateAllocation(FrameworkID frameworkId, SlaveID slaveId, Resources consumed,
      Resources converted) {
    onAgent(slaveId, a -> {
      if (!a.allocatedTo(frameworkId).contains(consumed.stripAllocationInfo())) {
        LOG.warn("Ignoring operations of framework {} on agent {}: {} is not allocated to it",
            frameworkId.getValue(), slaveId.getValue(), consumed);
        return;
      }
      a.recover(frameworkId, consumed);
      a.total = a.total.minus(consumed.stripAllocationInfo()).plus(converted.stripAllocationInfo());
      a.allocate(frameworkId, converted);
      LOG.info("Updated allocation of framework {} on agent {}: {} became {}", frameworkId.getValue(),
          slaveId.getValue(), consumed, converted);
    });
  }

  @Override
  public CompletableFuture<Optional<String>> updateAvailable(SlaveID slaveId, Map<FrameworkID, Resources> rescinded,
      Resources consumed, Resources converted) {
    Map<FrameworkID, Resources> recovered = Map.copyOf(rescinded);
    CompletableFuture<Optional<String>> done = new CompletableFuture<>();
    actor.execute(() -> {
      AgentState a = agents.get(slaveId);
      if (a != null) {
        recovered.forEach((frameworkId, resources) -> a.recover(frameworkId, resources));
      }
      if (a == null) {
        done.complete(Optional.of("Unknown agent " + slaveId.getValue()));
        return;
      }
      Resources available = a.available();
      if (!available.contains(consumed.stripAllocationInfo())) {
        done.complete(Optional.of(available + " does not contain " + consumed));
        return;
      }
      a.total = a.total.minus(consumed.stripAllocationInfo()).plus(converted.stripAllocationInfo());
      LOG.info("Updated available resources of agent {}: {} became {}", slaveId.getValue(), consumed, converted);
      done.complete(Optional.empty());
      requestAllocation();
    });
    return done;
  }

  @Override
  public void recoverResources(FrameworkID frameworkId, SlaveID slaveId, Resources resources, Filters refusal) {
    Objects.requireNonNull(resources, "resources");
    actor.execute(() -> {
      if (resources.isEmpty()) {
        return;
      }
      AgentState agent = agents.get(slaveId);
      if (agent == null || !agent.recover(frameworkId, resources)) {
        LOG.debug("Recovered {} of framework {} on agent {} that were not allocated", resources,
            frameworkId.getValue(), slaveId.getValue());
        return;
      }
      if (refusal != null && frameworks.containsKey(frameworkId)) {
        Duration duration = RefusalFilters.refusal(refusal.getRefuseSeconds());
        if (!duration.isZero()) {
          LOG.debug("Framework {} refuses {} on agent {} for {}", frameworkId.getValue(), resources,
              slaveId.getValue(), duration);
          filters.add(frameworkId, slaveId, resources, duration, this::scheduleExpiry);
        }
      }
      requestAllocation();
    });
  }

  @Override
  public void suppressOffers(FrameworkID frameworkId, Set<String> roles) {
    Set<String> copy = Set.copyOf(roles);
    onFramework(frameworkId, f -> {
      f.suppressedRoles.addAll(copy.isEmpty() ? f.roles : copy);
      LOG.info("Suppressed offers for framework {} roles {}", frameworkId.getValue(), f.suppressedRoles);
    });
  }

  @Override
  public void reviveOffers(FrameworkID frameworkId, Set<String> roles) {
    Set<String> copy = Set.copyOf(roles);
    onFramework(frameworkId, f -> {
      f.suppressedRoles.removeAll(copy.isEmpty() ? f.roles : copy);
      filters.clear(frameworkId);
      LOG.info("Revived offers for framework {}", frameworkId.getValue());
      requestAllocation();
    });
  }

  @Override
  public void updateWeights(Map<String, Double> weights) {
    LOG.debug("Allocator {} ignores weights {}", SimpleAllocatorProvider.NAME, weights);
  }

  @Override
  public void updateQuota(String role, Quota quota) {
    LOG.debug("Allocator {} ignores quota {} of role {}", SimpleAllocatorProvider.NAME, quota, role);
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
   * Waits until every event enqueued before this call and the allocation rounds it triggered have run. For
   * tests; never call it from the allocator's own callback.
   */
  public void settle() {
    try {
      for (int i = 0; i < 100; i++) {
        if (!actor.call(() -> allocationPending).get(10, TimeUnit.SECONDS)) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while settling the allocator", e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("Allocator did not settle", e);
    }
  }

  // ---- On the actor ----

  private void onFramework(FrameworkID frameworkId, java.util.function.Consumer<FrameworkState> action) {
    actor.execute(() -> {
      FrameworkState framework = frameworks.get(frameworkId);
      if (framework == null) {
        LOG.warn("Ignoring call for unknown framework {}", frameworkId.getValue());
        return;
      }
      action.accept(framework);
    });
  }

  private void onAgent(SlaveID slaveId, java.util.function.Consumer<AgentState> action) {
    actor.execute(() -> {
      AgentState agent = agents.get(slaveId);
      if (agent == null) {
        LOG.warn("Ignoring call for unknown agent {}", slaveId.getValue());
        return;
      }
      action.accept(agent);
    });
  }

  private Clock.Timer scheduleExpiry(Duration delay, Runnable expire) {
    return actor.delay(delay, () -> {
      expire.run();
      requestAllocation();
    });
  }

  private void scheduleBatch() {
    if (closed) {
      return;
    }
    batchTimer = actor.delay(options.allocationInterval(), () -> {
      allocate();
      scheduleBatch();
    });
  }

  /** Batches: many events in a row lead to one round. */
  private void requestAllocation() {
    if (allocationPending || options == null || closed) {
      return;
    }
    allocationPending = true;
    actor.execute(this::allocate);
  }

  private void allocate() {
    actor.assertInActorThread();
    allocationPending = false;
    if (options == null || closed) {
      return;
    }
    Map<FrameworkID, Map<String, Map<SlaveID, Resources>>> offers = new LinkedHashMap<>();
    for (Map.Entry<SlaveID, AgentState> entry : agents.entrySet()) {
      AgentState agent = entry.getValue();
      if (agent.active) {
        allocate(entry.getKey(), agent, offers);
      }
    }
    offers.forEach((frameworkId, byRole) -> {
      LOG.debug("Offering {} to framework {}", byRole, frameworkId.getValue());
      options.offerCallback().offer(frameworkId, byRole);
    });
  }

  private void allocate(SlaveID slaveId, AgentState agent,
      Map<FrameworkID, Map<String, Map<SlaveID, Resources>>> offers) {
    Resources available = agent.available();
    while (!available.isEmpty()) {
      boolean offered = false;
      for (FrameworkID frameworkId : List.copyOf(order)) {
        FrameworkState framework = frameworks.get(frameworkId);
        for (String role : framework.roles) {
          if (!framework.wantsOffersFor(role)) {
            continue;
          }
          Resources candidate = available.allocatableTo(role);
          if (candidate.isEmpty() || filters.filtered(frameworkId, slaveId, candidate)) {
            continue;
          }
          agent.allocate(frameworkId, candidate);
          available = available.minus(candidate);
          offers.computeIfAbsent(frameworkId, k -> new HashMap<>())
              .computeIfAbsent(role, k -> new HashMap<>())
              .merge(slaveId, candidate.allocatedTo(role), Resources::plus);
          order.remove(frameworkId);
          order.add(frameworkId);
          offered = true;
          break;
        }
        if (offered) {
          break;
        }
      }
      if (!offered) {
        return;
      }
    }
  }
}
