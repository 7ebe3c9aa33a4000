package io.jmesos.master.core;

import io.jmesos.actor.Clock;
import io.jmesos.allocator.FrameworkRoles;
import io.jmesos.internal.Messages.ShutdownFrameworkMessage;
import io.jmesos.internal.Messages.UpdateFrameworkMessage;
import io.jmesos.master.state.Agent;
import io.jmesos.master.state.Framework;
import io.jmesos.master.state.FrameworkLifecycle;
import io.jmesos.master.state.SchedulerConnection;
import io.jmesos.master.validation.FrameworkValidator;
import io.jmesos.resources.Resources;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.OfferID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Framework lifecycle: SUBSCRIBE (new framework, failover onto a new stream, re-subscription after a master
 * failover), heartbeats, disconnection with its {@code failover_timeout}, and removal (TEARDOWN or timeout).
 * Runs on the master's actor.
 */
public final class FrameworkManager {
  private static final Logger LOG = LoggerFactory.getLogger(FrameworkManager.class);

  private final MasterContext ctx;
  private final Map<FrameworkID, Clock.Timer> heartbeats = new HashMap<>();

  FrameworkManager(MasterContext ctx) {
    this.ctx = ctx;
  }

  /**
   * SUBSCRIBE. {@code open} starts the 200 streaming response with the given stream id; errors (an invalid
   * FrameworkInfo, roles its principal may not register with) go on that stream as an ERROR event before it is
   * closed, as Mesos does.
   */
  public void subscribe(FrameworkInfo info, Set<String> suppressedRoles,
      Function<String, SchedulerConnection> open) {
    String streamId = UUID.randomUUID().toString();
    Optional<String> invalid = FrameworkValidator.validate(info);
    if (invalid.isEmpty()) {
      invalid = ctx.authz.subscribe(info);
    }
    if (invalid.isEmpty() && info.hasId() && ctx.state.completedFrameworkIds.contains(info.getId())) {
      invalid = Optional.of("Framework has been removed");
    }
    Framework existing = info.hasId() ? ctx.state.frameworks.get(info.getId()) : null;
    if (invalid.isEmpty() && existing != null) {
      invalid = FrameworkValidator.validateFailover(existing.info(), info);
    }
    SchedulerConnection connection = open.apply(streamId);
    if (invalid.isPresent()) {
      LOG.warn("Refusing subscription of framework '{}': {}", info.getName(), invalid.get());
      connection.send(Events.error(invalid.get()));
      connection.close();
      return;
    }
    Framework framework = existing;
    if (framework != null) {
      failover(framework, FrameworkValidator.keepImmutableOnFailover(framework.info(), info), suppressedRoles,
          connection);
    } else {
      FrameworkID id = info.hasId() ? info.getId() : ctx.state.newFrameworkId();
      framework = new Framework(id, info, FrameworkLifecycle.ACTIVE);
      framework.registeredTime = ctx.now();
      framework.reregisteredTime = framework.registeredTime;
      framework.suppressedRoles.addAll(suppressedRoles);
      ctx.state.frameworks.put(id, framework);
      connect(framework, connection);
      ctx.allocator.addFramework(id, framework.info(), Map.of(), true);
      if (!suppressedRoles.isEmpty()) {
        ctx.allocator.suppressOffers(id, suppressedRoles);
      }
      LOG.info("Subscribed framework {} with roles {} on stream {}", framework, framework.roles(), streamId);
      ctx.operatorEvents().frameworkAdded(framework);
    }
    connection.send(Events.subscribed(framework.id(), ctx.state.info));
    heartbeat(framework, connection);
  }

  private void failover(Framework framework, FrameworkInfo info, Set<String> suppressedRoles,
      SchedulerConnection connection) {
    SchedulerConnection old = framework.connection();
    if (old != null) {
      old.send(Events.error("Framework failed over"));
      old.close();
    }
    framework.info(info);
    framework.reregisteredTime = ctx.now();
    framework.suppressedRoles.clear();
    framework.suppressedRoles.addAll(suppressedRoles);
    connect(framework, connection);
    // The new scheduler knows none of the old offers: take them back silently, as Mesos does.
    ctx.offers.recoverAll(framework);
    ctx.allocator.updateFramework(framework.id(), framework.info(), Set.copyOf(suppressedRoles));
    ctx.allocator.activateFramework(framework.id());
    sendFrameworkUpdates(framework);
    LOG.info("Framework {} failed over to stream {}", framework, connection.streamId());
  }

  /** Mesos' {@code sendFrameworkUpdates}: FRAMEWORK_UPDATED, and every registered agent gets the current info. */
  private void sendFrameworkUpdates(Framework framework) {
    ctx.operatorEvents().frameworkUpdated(framework);
    UpdateFrameworkMessage message = UpdateFrameworkMessage.newBuilder()
        .setFrameworkId(framework.id()).setFrameworkInfo(framework.info()).build();
    for (Agent agent : ctx.state.agents.values()) {
      agent.send(message);
    }
  }

  /**
   * UPDATE_FRAMEWORK, as Mesos' {@code Master::updateFramework}: validates {@code info} on its own and against
   * the framework's current info, then replaces the info (name, roles, capabilities, failover timeout, labels,
   * ...) and the suppressed roles, tells the allocator and rescinds the offers of roles the framework left.
   * Returns the error for a 400, or empty for a 200. Offer constraints are not supported and ignored. Every
   * registered agent is sent the new info ({@code UpdateFrameworkMessage}), as after a failover.
   */
  public Optional<String> update(Framework framework, FrameworkInfo info, Set<String> suppressedRoles) {
    Optional<String> invalid = FrameworkValidator.validate(info);
    if (invalid.isPresent()) {
      return Optional.of("Supplied FrameworkInfo is not valid: " + invalid.get());
    }
    invalid = FrameworkValidator.validateUpdate(framework.info(), info);
    if (invalid.isPresent()) {
      return Optional.of("FrameworkInfo update is not valid: " + invalid.get());
    }
    invalid = FrameworkValidator.validateSuppressedRoles(FrameworkRoles.of(info), suppressedRoles);
    if (invalid.isPresent()) {
      return Optional.of("'UpdateFramework' call is not valid: " + invalid.get());
    }
    framework.info(info);
    framework.suppressedRoles.clear();
    framework.suppressedRoles.addAll(suppressedRoles);
    ctx.allocator.updateFramework(framework.id(), framework.info(), Set.copyOf(suppressedRoles));
    Set<String> roles = framework.roles();
    for (OfferID offerId : List.copyOf(framework.offers)) {
      Offer offer = ctx.offers.get(offerId);
      if (offer != null && !roles.contains(offer.getAllocationInfo().getRole())) {
        ctx.offers.rescind(offer);
      }
    }
    sendFrameworkUpdates(framework);
    LOG.info("Updated framework {} with roles {} ({} suppressed)", framework, roles, framework.suppressedRoles);
    return Optional.empty();
  }

  private void connect(Framework framework, SchedulerConnection connection) {
    framework.connect(connection);
    if (framework.failoverTimer != null) {
      framework.failoverTimer.cancel();
      framework.failoverTimer = null;
    }
    FrameworkID id = framework.id();
    connection.onClose(() -> ctx.actor.execute(() -> disconnected(id, connection)));
    connection.onSlowConsumer(backlog -> slowConsumer(framework, connection, backlog));
  }

  /**
   * The framework's stream was closed because it left too much unread (a slow consumer): counted and logged
   * here, then handled as any disconnection (the stream's close comes next).
   */
  private void slowConsumer(Framework framework, SchedulerConnection connection, long backlog) {
    ctx.state.metrics.slowSchedulerSubscribersDisconnected++;
    LOG.warn("Disconnecting framework {}: its event stream {} has {} bytes of events not yet read, more than a "
        + "scheduler may leave unread (a slow consumer)", framework, connection.streamId(), backlog);
  }

  private void heartbeat(Framework framework, SchedulerConnection connection) {
    if (framework.connection() != connection) {
      return;
    }
    connection.send(Events.heartbeat());
    heartbeats.put(framework.id(), ctx.actor.delay(
        Duration.ofMillis((long) (Events.HEARTBEAT_INTERVAL_SECONDS * 1000)),
        () -> heartbeat(framework, connection)));
  }

  private void stopHeartbeat(Framework framework) {
    Clock.Timer timer = heartbeats.remove(framework.id());
    if (timer != null) {
      timer.cancel();
    }
  }

  /** The subscription stream ended: deactivate and start the failover timeout. */
  void disconnected(FrameworkID id, SchedulerConnection connection) {
    Framework framework = ctx.state.frameworks.get(id);
    if (framework == null || framework.connection() != connection) {
      LOG.info("Ignoring disconnection of framework {} on {}: it has already reconnected", id.getValue(),
          connection);
      return;
    }
    framework.disconnect();
    stopHeartbeat(framework);
    ctx.offers.recoverAll(framework);
    ctx.allocator.deactivateFramework(id);
    Duration timeout = Duration.ofMillis((long) (framework.info().getFailoverTimeout() * 1000));
    LOG.info("Framework {} disconnected; removing it unless it re-subscribes within {}", framework, timeout);
    framework.failoverTimer = ctx.actor.delay(timeout, () -> failoverTimeout(id, connection));
  }

  private void failoverTimeout(FrameworkID id, SchedulerConnection connection) {
    Framework framework = ctx.state.frameworks.get(id);
    if (framework != null && framework.lifecycle() == FrameworkLifecycle.DISCONNECTED) {
      LOG.info("Framework failover timeout, removing framework {}", framework);
      remove(framework);
    }
  }

  /** TEARDOWN. */
  public void teardown(Framework framework) {
    LOG.info("Tearing down framework {}", framework);
    ctx.state.metrics.frameworksTornDown++;
    remove(framework);
  }

  /**
   * Removes a framework: its agents shut its executors down, its tasks end as TASK_KILLED, its offers and
   * allocations are freed and it moves to the completed frameworks.
   */
  public void remove(Framework framework) {
    stopHeartbeat(framework);
    if (framework.failoverTimer != null) {
      framework.failoverTimer.cancel();
    }
    // As Mesos: every registered agent is told, whether or not the master knows of something of it there.
    for (Agent agent : ctx.state.agents.values()) {
      agent.send(ShutdownFrameworkMessage.newBuilder().setFrameworkId(framework.id()).build());
      agent.executors.remove(framework.id());
    }
    ctx.tasks.frameworkRemoved(framework);
    ctx.offers.recoverAll(framework);
    SchedulerConnection connection = framework.complete();
    if (connection != null) {
      connection.close();
    }
    ctx.allocator.removeFramework(framework.id());
    framework.unregisteredTime = ctx.now();
    ctx.rateLimits.frameworkRemoved(framework);
    ctx.state.completeFramework(framework, ctx.flags.maxCompletedFrameworks());
    LOG.info("Removed framework {}", framework);
    ctx.operatorEvents().frameworkRemoved(framework.info());
  }

  /** What each framework uses on an agent, for the allocator after an agent (re-)registers. */
  public Map<FrameworkID, Resources> usedOn(Agent agent) {
    Map<FrameworkID, Resources> used = new HashMap<>();
    for (FrameworkID id : List.copyOf(ctx.state.frameworks.keySet())) {
      Resources r = ctx.tasks.usedOn(agent, id);
      if (!r.isEmpty()) {
        used.put(id, r);
      }
    }
    return used;
  }
}
