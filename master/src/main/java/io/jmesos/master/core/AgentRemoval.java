package io.jmesos.master.core;

import io.jmesos.internal.Messages.ShutdownMessage;
import io.jmesos.master.registry.RegistryOperations;
import io.jmesos.master.state.Agent;
import io.jmesos.master.state.AgentLifecycle;
import io.jmesos.master.state.Framework;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.Task;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.Protos.TimeInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The three ways an admitted agent leaves the master, as Mesos 1.11 does them:
 * <ul>
 *   <li><b>unreachable</b> (failed health checks, or no re-registration in time): tasks of partition-aware
 *       frameworks become TASK_UNREACHABLE, others TASK_LOST, both with REASON_SLAVE_REMOVED and the
 *       {@code unreachable_time}; they are kept as unreachable tasks and come back if the agent re-registers;
 *   <li><b>gone</b> (operator MARK_AGENT_GONE): TASK_GONE_BY_OPERATOR with REASON_SLAVE_REMOVED_BY_OPERATOR,
 *       completed; for the others TASK_LOST, REASON_SLAVE_REMOVED, kept as unreachable tasks as Mesos'
 *       {@code __removeSlave} keeps them; the agent is told to shut down and is never admitted again, and is
 *       not counted in {@code master/slave_removals}; also applies to an agent that is unreachable already
 *       (its unreachable tasks are completed);
 *   <li><b>unregistered</b> (the agent shut down cleanly): TASK_LOST with REASON_SLAVE_REMOVED, partition-aware
 *       or not (Mesos' {@code _removeSlave}).
 * </ul>
 * In each case its offers are rescinded, its executors forgotten, the allocator told, and every connected
 * framework hears that the agent was lost (FAILURE without executor). Runs on the master's actor.
 */
public final class AgentRemoval {
  private static final Logger LOG = LoggerFactory.getLogger(AgentRemoval.class);

  private final MasterContext ctx;

  AgentRemoval(MasterContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Marks a registered (connected or not) agent unreachable, once the registry says so (re-registrations of the
   * agent are dropped meanwhile, as in Mesos).
   */
  public void markUnreachable(Agent agent, String message) {
    if (ctx.state.agents.get(agent.id()) != agent) {
      LOG.warn("Skipping transition of agent {} to unreachable because it has already been removed", agent);
      return;
    }
    if (!ctx.state.markingUnreachable.add(agent.id())) {
      return;
    }
    double now = ctx.now();
    LOG.warn("Marking agent {} unreachable: {}", agent, message);
    ctx.registrar.apply(RegistryOperations.markUnreachable(agent.id(), now)).thenAccept(marked -> {
      ctx.state.markingUnreachable.remove(agent.id());
      if (ctx.state.agents.get(agent.id()) != agent) {
        return;
      }
      TimeInfo unreachableTime = TimeInfo.newBuilder().setNanoseconds((long) (now * 1e9)).build();
      remove(agent, AgentLifecycle.UNREACHABLE, framework -> true, framework -> status(framework.partitionAware()
          ? TaskState.TASK_UNREACHABLE : TaskState.TASK_LOST, TaskStatus.Reason.REASON_SLAVE_REMOVED, message)
          .setUnreachableTime(unreachableTime));
      ctx.state.unreachableAgents.put(agent.id(), now);
      ctx.state.metrics.slaveRemovals++;
      ctx.state.metrics.slaveRemovalsReasonUnhealthy++;
    });
  }

  /** The agent unregistered itself (it is shutting down for good): removed once the registry forgot it. */
  public void unregistered(Agent agent) {
    if (!ctx.state.removing.add(agent.id())) {
      return;
    }
    LOG.info("Removing agent {}: agent unregistered", agent);
    ctx.registrar.apply(RegistryOperations.remove(agent.id())).thenAccept(removed -> {
      ctx.state.removing.remove(agent.id());
      if (ctx.state.agents.get(agent.id()) != agent) {
        return;
      }
      remove(agent, AgentLifecycle.REMOVED, framework -> false, framework -> status(TaskState.TASK_LOST,
          TaskStatus.Reason.REASON_SLAVE_REMOVED,
          "Agent " + agent.info.getHostname() + " removed: agent unregistered"));
      ctx.state.metrics.slaveRemovals++;
      ctx.state.metrics.slaveRemovalsReasonUnregistered++;
      ctx.state.deactivatedAgents.remove(agent.id());
      ctx.state.draining.remove(agent.id());
      ctx.operatorEvents().agentRemoved(agent.id()); // Only here, as Mesos: not for unreachable or gone agents.
    });
  }

  /**
   * Its machine went DOWN for maintenance (Mesos' {@code removeSlave} from {@code /machine/down}): it is told to
   * shut down and removed once the registry forgot it; its tasks are lost.
   */
  public void machineDown(Agent agent) {
    String message = "Operator initiated 'Machine DOWN'";
    if (agent.connection() != null) {
      agent.send(ShutdownMessage.newBuilder().setMessage(message).build());
    }
    if (!ctx.state.removing.add(agent.id())) {
      return;
    }
    LOG.info("Removing agent {}: {}", agent, message);
    ctx.registrar.apply(RegistryOperations.remove(agent.id())).thenAccept(removed -> {
      ctx.state.removing.remove(agent.id());
      if (ctx.state.agents.get(agent.id()) != agent) {
        return;
      }
      remove(agent, AgentLifecycle.REMOVED, framework -> false, framework -> status(TaskState.TASK_LOST,
          TaskStatus.Reason.REASON_SLAVE_REMOVED, message));
      ctx.state.metrics.slaveRemovals++;
      ctx.state.deactivatedAgents.remove(agent.id());
      ctx.state.draining.remove(agent.id());
      ctx.operatorEvents().agentRemoved(agent.id());
    });
  }

  /**
   * Operator MARK_AGENT_GONE: completes (on the actor, once stored) empty when done (or done before), otherwise
   * with a 404 for an agent that is neither registered, unreachable nor recovered.
   */
  public CompletableFuture<Optional<Rejection>> markGone(SlaveID id) {
    Optional<Rejection> notRecovered = ctx.notRecovered();
    if (notRecovered.isPresent()) {
      return CompletableFuture.completedFuture(notRecovered);
    }
    if (ctx.state.goneAgents.containsKey(id)) {
      LOG.warn("Not marking agent {} as gone because it has already transitioned to gone", id.getValue());
      return CompletableFuture.completedFuture(Optional.empty());
    }
    if (ctx.state.markingGone.contains(id)) {
      LOG.warn("Not marking agent {} as gone because another request is already marking it gone", id.getValue());
      return CompletableFuture.completedFuture(Optional.empty());
    }
    if (!ctx.state.agents.containsKey(id) && !ctx.state.unreachableAgents.containsKey(id)
        && !ctx.state.recoveredAgents.containsKey(id)) {
      return CompletableFuture.completedFuture(Optional.of(new Rejection(404, "Agent '" + id.getValue()
          + "' not found")));
    }
    double now = ctx.now();
    ctx.state.markingGone.add(id);
    return ctx.registrar.apply(RegistryOperations.markGone(id, now)).thenApply(ok -> {
      ctx.state.markingGone.remove(id);
      gone(id, now);
      return Optional.empty();
    });
  }

  /** The registry has the agent as gone: the master forgets it and its tasks as Mesos' {@code _markGone}. */
  private void gone(SlaveID id, double now) {
    String message = "Agent has been marked gone";
    Agent agent = ctx.state.agents.get(id);
    if (agent != null) {
      LOG.info("Marking agent {} as gone", agent);
      agent.send(ShutdownMessage.newBuilder().setMessage(message).build());
      // As Mesos' __removeSlave: a task of a framework that is not partition-aware is kept unreachable (its
      // TASK_LOST does not say why), and a gone agent is not counted among the removals.
      remove(agent, AgentLifecycle.GONE, framework -> !framework.partitionAware(),
          framework -> framework.partitionAware()
              ? status(TaskState.TASK_GONE_BY_OPERATOR, TaskStatus.Reason.REASON_SLAVE_REMOVED_BY_OPERATOR, message)
              : status(TaskState.TASK_LOST, TaskStatus.Reason.REASON_SLAVE_REMOVED, message));
    } else if (ctx.state.unreachableAgents.containsKey(id)) {
      LOG.info("Marking unreachable agent {} as gone", id.getValue());
      ctx.state.unreachableAgents.remove(id);
      unreachableTasksGone(id, message);
    } else if (ctx.state.recoveredAgents.containsKey(id)) {
      LOG.info("Marking recovered agent {} as gone", id.getValue());
      ctx.state.recoveredAgents.remove(id);
    }
    ctx.state.goneAgents.put(id, now);
    ctx.state.deactivatedAgents.remove(id);
    ctx.state.draining.remove(id);
  }

  /** The unreachable tasks of an agent that is now gone become completed, and their frameworks hear of it. */
  private void unreachableTasksGone(SlaveID id, String message) {
    for (Framework framework : List.copyOf(ctx.state.frameworks.values())) {
      for (Task task : List.copyOf(framework.unreachableTasks.values())) {
        if (!task.getSlaveId().equals(id)) {
          continue;
        }
        TaskStatus.Builder status = (framework.partitionAware()
            ? status(TaskState.TASK_GONE_BY_OPERATOR, TaskStatus.Reason.REASON_SLAVE_REMOVED_BY_OPERATOR, message)
            : status(TaskState.TASK_LOST, TaskStatus.Reason.REASON_SLAVE_REMOVED, message))
            .setTaskId(task.getTaskId()).setSlaveId(id);
        if (task.hasExecutorId()) {
          status.setExecutorId(task.getExecutorId());
        }
        framework.unreachableTasks.remove(task.getTaskId());
        framework.tasks.put(task.getTaskId(), task);
        ctx.tasks.masterUpdate(framework, status.build()); // terminal, no uuid: completed
      }
    }
  }

  private TaskStatus.Builder status(TaskState state, TaskStatus.Reason reason, String message) {
    return TaskStatus.newBuilder()
        .setState(state)
        .setSource(TaskStatus.Source.SOURCE_MASTER)
        .setReason(reason)
        .setMessage(message)
        .setTimestamp(ctx.now());
  }

  /**
   * What every removal does: allocator first (so nothing is re-offered), tasks (kept unreachable for the
   * frameworks {@code keepUnreachable} selects, else completed), executors, offers, timers.
   */
  private void remove(Agent agent, AgentLifecycle end, Predicate<Framework> keepUnreachable,
      Function<Framework, TaskStatus.Builder> status) {
    ctx.allocator.removeSlave(agent.id());
    ctx.operations.agentRemoved(agent.id());
    ctx.tasks.removeAgentTasks(agent, keepUnreachable, status);
    for (Map.Entry<FrameworkID, Map<ExecutorID, org.apache.mesos.Protos.ExecutorInfo>> e
        : Map.copyOf(agent.executors).entrySet()) {
      for (ExecutorID executorId : List.copyOf(e.getValue().keySet())) {
        agent.removeExecutor(e.getKey(), executorId);
      }
    }
    ctx.offers.rescindAll(agent);
    ctx.health.stop(agent);
    if (agent.connection() != null) {
      ctx.state.agentsByConnection.remove(agent.connection().id());
      agent.connection().close();
    }
    agent.finish(end);
    ctx.state.agents.remove(agent.id());
    notifyAgentLost(agent.id());
  }

  /** Every connected framework hears that the agent was lost (Mesos' {@code sendSlaveLost}). */
  void notifyAgentLost(SlaveID id) {
    for (Framework framework : ctx.state.frameworks.values()) {
      if (framework.connected()) {
        LOG.info("Notifying framework {} of lost agent {}", framework, id.getValue());
        ctx.send(framework, Events.failure(id, null, null));
      }
    }
  }
}
