package io.jmesos.master.core;

import io.jmesos.internal.Messages.DrainSlaveMessage;
import io.jmesos.internal.RegistryProtos.Registry;
import io.jmesos.master.registry.MaintenanceOperations;
import io.jmesos.master.state.Agent;
import io.jmesos.master.state.Framework;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.mesos.Protos.DrainConfig;
import org.apache.mesos.Protos.DrainInfo;
import org.apache.mesos.Protos.DrainState;
import org.apache.mesos.Protos.DurationInfo;
import org.apache.mesos.Protos.SlaveID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's DRAIN_AGENT, as Mesos 1.11 ({@code docs/agent-draining.md}, {@code Master::Http::_drainAgent},
 * {@code Master::checkAndTransitionDrainingAgent}): the registry keeps the agent DRAINING and deactivated, the
 * agent is sent a {@code DrainSlaveMessage} (again whenever it re-registers) and kills its tasks; once the master
 * knows no task of it, the agent is DRAINED, or marked gone when the drain asked for it. REACTIVATE_AGENT ends
 * the drain ({@link AgentActivation}). Runs on the master's actor.
 */
public final class AgentDraining {
  private static final Logger LOG = LoggerFactory.getLogger(AgentDraining.class);

  private final MasterContext ctx;

  AgentDraining(MasterContext ctx) {
    this.ctx = ctx;
  }

  /** Takes the drains the registry holds (a newly elected master). */
  void recover(Registry registry) {
    for (Registry.Slave slave : registry.getSlaves().getSlavesList()) {
      if (slave.hasDrainInfo()) {
        ctx.state.draining.put(slave.getInfo().getId(), slave.getDrainInfo());
      }
    }
    for (Registry.UnreachableSlave slave : registry.getUnreachable().getSlavesList()) {
      if (slave.hasDrainInfo()) {
        ctx.state.draining.put(slave.getId(), slave.getDrainInfo());
      }
    }
  }

  /**
   * DRAIN_AGENT: 400 for an agent that is unknown or whose machine is in the maintenance schedule, 409 while it
   * is being marked gone; completes empty once stored and applied.
   */
  public CompletableFuture<Optional<Rejection>> drain(SlaveID id, Optional<DurationInfo> maxGracePeriod,
      boolean markGone) {
    Optional<Rejection> notRecovered = ctx.notRecovered();
    if (notRecovered.isPresent()) {
      return CompletableFuture.completedFuture(notRecovered);
    }
    Agent registered = ctx.state.agents.get(id);
    if (registered != null && scheduled(registered)) {
      return CompletableFuture.completedFuture(Optional.of(Rejection.badRequest("Agent " + id.getValue()
          + " is part of a maintenance schedule under Machine "
          + io.jmesos.master.validation.MaintenanceValidator.json(MaintenanceManager.machineOf(registered)))));
    }
    if (!ctx.state.recoveredAgents.containsKey(id) && registered == null
        && !ctx.state.unreachableAgents.containsKey(id)) {
      return CompletableFuture.completedFuture(Optional.of(Rejection.badRequest("Unknown agent")));
    }
    if (ctx.state.markingGone.contains(id)) {
      return CompletableFuture.completedFuture(Optional.of(new Rejection(409,
          "Agent is currently being marked gone")));
    }
    DrainConfig.Builder config = DrainConfig.newBuilder().setMarkGone(markGone);
    maxGracePeriod.ifPresent(config::setMaxGracePeriod);
    return ctx.registrar.apply(MaintenanceOperations.drain(id, config.build())).thenApply(changed -> {
      ctx.state.draining.put(id, DrainInfo.newBuilder().setState(DrainState.DRAINING).setConfig(config).build());
      ctx.state.deactivatedAgents.add(id);
      Agent agent = ctx.state.agents.get(id);
      if (agent != null) {
        LOG.info("Transitioning agent {} to the DRAINING state; agent has {} tasks", agent, tasksOn(agent));
        if (!agent.deactivated) {
          agent.deactivated = true;
          ctx.allocator.deactivateSlave(id);
          ctx.offers.rescindAll(agent);
        }
        agent.send(DrainSlaveMessage.newBuilder().setConfig(config).build());
        agent.estimatedDrainStartTime = ctx.now();
        check(agent);
      } else {
        LOG.info("Agent {} will be drained when it re-registers", id.getValue());
      }
      return Optional.empty();
    });
  }

  /** The agent (re-)registered: a draining one (DRAINING or DRAINED) is told to drain again, as Mesos does. */
  public void registered(Agent agent) {
    DrainInfo info = ctx.state.draining.get(agent.id());
    if (info == null) {
      return;
    }
    agent.send(DrainSlaveMessage.newBuilder().setConfig(info.getConfig()).build());
    agent.estimatedDrainStartTime = ctx.now();
    check(agent);
  }

  /** The drain of an agent, if it drains. */
  public Optional<DrainInfo> drainInfo(SlaveID id) {
    return Optional.ofNullable(ctx.state.draining.get(id));
  }

  /** REACTIVATE_AGENT ended the drain. */
  void ended(SlaveID id) {
    if (ctx.state.draining.remove(id) != null) {
      LOG.info("Agent {} is no longer draining", id.getValue());
    }
  }

  /**
   * Mesos' {@code checkAndTransitionDrainingAgent}: a DRAINING agent the master knows no task of becomes DRAINED
   * (or gone, with {@code mark_gone}). Called when one of its tasks leaves the master.
   */
  public void check(Agent agent) {
    DrainInfo info = ctx.state.draining.get(agent.id());
    if (info == null || info.getState() == DrainState.DRAINED) {
      return;
    }
    int tasks = tasksOn(agent);
    if (tasks > 0) {
      LOG.debug("DRAINING agent {} has {} tasks", agent, tasks);
      return;
    }
    SlaveID id = agent.id();
    if (ctx.state.markingGone.contains(id)) {
      LOG.info("Ignoring transition of agent {} to the DRAINED state because agent is being marked gone", agent);
      return;
    }
    if (info.getConfig().getMarkGone()) {
      LOG.info("Marking agent {} in the DRAINED state as gone", agent);
      ctx.removal.markGone(id);
      return;
    }
    LOG.info("Transitioning agent {} to the DRAINED state", agent);
    ctx.registrar.apply(MaintenanceOperations.markDrained(id)).thenAccept(changed -> {
      DrainInfo now = ctx.state.draining.get(id);
      if (now == null) {
        LOG.info("Agent {} was removed while being marked as DRAINED", id.getValue());
        return;
      }
      ctx.state.draining.put(id, now.toBuilder().setState(DrainState.DRAINED).build());
      LOG.info("Agent {} successfully marked as DRAINED", id.getValue());
    });
  }

  /** The check after a task of the agent {@code id} left the master (completed). */
  public void taskRemoved(SlaveID id) {
    Agent agent = ctx.state.agents.get(id);
    if (agent != null && ctx.state.draining.containsKey(id)) {
      check(agent);
    }
  }

  private boolean scheduled(Agent agent) {
    return ctx.state.schedule.getWindowsList().stream()
        .anyMatch(w -> w.getMachineIdsList().contains(MaintenanceManager.machineOf(agent)));
  }

  private int tasksOn(Agent agent) {
    int tasks = 0;
    for (Framework framework : ctx.state.frameworks.values()) {
      tasks += framework.tasks.onAgent(agent.id()).size();
    }
    return tasks;
  }
}
