package io.jmesos.master.core;

import io.jmesos.allocator.Quota;
import io.jmesos.flags.Durations;
import io.jmesos.internal.RegistryProtos.Registry;
import io.jmesos.master.registry.RegistryOperations;
import io.jmesos.master.validation.QuotaValidator;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.SlaveInfo;
import org.apache.mesos.v1.quota.Protos.QuotaConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a master does when it starts leading, as Mesos' {@code Master::recover}: recovers the registry, then knows
 * the admitted agents as <em>recovered</em> (they have {@code --agent_reregister_timeout} to re-register, after
 * which they become unreachable, at the pace of {@code --agent_removal_rate_limit}, unless more than
 * {@code --recovery_agent_removal_limit} of them are missing: then the master aborts rather than remove them),
 * unreachable and gone agents, weights (the registry's win over {@code --weights}) and quotas; it then collects
 * the registry's garbage every {@code --registry_gc_interval}. Runs on the master's actor.
 */
public final class MasterRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(MasterRecovery.class);

  private final MasterContext ctx;
  private Consumer<Throwable> onFatal = failure -> {};

  MasterRecovery(MasterContext ctx) {
    this.ctx = ctx;
  }

  /** Recovers the registry and opens the master for agents and frameworks; {@code onFatal} aborts the master. */
  public void recover(Consumer<Throwable> onFatal) {
    ctx.actor.assertInActorThread();
    this.onFatal = onFatal;
    ctx.registrar.recover(ctx.state.info).thenAccept(this::recovered);
  }

  private void recovered(Registry registry) {
    for (Registry.Slave slave : registry.getSlaves().getSlavesList()) {
      ctx.state.recoveredAgents.put(slave.getInfo().getId(), slave.getInfo());
      if (slave.getDeactivated()) {
        ctx.state.deactivatedAgents.add(slave.getInfo().getId());
      }
    }
    for (Registry.UnreachableSlave unreachable : registry.getUnreachable().getSlavesList()) {
      ctx.state.unreachableAgents.put(unreachable.getId(), unreachable.getTimestamp().getNanoseconds() / 1e9);
      if (unreachable.getDeactivated()) {
        ctx.state.deactivatedAgents.add(unreachable.getId());
      }
    }
    for (Registry.GoneSlave gone : registry.getGone().getSlavesList()) {
      ctx.state.goneAgents.put(gone.getId(), gone.getTimestamp().getNanoseconds() / 1e9);
    }
    for (QuotaConfig config : registry.getQuotaConfigsList()) {
      Quota quota = QuotaValidator.quota(config);
      ctx.state.quotas.put(config.getRole(), quota);
      ctx.allocator.updateQuota(config.getRole(), quota);
    }
    ctx.allocator.recover(registry.getSlaves().getSlavesCount(), Map.copyOf(ctx.state.quotas));
    ctx.draining.recover(registry);
    ctx.maintenance.recover(registry);
    recoverWeights(registry);
    if (!ctx.state.recoveredAgents.isEmpty()) {
      Map<SlaveID, SlaveInfo> expected = new LinkedHashMap<>(ctx.state.recoveredAgents);
      ctx.actor.delay(ctx.flags.agentReregisterTimeout(), () -> recoveredAgentsTimeout(expected));
    }
    scheduleGc();
    ctx.state.recovered = true;
    LOG.info("Recovered {} agents from the registry ({}B); allowing {} for agents to reregister",
        registry.getSlaves().getSlavesCount(), registry.getSerializedSize(),
        Durations.format(ctx.flags.agentReregisterTimeout()));
  }

  /** Weights from the registry win over {@code --weights}; a fresh registry takes {@code --weights}. */
  private void recoverWeights(Registry registry) {
    Map<String, Double> flagged = ctx.flags.weights();
    if (registry.getWeightsCount() > 0) {
      if (!flagged.isEmpty()) {
        LOG.warn("Ignoring --weights flag and recovering the weights from the registry");
      }
      Map<String, Double> weights = new LinkedHashMap<>();
      registry.getWeightsList().forEach(w -> weights.put(w.getInfo().getRole(), w.getInfo().getWeight()));
      ctx.weights.initialize(weights);
      return;
    }
    ctx.weights.initialize(flagged);
    if (!flagged.isEmpty()) {
      ctx.registrar.apply(RegistryOperations.updateWeights(flagged));
    }
  }

  /**
   * Mesos' {@code recoveredSlavesTimeout}: the recovered agents that did not re-register become unreachable (at
   * the removal rate limit), unless too many of them are missing.
   */
  private void recoveredAgentsTimeout(Map<SlaveID, SlaveInfo> expected) {
    double limit = ctx.flags.recoveryAgentRemovalLimit();
    double missing = (double) ctx.state.recoveredAgents.size() / expected.size();
    if (missing > limit) {
      String message = String.format("Post-recovery agent removal limit exceeded! After %s there were %d (%s%%) "
          + "agents recovered from the registry that did not reregister: %s. The configured removal limit is "
          + "%s%%. Please investigate or increase this limit to proceed further",
          Durations.format(ctx.flags.agentReregisterTimeout()), ctx.state.recoveredAgents.size(),
          percent(missing), ctx.state.recoveredAgents.keySet().stream().map(SlaveID::getValue).toList(),
          percent(limit));
      LOG.error(message);
      onFatal.accept(new IllegalStateException(message));
      return;
    }
    String why = "did not reregister within " + Durations.format(ctx.flags.agentReregisterTimeout())
        + " after master failover";
    for (SlaveInfo info : List.copyOf(ctx.state.recoveredAgents.values())) {
      if (ctx.state.reregistering.contains(info.getId())) {
        continue;
      }
      ctx.state.metrics.slaveUnreachableScheduled++;
      Duration wait = ctx.health.permit();
      if (wait.isZero()) {
        markUnreachable(info, why);
      } else {
        LOG.info("Scheduling removal of agent {} ({}) in {}; {}", info.getId().getValue(), info.getHostname(),
            wait, why);
        ctx.actor.delay(wait, () -> markUnreachable(info, why));
      }
    }
  }

  /** Mesos' {@code markUnreachable} for an agent known only from the registry. */
  private void markUnreachable(SlaveInfo info, String why) {
    SlaveID id = info.getId();
    if (!ctx.state.recoveredAgents.containsKey(id) || ctx.state.reregistering.contains(id)
        || ctx.state.markingUnreachable.contains(id)) {
      LOG.info("Canceling transition of agent {} ({}) to unreachable because it re-registered", id.getValue(),
          info.getHostname());
      ctx.state.metrics.slaveUnreachableCanceled++;
      return;
    }
    double now = ctx.now();
    LOG.warn("Marking agent {} ({}) unreachable: {}", id.getValue(), info.getHostname(), why);
    ctx.state.markingUnreachable.add(id);
    ctx.registrar.apply(RegistryOperations.markUnreachable(id, now)).thenAccept(marked -> {
      ctx.state.markingUnreachable.remove(id);
      if (!marked || ctx.state.recoveredAgents.remove(id) == null) {
        LOG.warn("Tried to mark agent {} unreachable after failover, but it was already removed", id.getValue());
        ctx.state.metrics.slaveUnreachableCanceled++;
        return;
      }
      ctx.state.unreachableAgents.put(id, now);
      ctx.state.metrics.slaveUnreachableCompleted++;
      ctx.state.metrics.slaveRemovals++;
      ctx.state.metrics.slaveRemovalsReasonUnhealthy++;
      ctx.state.metrics.recoverySlaveRemovals++;
      ctx.removal.notifyAgentLost(id);
    });
  }

  private void scheduleGc() {
    ctx.actor.delay(ctx.flags.registryGcInterval(), this::collectGarbage);
  }

  /** Mesos' {@code doRegistryGc}: forgets unreachable and gone agents beyond the registry's age and count limits. */
  private void collectGarbage() {
    scheduleGc();
    Set<SlaveID> unreachable = prunable(ctx.state.unreachableAgents);
    Set<SlaveID> gone = prunable(ctx.state.goneAgents);
    if (unreachable.isEmpty() && gone.isEmpty()) {
      return;
    }
    ctx.registrar.apply(RegistryOperations.prune(unreachable, gone)).thenAccept(ok -> {
      int removedUnreachable = 0;
      for (SlaveID id : unreachable) {
        if (ctx.state.unreachableAgents.remove(id) != null) {
          removedUnreachable++;
          ctx.state.frameworks.values()
              .forEach(f -> f.unreachableTasks.values().removeIf(t -> t.getSlaveId().equals(id)));
        }
      }
      int removedGone = 0;
      for (SlaveID id : gone) {
        if (ctx.state.goneAgents.remove(id) != null) {
          removedGone++;
        }
      }
      LOG.info("Garbage collected {} unreachable and {} gone agents from the registry", removedUnreachable,
          removedGone);
    });
  }

  /** The oldest entries beyond {@code --registry_max_agent_count}, and every entry older than the max age. */
  private Set<SlaveID> prunable(Map<SlaveID, Double> agents) {
    Set<SlaveID> prune = new HashSet<>();
    double now = ctx.now();
    double maxAge = ctx.flags.registryMaxAgentAge().toNanos() / 1e9;
    int count = agents.size();
    for (Map.Entry<SlaveID, Double> e : agents.entrySet()) {
      if (count - prune.size() > ctx.flags.registryMaxAgentCount() || now - e.getValue() > maxAge) {
        prune.add(e.getKey());
      }
    }
    return prune;
  }

  private static String percent(double fraction) {
    return WeightsManager.number(Math.round(fraction * 10000) / 100.0);
  }
}
