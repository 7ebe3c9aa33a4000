package io.jmesos.allocator;

import io.jmesos.resources.Resources;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.Filters;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.SlaveInfo;

/**
 * The allocator's operations, named after Mesos' {@code mesos::allocator::Allocator}. Resources that are offered
 * or used by tasks count as allocated to a framework until the master hands them back with {@link
 * #recoverResources}.
 *
 * <p>Thread-safe: every method only enqueues work onto the implementation's own actor and returns at once.
 * Offers arrive later through the {@link OfferCallback} given to {@link #initialize}.
 */
public interface Allocator extends AutoCloseable {

  /** Must be called once, before anything else. */
  void initialize(AllocatorOptions options);

  /**
   * Adds a framework.
   *
   * @param used resources its tasks and executors already use, per agent (after a master failover)
   * @param active whether it may be offered resources right away
   */
  void addFramework(FrameworkID frameworkId, FrameworkInfo info, Map<SlaveID, Resources> used, boolean active);

  /** Removes a framework and frees everything allocated to it. */
  void removeFramework(FrameworkID frameworkId);

  /** Offers resume for a framework (it (re)connected). */
  void activateFramework(FrameworkID frameworkId);

  /** No offers to a framework (it disconnected); what it holds stays allocated. */
  void deactivateFramework(FrameworkID frameworkId);

  /**
   * Updates a framework's info (e.g. its roles) and the roles for which it wants no offers.
   *
   * @param suppressedRoles roles to suppress; null keeps the current suppression
   */
  void updateFramework(FrameworkID frameworkId, FrameworkInfo info, Set<String> suppressedRoles);

  /**
   * Adds an agent.
   *
   * @param total all of the agent's resources
   * @param used resources already used on it, per framework (after a master failover)
   */
  void addSlave(SlaveID slaveId, SlaveInfo info, Resources total, Map<FrameworkID, Resources> used);

  /** Removes an agent and forgets whatever was allocated on it. */
  void removeSlave(SlaveID slaveId);

  /** The agent's resources may be offered again (it reconnected). */
  void activateSlave(SlaveID slaveId);

  /** The agent's resources are not offered (it disconnected); allocations are kept. */
  void deactivateSlave(SlaveID slaveId);

  /**
   * Updates an agent's info and, when {@code total} is not null, its total resources.
   */
  void updateSlave(SlaveID slaveId, SlaveInfo info, Resources total);

  /**
   * Applies offer operations (RESERVE, CREATE, ...) to resources offered to a framework, as Mesos'
   * {@code updateAllocation}: on the agent, {@code consumed} (held by the framework) becomes {@code converted},
   * both in the agent's total and in what the framework holds. Both carry the allocation info of the offer.
   */
  void updateAllocation(FrameworkID frameworkId, SlaveID slaveId, Resources consumed, Resources converted);

  /**
   * Applies offer operations to unallocated resources of an agent (the operator's /reserve, /create-volumes, ...),
   * as Mesos' {@code updateAvailable}: completes empty when {@code consumed} was available and is now {@code
   * converted}; with why not (nothing changed) when it was not, e.g. because it is offered or used.
   *
   * @param rescinded resources of offers the master rescinded to make room, per framework: recovered (without a
   *     filter) in the same step, so that no allocation can take them in between
   */
  CompletableFuture<Optional<String>> updateAvailable(SlaveID slaveId, Map<FrameworkID, Resources> rescinded,
      Resources consumed, Resources converted);

  /**
   * Hands resources back: declined or unused offers, finished tasks, exited executors, rescinded offers.
   *
   * @param filters refusal filter to install for this framework on this agent (DECLINE, or the unused part of
   *     an ACCEPT); null for none. {@code refuse_seconds} defaults to 5 as in Mesos' {@code Filters}.
   */
  void recoverResources(FrameworkID frameworkId, SlaveID slaveId, Resources resources, Filters filters);

  /** Stops offers to a framework for the given roles; an empty set means all of its roles. */
  void suppressOffers(FrameworkID frameworkId, Set<String> roles);

  /**
   * Resumes offers for the given roles (all of the framework's roles when empty) and clears the framework's
   * refusal filters for them.
   */
  void reviveOffers(FrameworkID frameworkId, Set<String> roles);

  /**
   * Sets role weights (Mesos' {@code --weights} and {@code UPDATE_WEIGHTS}); roles not named keep their weight,
   * and a role without one weighs 1.0.
   */
  void updateWeights(Map<String, Double> weights);

  /** Sets a role's quota; {@link Quota#NONE} removes it. */
  void updateQuota(String role, Quota quota);

  /**
   * After a master failover, before any agent is added: the registry knew {@code expectedAgentCount} agents and
   * these {@code quotas} (already set through {@link #updateQuota}). Mesos' allocator then holds allocation back
   * until most agents are back (so that quota guarantees are not met from the first few), when there is quota;
   * an allocator may ignore it.
   */
  default void recover(int expectedAgentCount, Map<String, Quota> quotas) {}

  /**
   * A snapshot of the allocator's metrics under Mesos' names ({@code allocator/mesos/allocation_runs},
   * {@code allocator/mesos/allocation_run_ms/p50}, ...), taken on the allocator's thread.
   */
  default CompletableFuture<Map<String, Double>> metrics() {
    return CompletableFuture.completedFuture(Map.of());
  }

  /**
   * True when nothing is queued or running on the allocator's own thread (tests settle on it; an allocation
   * run that is pending counts as queued). The default suits an allocator that has no thread of its own and
   * does its work on the caller's thread; one that wraps another must delegate.
   */
  default boolean isIdle() {
    return true;
  }

  /** Stops the allocator's actor; no more offers. Idempotent. */
  @Override
  void close();
}
