package io.jmesos.master.core;

import io.jmesos.actor.Clock;
import io.jmesos.flags.Durations;
import io.jmesos.internal.Messages.PingSlaveMessage;
import io.jmesos.master.flags.RateLimit;
import io.jmesos.master.state.Agent;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Agent health, as Mesos' {@code SlaveObserver} and {@code agentReregisterTimeout}: a ping every
 * {@code --agent_ping_timeout}; an agent that leaves {@code --max_agent_ping_timeouts} pings in a row
 * unanswered, or that stays disconnected for {@code --agent_reregister_timeout}, is marked unreachable, at most
 * as fast as {@code --agent_removal_rate_limit} allows (a removal waiting for its permit is cancelled if the
 * agent comes back meanwhile). Runs on the master's actor.
 */
public final class AgentHealth {
  private static final Logger LOG = LoggerFactory.getLogger(AgentHealth.class);

  private final MasterContext ctx;
  /** When the rate limiter hands out its next permit (clock nanos); unused without a rate limit. */
  private long nextPermitNanos = Long.MIN_VALUE;

  AgentHealth(MasterContext ctx) {
    this.ctx = ctx;
  }

  /** Starts (or restarts) health checks of a newly admitted or re-registered agent: the first ping goes now. */
  public void start(Agent agent) {
    agent.missedPings = 0;
    agent.pongReceived = true;
    cancel(agent.reregistrationTimer);
    agent.reregistrationTimer = null;
    if (agent.pingTimer == null) {
      agent.pingTimer = () -> false;
      ctx.actor.execute(() -> ping(agent));
    }
  }

  /** Stops every timer of a removed agent. */
  public void stop(Agent agent) {
    cancel(agent.pingTimer);
    cancel(agent.reregistrationTimer);
    agent.reregistrationTimer = null;
  }

  public void pong(Agent agent) {
    agent.pongReceived = true;
  }

  /** The agent's connection broke: it must re-register within --agent_reregister_timeout. */
  public void disconnected(Agent agent) {
    cancel(agent.reregistrationTimer);
    agent.reregistrationTimer = ctx.actor.delay(ctx.flags.agentReregisterTimeout(), () -> {
      if (ctx.state.agents.get(agent.id()) == agent && !agent.connected()) {
        scheduleRemoval(agent, "agent did not reregister within "
            + Durations.format(ctx.flags.agentReregisterTimeout()) + " after disconnecting");
      }
    });
  }

  private void ping(Agent agent) {
    if (ctx.state.agents.get(agent.id()) != agent) {
      return;
    }
    if (agent.pongReceived) {
      agent.missedPings = 0;
    } else {
      agent.missedPings++;
      LOG.warn("Agent {} missed {} of {} pings", agent, agent.missedPings, ctx.flags.maxAgentPingTimeouts());
    }
    if (agent.missedPings >= ctx.flags.maxAgentPingTimeouts()) {
      agent.pingTimer = null;
      scheduleRemoval(agent, "health check timed out");
      return;
    }
    agent.pongReceived = false;
    agent.send(PingSlaveMessage.newBuilder().setConnected(agent.connected()).build());
    agent.pingTimer = ctx.actor.delay(ctx.flags.agentPingTimeout(), () -> ping(agent));
  }

  /** Marks the agent unreachable now, or once the rate limiter gives a permit. */
  private void scheduleRemoval(Agent agent, String why) {
    if (agent.removalScheduled) {
      return;
    }
    ctx.state.metrics.slaveUnreachableScheduled++;
    Duration wait = permit();
    if (wait.isZero()) {
      remove(agent, why);
      return;
    }
    agent.removalScheduled = true;
    LOG.info("Scheduling removal of agent {} in {}: {}", agent, wait, why);
    ctx.actor.delay(wait, () -> {
      agent.removalScheduled = false;
      remove(agent, why);
    });
  }

  /**
   * Takes the next permit of {@code --agent_removal_rate_limit} (shared by every agent removal, also those
   * after a master failover): how long to wait for it, zero when there is no limit or the permit is free now.
   */
  Duration permit() {
    RateLimit limit = ctx.flags.agentRemovalRateLimit().orElse(null);
    if (limit == null) {
      return Duration.ZERO;
    }
    long now = ctx.clock.nanoTime();
    long at = Math.max(now, nextPermitNanos);
    nextPermitNanos = at + limit.interval().toNanos();
    return Duration.ofNanos(at - now);
  }

  private void remove(Agent agent, String why) {
    if (ctx.state.agents.get(agent.id()) != agent || (agent.connected() && agent.missedPings == 0)) {
      LOG.info("Canceling transition of agent {} to unreachable: it is back", agent);
      ctx.state.metrics.slaveUnreachableCanceled++;
      return;
    }
    ctx.removal.markUnreachable(agent, why);
    ctx.state.metrics.slaveUnreachableCompleted++;
  }

  private static void cancel(Clock.Timer timer) {
    if (timer != null) {
      timer.cancel();
    }
  }
}
