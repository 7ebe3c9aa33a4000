package io.jmesos.master.core;

import io.jmesos.actor.MessageDispatcher;
import io.jmesos.internal.Messages.Envelope;
import io.jmesos.internal.Messages.ExecutorToFrameworkMessage;
import io.jmesos.internal.Messages.ExitedExecutorMessage;
import io.jmesos.internal.Messages.PingSlaveMessage;
import io.jmesos.internal.Messages.PongSlaveMessage;
import io.jmesos.internal.Messages.RegisterSlaveMessage;
import io.jmesos.internal.Messages.ReregisterSlaveMessage;
import io.jmesos.internal.Messages.ShutdownMessage;
import io.jmesos.internal.Messages.SlaveRegisteredMessage;
import io.jmesos.internal.Messages.SlaveReregisteredMessage;
import io.jmesos.internal.Messages.StatusUpdateMessage;
import io.jmesos.internal.Messages.UnregisterSlaveMessage;
import io.jmesos.master.state.Agent;
import io.jmesos.master.state.Framework;
import io.jmesos.resources.Resources;
import io.jmesos.transport.Connection;
import java.util.HashMap;
import java.util.Map;
import org.apache.mesos.Protos.ExecutorInfo;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.SlaveInfo;
import org.apache.mesos.Protos.Task;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agents manager: the master's side of the internal protocol (docs/internal-protocol.md) behind an
 * explicit dispatch table, agent health checks (a ping every {@code --agent_ping_timeout}; unreachable after
 * {@code --max_agent_ping_timeouts} unanswered), and agent loss (offers rescinded, tasks reported per
 * partition-awareness). Runs on the master's actor; the transport hands it envelopes via {@link #dispatch}.
 */
public final class AgentManager {
  private static final Logger LOG = LoggerFactory.getLogger(AgentManager.class);

  private final MasterContext ctx;
  private final MessageDispatcher<Connection> dispatcher = new MessageDispatcher<>("master");

  AgentManager(MasterContext ctx) {
    this.ctx = ctx;
    dispatcher
        .install(RegisterSlaveMessage.getDefaultInstance(), this::registerSlave)
        .install(ReregisterSlaveMessage.getDefaultInstance(), this::reregisterSlave)
        .install(UnregisterSlaveMessage.getDefaultInstance(), this::unregisterSlave)
        .install(PongSlaveMessage.getDefaultInstance(), this::pong)
        .install(StatusUpdateMessage.getDefaultInstance(), this::statusUpdate)
        .install(ExitedExecutorMessage.getDefaultInstance(), this::exitedExecutor)
        .install(ExecutorToFrameworkMessage.getDefaultInstance(), this::executorToFramework);
  }

  public void dispatch(Connection connection, Envelope envelope) {
    ctx.actor.assertInActorThread();
    dispatcher.dispatch(connection, envelope);
  }

  /** The agent's connection closed: its offers are rescinded and its resources no longer offered. */
  public void disconnected(Connection connection) {
    Agent agent = ctx.state.agentOn(connection);
    ctx.state.agentsByConnection.remove(connection.id());
    if (agent == null || agent.connection != connection) {
      return;
    }
    LOG.info("Agent {} disconnected", agent);
    agent.connection = null;
    agent.active = false;
    ctx.offers.rescindAll(agent);
    ctx.allocator.deactivateSlave(agent.id());
  }

  private void registerSlave(Connection connection, RegisterSlaveMessage message) {
    Agent existing = ctx.state.agentOn(connection);
    if (existing != null) {
      LOG.info("Agent {} registered again on the same connection; resending acknowledgement", existing);
      connection.send(registered(existing));
      return;
    }
    SlaveInfo info = message.getSlave();
    java.util.Optional<String> invalid = Resources.validate(info.getResourcesList());
    if (invalid.isPresent()) {
      LOG.warn("Refusing agent at {}: invalid resources: {}", message.getPid(), invalid.get());
      connection.send(ShutdownMessage.newBuilder().setMessage("Invalid resources: " + invalid.get()).build());
      return;
    }
    Agent agent = new Agent(ctx.state.newAgentId(), info);
    agent.registeredTime = ctx.now();
    admit(agent, connection, message.getPid(), message.getVersion());
    ctx.state.metrics.slaveRegistrations++;
    ctx.allocator.addSlave(agent.id(), agent.info, agent.total(), Map.of());
    connection.send(registered(agent));
    LOG.info("Registered agent {} with {}", agent, agent.total());
  }

  private SlaveRegisteredMessage registered(Agent agent) {
    return SlaveRegisteredMessage.newBuilder()
        .setSlaveId(agent.id())
        .setPingIntervalSeconds(ctx.flags.agentPingTimeout().toMillis() / 1000.0)
        .setMaxMissedPings(ctx.flags.maxAgentPingTimeouts())
        .build();
  }

  private void admit(Agent agent, Connection connection, String pid, String version) {
    agent.connection = connection;
    agent.pid = pid;
    agent.version = version;
    agent.active = true;
    agent.missedPings = 0;
    agent.pongReceived = true;
    ctx.state.agents.put(agent.id(), agent);
    ctx.state.agentsByConnection.put(connection.id(), agent.id());
    ctx.state.unreachableAgents.remove(agent.id());
    if (agent.pingTimer == null) {
      // As Mesos' agent observer: the first ping goes out right away (after the registration reply).
      agent.pingTimer = () -> false;
      ctx.actor.execute(() -> ping(agent));
    }
  }

  private void reregisterSlave(Connection connection, ReregisterSlaveMessage message) {
    SlaveInfo info = message.getSlave();
    if (!info.hasId()) {
      LOG.warn("Refusing re-registration without an agent id from {}", message.getPid());
      connection.send(ShutdownMessage.newBuilder().setMessage("Re-registration without an agent id").build());
      return;
    }
    SlaveID id = info.getId();
    Agent agent = ctx.state.agents.get(id);
    ctx.state.metrics.slaveReregistrations++;
    if (agent != null) {
      if (agent.connection != null && agent.connection != connection) {
        ctx.state.agentsByConnection.remove(agent.connection.id());
        agent.connection.close();
      }
      agent.info = info;
      agent.reregisteredTime = ctx.now();
      admit(agent, connection, message.getPid(), message.getVersion());
      ctx.allocator.updateSlave(id, agent.info, agent.total());
      ctx.allocator.activateSlave(id);
      LOG.info("Agent {} re-registered", agent);
    } else {
      agent = new Agent(id, info);
      agent.registeredTime = ctx.now();
      agent.reregisteredTime = agent.registeredTime;
      admit(agent, connection, message.getPid(), message.getVersion());
      recoverFrameworks(agent, message);
      ctx.allocator.addSlave(id, agent.info, agent.total(), ctx.frameworks.usedOn(agent));
      LOG.info("Admitted re-registering agent {} with {} tasks", agent, message.getTasksCount());
    }
    SlaveReregisteredMessage.Builder reply = SlaveReregisteredMessage.newBuilder()
        .setSlaveId(id)
        .setPingIntervalSeconds(ctx.flags.agentPingTimeout().toMillis() / 1000.0)
        .setMaxMissedPings(ctx.flags.maxAgentPingTimeouts());
    for (FrameworkInfo framework : message.getFrameworksList()) {
      if (framework.hasId() && ctx.state.completedFrameworkIds.contains(framework.getId())) {
        reply.addUnknownFrameworkIds(framework.getId());
      }
    }
    connection.send(reply.build());
  }

  /** After a master failover: learn the agent's frameworks, executors and tasks from its re-registration. */
  private void recoverFrameworks(Agent agent, ReregisterSlaveMessage message) {
    Map<FrameworkID, FrameworkInfo> infos = new HashMap<>();
    for (FrameworkInfo info : message.getFrameworksList()) {
      if (info.hasId()) {
        infos.put(info.getId(), info);
      }
    }
    for (ExecutorInfo executor : message.getExecutorInfosList()) {
      if (executor.hasFrameworkId() && !ctx.state.completedFrameworkIds.contains(executor.getFrameworkId())) {
        agent.addExecutor(executor.getFrameworkId(), executor);
      }
    }
    for (Task task : message.getTasksList()) {
      FrameworkID fid = task.getFrameworkId();
      if (ctx.state.completedFrameworkIds.contains(fid)) {
        continue;
      }
      Framework framework = ctx.state.frameworks.get(fid);
      if (framework == null) {
        FrameworkInfo info = infos.get(fid);
        if (info == null) {
          LOG.warn("Ignoring task {} of agent {}: its framework {} is unknown", task.getTaskId().getValue(),
              agent.id().getValue(), fid.getValue());
          continue;
        }
        framework = new Framework(fid, info);
        framework.registeredTime = ctx.now();
        ctx.state.frameworks.put(fid, framework);
        ctx.allocator.addFramework(fid, framework.info(), Map.of(), false);
        LOG.info("Recovered framework {} from agent {}", framework, agent.id().getValue());
      }
      if (!framework.tasks.containsKey(task.getTaskId())) {
        framework.tasks.put(task.getTaskId(), task.toBuilder().setSlaveId(agent.id()).build());
      }
    }
  }

  private void unregisterSlave(Connection connection, UnregisterSlaveMessage message) {
    Agent agent = ctx.state.agents.get(message.getSlaveId());
    if (agent == null || agent.connection != connection) {
      LOG.warn("Ignoring unregistration of agent {} from {}", message.getSlaveId().getValue(), connection);
      return;
    }
    LOG.info("Agent {} unregistered", agent);
    remove(agent, TaskState.TASK_GONE, "Agent " + agent.info.getHostname() + " removed: agent unregistered");
  }

  private void pong(Connection connection, PongSlaveMessage message) {
    Agent agent = ctx.state.agentOn(connection);
    if (agent != null) {
      agent.pongReceived = true;
    }
  }

  private void schedulePing(Agent agent) {
    agent.pingTimer = ctx.actor.delay(ctx.flags.agentPingTimeout(), () -> ping(agent));
  }

  private void ping(Agent agent) {
    if (ctx.state.agents.get(agent.id()) != agent) {
      return;
    }
    if (agent.pongReceived && agent.connected()) {
      agent.missedPings = 0;
    } else {
      agent.missedPings++;
      LOG.warn("Agent {} missed {} of {} pings", agent, agent.missedPings, ctx.flags.maxAgentPingTimeouts());
    }
    if (agent.missedPings >= ctx.flags.maxAgentPingTimeouts()) {
      markUnreachable(agent);
      return;
    }
    agent.pongReceived = false;
    if (agent.connected()) {
      agent.connection.send(PingSlaveMessage.newBuilder().setConnected(true).build());
    }
    schedulePing(agent);
  }

  private void markUnreachable(Agent agent) {
    LOG.warn("Marking agent {} unreachable after {} missed pings", agent, agent.missedPings);
    remove(agent, TaskState.TASK_UNREACHABLE, "Agent " + agent.info.getHostname() + " is unreachable");
    ctx.state.unreachableAgents.add(agent.id());
    if (agent.connection != null) {
      agent.connection.close();
    }
  }

  /** Removes an agent: offers rescinded, tasks reported lost, allocator told, FAILURE events sent. */
  private void remove(Agent agent, TaskState partitionAwareState, String message) {
    if (agent.pingTimer != null) {
      agent.pingTimer.cancel();
    }
    ctx.offers.rescindAll(agent);
    ctx.tasks.agentLost(agent, partitionAwareState, TaskStatus.Reason.REASON_SLAVE_REMOVED, message);
    ctx.state.agents.remove(agent.id());
    if (agent.connection != null) {
      ctx.state.agentsByConnection.remove(agent.connection.id());
    }
    ctx.state.metrics.slaveRemovals++;
    ctx.allocator.removeSlave(agent.id());
    for (Framework framework : ctx.state.frameworks.values()) {
      ctx.send(framework, Events.failure(agent.id(), null, null));
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

  private void exitedExecutor(Connection connection, ExitedExecutorMessage message) {
    Agent agent = ctx.state.agentOn(connection);
    if (agent == null) {
      return;
    }
    ExecutorInfo executor = agent.removeExecutor(message.getFrameworkId(), message.getExecutorId());
    LOG.info("Executor {} of framework {} on agent {} exited with status {}", message.getExecutorId().getValue(),
        message.getFrameworkId().getValue(), agent.id().getValue(), message.getStatus());
    if (executor != null) {
      ctx.allocator.recoverResources(message.getFrameworkId(), agent.id(),
          Resources.of(executor.getResourcesList()), null);
    }
    Framework framework = ctx.state.frameworks.get(message.getFrameworkId());
    if (framework != null) {
      ctx.send(framework, Events.failure(agent.id(), message.getExecutorId(), message.getStatus()));
    }
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
