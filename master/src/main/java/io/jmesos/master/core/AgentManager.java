package io.jmesos.master.core;

import io.jmesos.actor.MessageDispatcher;
import io.jmesos.internal.Messages.AuthenticateMessage;
import io.jmesos.internal.Messages.AuthenticationStartMessage;
import io.jmesos.internal.Messages.AuthenticationStepMessage;
import io.jmesos.internal.Messages.Envelope;
import io.jmesos.internal.Messages.ExecutorToFrameworkMessage;
import io.jmesos.internal.Messages.ExitedExecutorMessage;
import io.jmesos.internal.Messages.PongSlaveMessage;
import io.jmesos.internal.Messages.RegisterSlaveMessage;
import io.jmesos.internal.Messages.UpdateOperationStatusMessage;
import io.jmesos.internal.Messages.ReregisterSlaveMessage;
import io.jmesos.internal.Messages.ShutdownMessage;
import io.jmesos.internal.Messages.SlaveRegisteredMessage;
import io.jmesos.internal.Messages.StatusUpdateMessage;
import io.jmesos.internal.Messages.UnregisterSlaveMessage;
import io.jmesos.master.registry.RegistryOperations;
import io.jmesos.master.state.Agent;
import io.jmesos.master.state.Framework;
import io.jmesos.master.validation.AgentMessageValidator;
import io.jmesos.master.validation.MaintenanceValidator;
import io.jmesos.resources.Resources;
import io.jmesos.transport.Connection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.mesos.Protos.ExecutorInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agents manager: the master's side of the internal protocol (docs/internal-protocol.md) behind an
 * explicit dispatch table: registration, disconnection, unregistration, status updates, exited executors and
 * executor messages. Re-registration is {@link AgentReregistration}, health checks {@link AgentHealth}, the
 * ways an agent leaves {@link AgentRemoval}. Runs on the master's actor; the transport hands it envelopes via
 * {@link #dispatch}.
 */
public final class AgentManager {
  private static final Logger LOG = LoggerFactory.getLogger(AgentManager.class);

  private final MasterContext ctx;
  private final MessageDispatcher<Connection> dispatcher = new MessageDispatcher<>("master");
  private final AgentReregistration reregistration;
  /** Agents whose admission is being written to the registry, by connection. */
  private final Map<Long, Agent> admitting = new HashMap<>();

  AgentManager(MasterContext ctx) {
    this.ctx = ctx;
    this.reregistration = new AgentReregistration(ctx);
    dispatcher
        .install(AuthenticateMessage.getDefaultInstance(), ctx.authentication::authenticate)
        .install(AuthenticationStartMessage.getDefaultInstance(), ctx.authentication::start)
        .install(AuthenticationStepMessage.getDefaultInstance(), ctx.authentication::step)
        .install(RegisterSlaveMessage.getDefaultInstance(), this::registerSlave)
        .install(ReregisterSlaveMessage.getDefaultInstance(), this::reregisterSlave)
        .install(UnregisterSlaveMessage.getDefaultInstance(), this::unregisterSlave)
        .install(PongSlaveMessage.getDefaultInstance(), this::pong)
        .install(StatusUpdateMessage.getDefaultInstance(), this::statusUpdate)
        .install(ExitedExecutorMessage.getDefaultInstance(), this::exitedExecutor)
        .install(ExecutorToFrameworkMessage.getDefaultInstance(), this::executorToFramework)
        .install(UpdateOperationStatusMessage.getDefaultInstance(), ctx.operations::updateOperationStatus);
  }

  public void dispatch(Connection connection, Envelope envelope) {
    ctx.actor.assertInActorThread();
    if (!ctx.leadership.acting()) {
      // As Mesos' Master::visit: a master that does not lead (yet, or while suspended) acts on nothing.
      LOG.info("Dropping '{}' message from {} since not elected yet", envelope.getType(), connection);
      ctx.state.metrics.droppedMessages++;
      return;
    }
    ctx.state.metrics.messages.agentMessage(envelope.getType());
    dispatcher.dispatch(connection, envelope);
  }

  /**
   * The agent's connection closed: it stays admitted but disconnected (offers rescinded, not offered), tasks of
   * frameworks that do not checkpoint are lost on it (Mesos' {@code Master::exited}), and it must re-register
   * within {@code --agent_reregister_timeout}.
   */
  public void disconnected(Connection connection) {
    ctx.authentication.disconnected(connection);
    if (admitting.containsKey(connection.id())) {
      return; // admitted() sees the closed connection and disconnects the agent then
    }
    Agent agent = ctx.state.agentOn(connection);
    ctx.state.agentsByConnection.remove(connection.id());
    if (agent == null || agent.connection() != connection) {
      return;
    }
    LOG.info("Agent {} disconnected", agent);
    agent.disconnect();
    ctx.offers.rescindAll(agent);
    ctx.allocator.deactivateSlave(agent.id());
    for (Framework framework : List.copyOf(ctx.state.frameworks.values())) {
      if (!framework.info().getCheckpoint() && runsOn(framework, agent)) {
        LOG.info("Removing framework {} from disconnected agent {} because the framework is not checkpointing",
            framework, agent);
        ctx.tasks.frameworkLeftAgent(framework, agent);
      }
    }
    ctx.health.disconnected(agent);
  }

  private static boolean runsOn(Framework framework, Agent agent) {
    return agent.executors.containsKey(framework.id())
        || !framework.tasks.onAgent(agent.id()).isEmpty();
  }

  private void registerSlave(Connection connection, RegisterSlaveMessage message) {
    if (!ctx.state.recovered) {
      LOG.info("Dropping register agent message from {} since not recovered yet", message.getPid());
      return;
    }
    if (!authenticated(connection, "registration", () -> registerSlave(connection, message))) {
      return;
    }
    Optional<String> unauthorized = ctx.authz.registerAgent(ctx.authentication.principal(connection),
        message.getSlave(), "register");
    if (unauthorized.isPresent()) {
      LOG.warn("Refusing registration of agent at {} ({}): {}", message.getPid(), message.getSlave().getHostname(),
          unauthorized.get());
      return;
    }
    Agent existing = ctx.state.agentOn(connection);
    if (existing != null) {
      LOG.info("Agent {} registered again on the same connection; resending acknowledgement", existing);
      connection.send(registered(existing));
      return;
    }
    if (admitting.containsKey(connection.id())) {
      LOG.info("Ignoring register agent message from {} ({}) as admission is already in progress",
          message.getPid(), message.getSlave().getHostname());
      return;
    }
    Optional<String> invalid = AgentMessageValidator.registerSlave(message);
    if (invalid.isPresent()) {
      LOG.warn("Refusing registration of agent at {}: {}", message.getPid(), invalid.get());
      connection.send(ShutdownMessage.newBuilder().setMessage(invalid.get()).build());
      return;
    }
    if (ctx.maintenance.isDown(message.getSlave(), message.getPid())) {
      LOG.warn("Refusing registration of agent at {} because the machine '{}' that it is running on is `DOWN`",
          message.getPid(),
          MaintenanceValidator.json(MaintenanceManager.machineOf(message.getSlave(), message.getPid())));
      connection.send(ShutdownMessage.newBuilder().setMessage("Machine is `DOWN`").build());
      return;
    }
    Agent agent = new Agent(ctx.state.newAgentId(), message.getSlave());
    agent.pid = message.getPid();
    agent.version = message.getVersion();
    agent.principal = ctx.authentication.principal(connection).orElse(null);
    ctx.operations.agentReregistered(agent, message.getCheckpointedResourcesList(), List.of(), false);
    admitting.put(connection.id(), agent);
    ctx.registrar.apply(RegistryOperations.admit(agent.info)).thenAccept(ok -> admitted(connection, agent));
  }

  private void reregisterSlave(Connection connection, ReregisterSlaveMessage message) {
    if (ctx.state.recovered
        && !authenticated(connection, "re-registration", () -> reregisterSlave(connection, message))) {
      return;
    }
    Optional<String> unauthorized = ctx.authz.registerAgent(ctx.authentication.principal(connection),
        message.getSlave(), "reregister");
    if (unauthorized.isPresent()) {
      LOG.warn("Refusing re-registration of agent {} at {} ({}): {}", message.getSlave().getId().getValue(),
          message.getPid(), message.getSlave().getHostname(), unauthorized.get());
      return;
    }
    reregistration.reregister(connection, message);
  }

  /**
   * Mesos' checks before (re-)registration: a registration that arrives while its connection authenticates is
   * queued ({@code retry} runs when the authentication ends); with {@code --authenticate_agents}, one from a
   * connection that did not authenticate is dropped (the agent retries after authenticating).
   */
  private boolean authenticated(Connection connection, String what, Runnable retry) {
    if (ctx.authentication.whenAuthenticated(connection, retry)) {
      LOG.info("Queuing up {} request from {} because authentication is still in progress", what,
          connection.remoteAddress());
      return false;
    }
    if (ctx.authentication.required() && ctx.authentication.principal(connection).isEmpty()) {
      LOG.warn("Refusing {} of agent at {} because it is not authenticated", what, connection.remoteAddress());
      return false;
    }
    return true;
  }

  /** Mesos' {@code _registerSlave}: the registry holds the agent; it joins the cluster. */
  private void admitted(Connection connection, Agent agent) {
    admitting.remove(connection.id());
    agent.registeredTime = ctx.now();
    agent.admit(connection);
    ctx.state.agents.put(agent.id(), agent);
    ctx.state.agentsByConnection.put(connection.id(), agent.id());
    ctx.state.metrics.slaveRegistrations++;
    ctx.allocator.addSlave(agent.id(), agent.info, agent.total(), Map.of());
    connection.send(registered(agent));
    ctx.health.start(agent);
    LOG.info("Registered agent {} with {}", agent, agent.total());
    ctx.draining.registered(agent);
    ctx.operatorEvents().agentAdded(agent);
    if (!connection.isOpen()) {
      disconnected(connection);
    }
  }

  private SlaveRegisteredMessage registered(Agent agent) {
    return SlaveRegisteredMessage.newBuilder()
        .setSlaveId(agent.id())
        .setPingIntervalSeconds(ctx.flags.agentPingTimeout().toMillis() / 1000.0)
        .setMaxMissedPings(ctx.flags.maxAgentPingTimeouts())
        .build();
  }

  private void unregisterSlave(Connection connection, UnregisterSlaveMessage message) {
    Agent agent = ctx.state.agents.get(message.getSlaveId());
    if (agent == null || agent.connection() != connection) {
      LOG.warn("Ignoring unregistration of agent {} from {}", message.getSlaveId().getValue(), connection);
      return;
    }
    ctx.removal.unregistered(agent);
  }

  private void pong(Connection connection, PongSlaveMessage message) {
    Agent agent = ctx.state.agentOn(connection);
    if (agent != null) {
      ctx.health.pong(agent);
    }
  }

  private void statusUpdate(Connection connection, StatusUpdateMessage message) {
    Agent agent = ctx.state.agentOn(connection);
    if (agent == null || !message.getUpdate().getSlaveId().equals(agent.id())) {
      ctx.state.metrics.invalidStatusUpdates++;
      LOG.warn("Ignoring status update of task {} from {}: not from a registered agent",
          message.getUpdate().getStatus().getTaskId().getValue(), connection);
      return;
    }
    ctx.tasks.statusUpdate(agent, message.getUpdate());
  }

  /** Mesos' {@code exitedExecutor}: only for accounting; the agent reports the tasks' states itself. */
  private void exitedExecutor(Connection connection, ExitedExecutorMessage message) {
    Agent agent = ctx.state.agentOn(connection);
    if (agent == null) {
      LOG.warn("Ignoring exited executor {} of framework {} on unknown agent {}",
          message.getExecutorId().getValue(), message.getFrameworkId().getValue(), message.getSlaveId().getValue());
      return;
    }
    ExecutorInfo executor = agent.removeExecutor(message.getFrameworkId(), message.getExecutorId());
    if (executor == null) {
      LOG.warn("Ignoring unknown exited executor {} of framework {} on agent {}",
          message.getExecutorId().getValue(), message.getFrameworkId().getValue(), agent);
      return;
    }
    LOG.info("Executor {} of framework {} on agent {} exited with status {}", message.getExecutorId().getValue(),
        message.getFrameworkId().getValue(), agent.id().getValue(), message.getStatus());
    ctx.allocator.recoverResources(message.getFrameworkId(), agent.id(),
        Resources.of(executor.getResourcesList()), null);
    Framework framework = ctx.state.frameworks.get(message.getFrameworkId());
    if (framework == null || !framework.connected()) {
      LOG.warn("Not forwarding exited executor message for executor {} of framework {}: the framework is {}",
          message.getExecutorId().getValue(), message.getFrameworkId().getValue(),
          framework == null ? "unknown" : "disconnected");
      return;
    }
    ctx.send(framework, Events.failure(agent.id(), message.getExecutorId(), message.getStatus()));
  }

  private void executorToFramework(Connection connection, ExecutorToFrameworkMessage message) {
    Agent agent = ctx.state.agentOn(connection);
    Framework framework = ctx.state.frameworks.get(message.getFrameworkId());
    if (agent == null || framework == null || !framework.connected()) {
      ctx.state.metrics.invalidExecutorToFrameworkMessages++;
      LOG.warn("Dropping message from executor {} to framework {}", message.getExecutorId().getValue(),
          message.getFrameworkId().getValue());
      return;
    }
    ctx.state.metrics.validExecutorToFrameworkMessages++;
    ctx.send(framework, Events.message(message.getSlaveId(), message.getExecutorId(), message.getData()));
  }
}
