package io.jmesos.master.core;

import io.jmesos.master.registry.RegistryOperations;
import io.jmesos.master.state.Agent;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.mesos.Protos.SlaveID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's DEACTIVATE_AGENT and REACTIVATE_AGENT, as Mesos 1.11's {@code _deactivateAgent} and
 * {@code _reactivateAgent}: the registry keeps the agent deactivated (across master failovers, partitions and
 * re-registrations) before the master acts; a deactivated agent keeps its tasks but gets no offers (its
 * outstanding ones are rescinded) until it is reactivated; a drained agent is reactivated the same way (the drain
 * ends), a still DRAINING one cannot be. Used on the master's actor.
 */
public final class AgentActivation {
  private static final Logger LOG = LoggerFactory.getLogger(AgentActivation.class);

  private final MasterContext ctx;

  AgentActivation(MasterContext ctx) {
    this.ctx = ctx;
  }

  /** Completes empty once stored and applied, or with Mesos' 400 for an agent that is not known. */
  public CompletableFuture<Optional<Rejection>> deactivate(SlaveID id) {
    Optional<Rejection> notRecovered = ctx.notRecovered();
    if (notRecovered.isPresent()) {
      return CompletableFuture.completedFuture(notRecovered);
    }
    if (!ctx.state.recoveredAgents.containsKey(id) && !ctx.state.agents.containsKey(id)
        && !ctx.state.unreachableAgents.containsKey(id)) {
      return CompletableFuture.completedFuture(Optional.of(Rejection.badRequest("Unknown agent")));
    }
    return ctx.registrar.apply(RegistryOperations.deactivated(id, true)).thenApply(changed -> {
      ctx.state.deactivatedAgents.add(id);
      Agent agent = ctx.state.agents.get(id);
      if (agent != null && !agent.deactivated) {
        LOG.info("Deactivating agent {}", agent);
        agent.deactivated = true;
        ctx.allocator.deactivateSlave(id);
        ctx.offers.rescindAll(agent);
      } else if (agent == null) {
        LOG.info("Deactivated agent {}: it stays so when it re-registers", id.getValue());
      }
      return Optional.empty();
    });
  }

  /** Completes empty once stored and applied; 400 if the agent is not deactivated, 409 if it went meanwhile. */
  public CompletableFuture<Optional<Rejection>> reactivate(SlaveID id) {
    Optional<Rejection> notRecovered = ctx.notRecovered();
    if (notRecovered.isPresent()) {
      return CompletableFuture.completedFuture(notRecovered);
    }
    if (!ctx.state.deactivatedAgents.contains(id)) {
      return CompletableFuture.completedFuture(Optional.of(Rejection.badRequest("Agent is not deactivated")));
    }
    if (ctx.draining.drainInfo(id).map(d -> d.getState() == org.apache.mesos.Protos.DrainState.DRAINING)
        .orElse(false)) {
      return CompletableFuture.completedFuture(Optional.of(
          Rejection.badRequest("Agent is still in the DRAINING state")));
    }
    return ctx.registrar.apply(RegistryOperations.deactivated(id, false)).thenApply(changed -> {
      ctx.state.deactivatedAgents.remove(id);
      ctx.draining.ended(id);
      Agent agent = ctx.state.agents.get(id);
      if (agent == null) {
        return Optional.of(new Rejection(409, "Agent removed while processing the call"));
      }
      agent.deactivated = false;
      if (agent.connected()) {
        LOG.info("Reactivating agent {}", agent);
        ctx.allocator.activateSlave(id);
      } else {
        LOG.info("Disconnected agent {} will be reactivated upon reregistration", agent);
      }
      return Optional.empty();
    });
  }
}
