package io.jmesos.master.core;

import io.jmesos.internal.Messages.KillTaskMessage;
import io.jmesos.internal.Messages.ReconcileTasksMessage;
import io.jmesos.internal.Messages.ReregisterSlaveMessage;
import io.jmesos.internal.Messages.ShutdownMessage;
import io.jmesos.internal.Messages.SlaveReregisteredMessage;
import io.jmesos.master.registry.RegistryOperations;
import io.jmesos.master.state.Agent;
import io.jmesos.master.state.Framework;
import io.jmesos.master.state.FrameworkLifecycle;
import io.jmesos.master.validation.AgentMessageValidator;
import io.jmesos.master.validation.MaintenanceValidator;
import io.jmesos.protocol.TaskStates;
import io.jmesos.resources.Resources;
import io.jmesos.transport.Connection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.ExecutorInfo;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.SlaveInfo;
import org.apache.mesos.Protos.Task;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agent's ReregisterSlaveMessage, as Mesos 1.11's {@code Master::reregisterSlave}:
 * <ul>
 *   <li>a gone agent is told to shut down; an invalid message is dropped;
 *   <li>a <b>known</b> agent (registered, connected or not) is reconciled with the master's view
 *       ({@code reconcileKnownSlave}): tasks the master launched that the agent does not report are sent back to
 *       the agent for reconciliation (it answers TASK_DROPPED or TASK_LOST for those it never received), the
 *       master forgets executors the agent does not report, kills that could not reach the agent are sent again,
 *       and frameworks completed meanwhile are shut down on the agent;
 *   <li>an <b>unreachable, recovered or unknown</b> agent is admitted again with the tasks it reports: each comes
 *       back live (leaving the unreachable and completed tasks), every connected framework is told its state with
 *       REASON_SLAVE_REREGISTERED (partition-aware or not, as since Mesos 1.5), frameworks the master does not
 *       know are recovered from the agent's report, and the agent's resources return to the allocator.
 * </ul>
 * Runs on the master's actor.
 */
final class AgentReregistration {
  private static final Logger LOG = LoggerFactory.getLogger(AgentReregistration.class);

  private final MasterContext ctx;

  AgentReregistration(MasterContext ctx) {
    this.ctx = ctx;
  }

  void reregister(Connection connection, ReregisterSlaveMessage message) {
    if (!ctx.state.recovered) {
      LOG.info("Dropping reregister agent message from {} since not recovered yet", message.getPid());
      return;
    }
    Optional<String> invalid = AgentMessageValidator.reregisterSlave(message);
    if (invalid.isPresent()) {
      LOG.warn("Dropping re-registration of agent at {} because it sent an invalid re-registration: {}",
          message.getPid(), invalid.get());
      return;
    }
    SlaveInfo info = message.getSlave();
    SlaveID id = info.getId();
    if (ctx.maintenance.isDown(info, message.getPid())) {
      LOG.warn("Refusing re-registration of agent at {} because the machine '{}' that it is running on is `DOWN`",
          message.getPid(), MaintenanceValidator.json(MaintenanceManager.machineOf(info, message.getPid())));
      connection.send(ShutdownMessage.newBuilder().setMessage("Machine is `DOWN`").build());
      return;
    }
    if (ctx.state.goneAgents.containsKey(id)) {
      LOG.warn("Refusing re-registration of agent {} at {} because it is already marked gone", id.getValue(),
          message.getPid());
      connection.send(ShutdownMessage.newBuilder().setMessage("Agent has been marked gone").build());
      return;
    }
    if (ctx.state.markingUnreachable.contains(id) || ctx.state.markingGone.contains(id)
        || ctx.state.removing.contains(id)) {
      LOG.info("Ignoring reregister agent message from agent {} at {} since the master is in the process of "
          + "removing it", id.getValue(), message.getPid());
      return;
    }
    if (ctx.state.reregistering.contains(id)) {
      LOG.info("Ignoring reregister agent message from agent {} at {} as re-registration is already in progress",
          id.getValue(), message.getPid());
      return;
    }
    LOG.info("Received re-registration of agent {} at {} ({})", id.getValue(), message.getPid(),
        info.getHostname());
    Agent known = ctx.state.agents.get(id);
    if (known != null) {
      reregisterKnown(known, connection, message);
      return;
    }
    // Unreachable, recovered or unknown: the registry admits it (again) before the master does.
    ctx.state.reregistering.add(id);
    ctx.registrar.apply(RegistryOperations.markReachable(info)).thenAccept(ok -> {
      ctx.state.reregistering.remove(id);
      if (ctx.state.goneAgents.containsKey(id)) {
        connection.send(ShutdownMessage.newBuilder().setMessage("Agent has been marked gone").build());
        return;
      }
      readmit(connection, message);
      if (!connection.isOpen()) {
        ctx.agents.disconnected(connection);
      }
    });
  }

  private void reregisterKnown(Agent agent, Connection connection, ReregisterSlaveMessage message) {
    SlaveInfo info = message.getSlave();
    if (!info.getHostname().equals(agent.info.getHostname())
        || !Agent.hostOf(message.getPid()).equals(Agent.hostOf(agent.pid))) {
      LOG.warn("Agent {} at {} ({}) attempted to reregister with different IP / hostname; expected {} ({}): "
          + "shutting it down", agent.id().getValue(), message.getPid(), info.getHostname(), agent.pid,
          agent.info.getHostname());
      connection.send(ShutdownMessage.newBuilder()
          .setMessage("Agent attempted to reregister with different IP / hostname").build());
      return;
    }
    boolean wasConnected = agent.connected();
    Connection old = agent.connection();
    if (old != null && old != connection) {
      ctx.state.agentsByConnection.remove(old.id());
      old.close();
    }
    agent.info = info;
    agent.pid = message.getPid();
    agent.version = message.getVersion();
    agent.principal = ctx.authentication.principal(connection).orElse(null);
    agent.reregisteredTime = ctx.now();
    agent.admit(connection);
    ctx.state.agentsByConnection.put(connection.id(), agent.id());
    // Not counted in master/slave_reregistrations: Mesos counts re-admissions only (recovered, unreachable or
    // unknown agents), not a registered agent that reconnects (Master::___reregisterSlave).
    ctx.allocator.updateSlave(agent.id(), agent.info, agent.total());
    reconcileKnown(agent, message);
    // After SlaveReregisteredMessage, as Mesos: the agent takes checkpointed resources once re-registered.
    ctx.operations.agentReregistered(agent, message.getCheckpointedResourcesList(), message.getOperationsList(),
        true);
    if (!wasConnected && !agent.deactivated) {
      LOG.info("Reactivating re-registered agent {}", agent);
      ctx.allocator.activateSlave(agent.id());
    }
    ctx.health.start(agent);
    LOG.info("Re-registered agent {} with {}", agent, agent.total());
    ctx.draining.registered(agent);
  }

  /** Mesos' {@code reconcileKnownSlave}; sends the SlaveReregisteredMessage. */
  private void reconcileKnown(Agent agent, ReregisterSlaveMessage message) {
    Set<List<String>> reported = new HashSet<>();
    for (Task task : message.getTasksList()) {
      reported.add(key(task.getFrameworkId(), task.getTaskId()));
    }
    SlaveReregisteredMessage.Builder reply = reply(agent.id());
    for (Framework framework : ctx.state.frameworks.values()) {
      ReconcileTasksMessage.Builder reconcile = ReconcileTasksMessage.newBuilder()
          .setFrameworkId(framework.id()).setFramework(framework.info());
      for (Task task : framework.tasks.onAgent(agent.id())) {
        if (!reported.contains(key(framework.id(), task.getTaskId()))) {
          LOG.warn("Task {} of framework {} unknown to the agent {} during re-registration: reconciling with the "
              + "agent", task.getTaskId().getValue(), framework, agent);
          reconcile.addStatuses(TaskStatus.newBuilder()
              .setTaskId(task.getTaskId())
              .setSlaveId(agent.id())
              .setState(task.hasStatusUpdateState() ? task.getStatusUpdateState() : task.getState())
              .setSource(TaskStatus.Source.SOURCE_MASTER)
              .setMessage("Reconciliation request")
              .setReason(TaskStatus.Reason.REASON_RECONCILIATION)
              .setTimestamp(ctx.now()));
        }
      }
      if (reconcile.getStatusesCount() > 0) {
        reply.addReconciliations(reconcile);
      }
    }
    addCompletedFrameworks(reply, message);
    agent.send(reply.build());

    Set<List<String>> executors = new HashSet<>();
    for (ExecutorInfo executor : message.getExecutorInfosList()) {
      executors.add(List.of(executor.getFrameworkId().getValue(), executor.getExecutorId().getValue()));
    }
    for (Map.Entry<FrameworkID, Map<ExecutorID, ExecutorInfo>> e : Map.copyOf(agent.executors).entrySet()) {
      for (ExecutorInfo executor : List.copyOf(e.getValue().values())) {
        if (!executors.contains(List.of(e.getKey().getValue(), executor.getExecutorId().getValue()))) {
          LOG.warn("Executor {} of framework {} possibly unknown to the agent {}",
              executor.getExecutorId().getValue(), e.getKey().getValue(), agent);
          agent.removeExecutor(e.getKey(), executor.getExecutorId());
          ctx.allocator.recoverResources(e.getKey(), agent.id(), Resources.of(executor.getResourcesList()), null);
        }
      }
    }
    for (Task task : message.getTasksList()) {
      if (!TaskStates.isTerminal(task.getState()) && agent.wasKilled(task.getFrameworkId(), task.getTaskId())) {
        LOG.warn("Agent {} has non-terminal task {} that is supposed to be killed. Killing it now!", agent,
            task.getTaskId().getValue());
        agent.send(KillTaskMessage.newBuilder()
            .setFrameworkId(task.getFrameworkId()).setTaskId(task.getTaskId()).build());
      }
    }
  }

  /** An unreachable, recovered or unknown agent comes back with its tasks. */
  private void readmit(Connection connection, ReregisterSlaveMessage message) {
    SlaveInfo info = message.getSlave();
    SlaveID id = info.getId();
    boolean recovered = ctx.state.recoveredAgents.remove(id) != null;
    boolean wasUnreachable = ctx.state.unreachableAgents.remove(id) != null;
    Agent agent = new Agent(id, info);
    agent.registeredTime = ctx.now();
    agent.reregisteredTime = agent.registeredTime;
    agent.pid = message.getPid();
    agent.version = message.getVersion();
    agent.principal = ctx.authentication.principal(connection).orElse(null);
    ctx.operations.agentReregistered(agent, message.getCheckpointedResourcesList(), message.getOperationsList(),
        false);

    Map<FrameworkID, FrameworkInfo> infos = new LinkedHashMap<>();
    message.getFrameworksList().forEach(f -> infos.put(f.getId(), f));
    for (ExecutorInfo executor : message.getExecutorInfosList()) {
      if (!ctx.state.completedFrameworkIds.contains(executor.getFrameworkId())) {
        agent.addExecutor(executor.getFrameworkId(), executor);
      }
    }
    String why = wasUnreachable ? "Unreachable agent re-reregistered" : "Unknown agent reregistered";
    Map<FrameworkID, Integer> readded = new HashMap<>();
    for (Task reportedTask : message.getTasksList()) {
      FrameworkID fid = reportedTask.getFrameworkId();
      if (ctx.state.completedFrameworkIds.contains(fid)) {
        continue;
      }
      Framework framework = ctx.state.frameworks.get(fid);
      if (framework == null) {
        framework = recoverFramework(infos.get(fid), agent);
      }
      Task task = reportedTask.toBuilder().setSlaveId(id).build();
      if (!recovered) {
        Task before = framework.unreachableTasks.get(task.getTaskId());
        if (TaskStates.isTerminal(task.getState()) && (before == null || before.getState() != task.getState())) {
          // It ended while the agent was away: counted once in its real terminal state (a non-partition-aware
          // task was counted TASK_LOST when the agent was lost; it also FINISHED, FAILED, ... for real).
          ctx.state.metrics.taskTerminated(task.getState());
        }
        TaskStatus.Builder update = TaskStatus.newBuilder()
            .setTaskId(task.getTaskId())
            .setSlaveId(id)
            .setState(task.getState())
            .setSource(TaskStatus.Source.SOURCE_MASTER)
            .setReason(TaskStatus.Reason.REASON_SLAVE_REREGISTERED)
            .setMessage(why)
            .setTimestamp(ctx.now());
        if (task.hasExecutorId()) {
          update.setExecutorId(task.getExecutorId());
        }
        if (framework.connected()) {
          ctx.send(framework, Events.update(update.build()));
        } else {
          LOG.warn("Dropping update {} of task {} for disconnected framework {}", task.getState(),
              task.getTaskId().getValue(), framework);
        }
      }
      framework.readd(task);
      ctx.operatorEvents().taskAdded(framework, task);
      readded.merge(fid, 1, Integer::sum);
    }
    // Every task of this agent is reachable again: what it did not report is forgotten, as Mesos does.
    for (Framework framework : ctx.state.frameworks.values()) {
      framework.unreachableTasks.values().removeIf(t -> t.getSlaveId().equals(id));
    }
    agent.admit(connection);
    agent.deactivated = ctx.state.deactivatedAgents.contains(id);
    ctx.state.agents.put(id, agent);
    ctx.state.agentsByConnection.put(connection.id(), id);
    ctx.state.metrics.slaveReregistrations++;
    ctx.allocator.addSlave(id, agent.info, agent.total(), ctx.frameworks.usedOn(agent));
    if (agent.deactivated) {
      LOG.info("Re-admitted agent {} stays deactivated (DEACTIVATE_AGENT)", agent);
      ctx.allocator.deactivateSlave(id);
    }
    SlaveReregisteredMessage.Builder reply = reply(id);
    addCompletedFrameworks(reply, message);
    connection.send(reply.build());
    ctx.health.start(agent);
    LOG.info("Re-admitted {} agent {} with {} tasks of {} frameworks", wasUnreachable ? "unreachable"
        : recovered ? "recovered" : "unknown", agent, message.getTasksCount(), readded.size());
    ctx.operatorEvents().agentAdded(agent);
    ctx.draining.registered(agent);
  }

  private Framework recoverFramework(FrameworkInfo info, Agent agent) {
    Framework framework = new Framework(info.getId(), info, FrameworkLifecycle.RECOVERED);
    framework.registeredTime = ctx.now();
    ctx.state.frameworks.put(framework.id(), framework);
    ctx.allocator.addFramework(framework.id(), framework.info(), Map.of(), false);
    LOG.info("Recovered framework {} from agent {}", framework, agent);
    ctx.operatorEvents().frameworkAdded(framework);
    return framework;
  }

  private SlaveReregisteredMessage.Builder reply(SlaveID id) {
    return SlaveReregisteredMessage.newBuilder()
        .setSlaveId(id)
        .setPingIntervalSeconds(ctx.flags.agentPingTimeout().toMillis() / 1000.0)
        .setMaxMissedPings(ctx.flags.maxAgentPingTimeouts());
  }

  /** Frameworks completed at the master but still running on the agent: the agent shuts them down. */
  private void addCompletedFrameworks(SlaveReregisteredMessage.Builder reply, ReregisterSlaveMessage message) {
    for (FrameworkInfo framework : message.getFrameworksList()) {
      if (ctx.state.completedFrameworkIds.contains(framework.getId())) {
        LOG.info("Shutting down framework {} at re-registered agent {} because the framework has been shut down "
            + "at the master", framework.getId().getValue(), message.getSlave().getId().getValue());
        reply.addUnknownFrameworkIds(framework.getId());
      }
    }
  }

  private static List<String> key(FrameworkID frameworkId, TaskID taskId) {
    return List.of(frameworkId.getValue(), taskId.getValue());
  }
}
