package io.jmesos.master.core;

import io.jmesos.internal.Messages.KillTaskMessage;
import io.jmesos.internal.Messages.RunTaskGroupMessage;
import io.jmesos.internal.Messages.RunTaskMessage;
import io.jmesos.internal.Messages.StatusUpdate;
import io.jmesos.internal.Messages.StatusUpdateAcknowledgementMessage;
import io.jmesos.master.state.Agent;
import io.jmesos.master.state.Framework;
import io.jmesos.protocol.TaskFactory;
import io.jmesos.protocol.TaskStates;
import io.jmesos.resources.Resources;
import java.util.List;
import java.util.Map;
import org.apache.mesos.Protos.ExecutorInfo;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.KillPolicy;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.Task;
import org.apache.mesos.Protos.TaskGroupInfo;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tasks from launch to removal: sends RunTask(Group)Message, applies status updates from agents (state,
 * statuses, resource recovery on terminal states), forwards them to the framework, relays acknowledgements and
 * kills, and moves a task to the completed list once its terminal update is acknowledged (or immediately when
 * the master generated it). Runs on the master's actor.
 */
public final class TaskManager {
  private static final Logger LOG = LoggerFactory.getLogger(TaskManager.class);

  private final MasterContext ctx;

  TaskManager(MasterContext ctx) {
    this.ctx = ctx;
  }

  /** Records a validated task as TASK_STAGING and sends it to its agent. */
  public void launch(Framework framework, Agent agent, TaskInfo task) {
    if (task.hasExecutor() && !agent.hasExecutor(framework.id(), task.getExecutor().getExecutorId())) {
      agent.addExecutor(framework.id(), task.getExecutor());
    }
    Task added = newTask(framework, task);
    framework.tasks.put(task.getTaskId(), added);
    ctx.operatorEvents().taskAdded(framework, added);
    LOG.info("Launching task {} of framework {} on agent {} with {}", task.getTaskId().getValue(), framework,
        agent.id().getValue(), Resources.of(task.getResourcesList()));
    agent.send(RunTaskMessage.newBuilder()
        .setFrameworkId(framework.id())
        .setFramework(framework.info())
        .setTask(task)
        .build());
  }

  /** Records a validated task group and sends it to its agent. */
  public void launchGroup(Framework framework, Agent agent, ExecutorInfo executor, TaskGroupInfo group) {
    if (!agent.hasExecutor(framework.id(), executor.getExecutorId())) {
      agent.addExecutor(framework.id(), executor);
    }
    for (TaskInfo task : group.getTasksList()) {
      Task added = newTask(framework, task.toBuilder().setExecutor(executor).build());
      framework.tasks.put(task.getTaskId(), added);
      ctx.operatorEvents().taskAdded(framework, added);
    }
    LOG.info("Launching task group {} of framework {} on agent {}",
        group.getTasksList().stream().map(t -> t.getTaskId().getValue()).toList(), framework,
        agent.id().getValue());
    agent.send(RunTaskGroupMessage.newBuilder()
        .setFramework(framework.info())
        .setExecutor(executor)
        .setTaskGroup(group)
        .build());
  }

  private Task newTask(Framework framework, TaskInfo info) {
    Task task = TaskFactory.create(info, TaskState.TASK_STAGING, framework.id(), info.getSlaveId(),
        info.hasExecutor() ? info.getExecutor().getExecutorId() : null);
    return framework.info().hasUser() ? task.toBuilder().setUser(framework.info().getUser()).build() : task;
  }

  /** A StatusUpdateMessage from an agent. */
  public void statusUpdate(Agent agent, StatusUpdate update) {
    TaskStatus status = update.getStatus();
    Framework framework = ctx.state.frameworks.get(update.getFrameworkId());
    if (framework == null) {
      ctx.state.metrics.invalidStatusUpdates++;
      LOG.warn("Ignoring status update {} of task {} from agent {}: framework {} is unknown",
          status.getState(), status.getTaskId().getValue(), agent.id().getValue(),
          update.getFrameworkId().getValue());
      return;
    }
    ctx.state.metrics.validStatusUpdates++;
    Task task = framework.tasks.get(status.getTaskId());
    if (task == null) {
      LOG.warn("Forwarding status update {} of task {} of framework {} unknown to the master",
          status.getState(), status.getTaskId().getValue(), framework);
    } else {
      TaskState latest = update.hasLatestState() ? update.getLatestState() : status.getState();
      update(framework, task, status, latest);
    }
    TaskStatus forwarded = status;
    if (update.hasUuid() && !status.hasUuid()) {
      forwarded = status.toBuilder().setUuid(update.getUuid()).build();
    }
    LOG.debug("Forwarding status update {} of task {} to framework {}", status.getState(),
        status.getTaskId().getValue(), framework);
    ctx.send(framework, Events.update(forwarded));
  }

  /**
   * Applies a status to a known task, as Mesos' {@code Master::updateTask}: its state becomes {@code latest}
   * unless it is terminal already; the status replaces the last one when it has the same state and is appended
   * otherwise; when the task first becomes terminal or unreachable its resources go back to the allocator, a
   * terminal state is counted, and so is the status by its state, source and reason. A terminal update without
   * uuid needs no acknowledgement and completes the task.
   */
  void update(Framework framework, Task task, TaskStatus status, TaskState latest) {
    Task result = apply(framework, task, status, latest);
    if (TaskStates.isTerminal(status.getState()) && !status.hasUuid()) {
      framework.complete(result, ctx.flags.maxCompletedTasksPerFramework());
      ctx.draining.taskRemoved(result.getSlaveId());
    }
  }

  /** {@link #update} without completing the task: the caller decides where it goes. */
  private Task apply(Framework framework, Task task, TaskStatus status, TaskState latest) {
    boolean wasDone = isTerminalOrUnreachable(task.getState());
    Task.Builder updated = task.toBuilder().setStatusUpdateState(status.getState());
    if (!TaskStates.isTerminal(task.getState())) {
      updated.setState(latest);
    }
    if (status.hasUuid()) {
      updated.setStatusUpdateUuid(status.getUuid());
    } else {
      updated.clearStatusUpdateUuid();
    }
    int n = task.getStatusesCount();
    boolean sameState = n > 0 && task.getStatuses(n - 1).getState() == status.getState();
    if (sameState) {
      updated.removeStatuses(n - 1);
    }
    updated.addStatuses(status.toBuilder().clearData().build());
    Task result = updated.build();
    framework.tasks.put(task.getTaskId(), result);
    if (!sameState) { // As Mesos: TASK_UPDATED for every new state.
      ctx.operatorEvents().taskUpdated(framework, result, status);
    }
    if (!wasDone && isTerminalOrUnreachable(result.getState())) {
      if (TaskStates.isTerminal(result.getState())) {
        ctx.state.metrics.taskTerminated(result.getState());
      }
      ctx.state.metrics.taskReachedState(status);
      ctx.allocator.recoverResources(framework.id(), task.getSlaveId(),
          Resources.of(task.getResourcesList()), null);
      LOG.info("Task {} of framework {} is {}", task.getTaskId().getValue(), framework, result.getState());
    }
    return result;
  }

  private static boolean isTerminalOrUnreachable(TaskState state) {
    return TaskStates.isTerminal(state) || state == TaskState.TASK_UNREACHABLE;
  }

  /**
   * Tells the framework of a status the master made (TASK_ERROR, TASK_DROPPED, TASK_LOST, ...): applies it to
   * the task if the master tracks one, counts terminal states, and sends an UPDATE without uuid.
   */
  public void masterUpdate(Framework framework, TaskStatus status) {
    Task task = framework.tasks.get(status.getTaskId());
    if (task != null) {
      update(framework, task, status, status.getState());
    } else if (TaskStates.isTerminal(status.getState())) {
      ctx.state.metrics.taskTerminated(status.getState());
      ctx.state.metrics.taskReachedState(status);
    }
    ctx.send(framework, Events.update(status));
  }

  /** ACKNOWLEDGE: relayed to the agent; a terminal update's acknowledgement completes the task. */
  public void acknowledge(Framework framework, SlaveID slaveId, TaskID taskId, com.google.protobuf.ByteString uuid) {
    Agent agent = ctx.state.agents.get(slaveId);
    if (agent == null || !agent.connected()) {
      LOG.warn("Cannot relay acknowledgement for task {} of framework {} to agent {}: agent is not connected",
          taskId.getValue(), framework, slaveId.getValue());
      return;
    }
    Task task = framework.tasks.get(taskId);
    if (task != null && task.hasStatusUpdateUuid() && task.getStatusUpdateUuid().equals(uuid)
        && TaskStates.isTerminal(task.getStatusUpdateState())) {
      framework.complete(task, ctx.flags.maxCompletedTasksPerFramework());
      ctx.draining.taskRemoved(slaveId);
    }
    agent.send(StatusUpdateAcknowledgementMessage.newBuilder()
        .setSlaveId(slaveId)
        .setFrameworkId(framework.id())
        .setTaskId(taskId)
        .setUuid(uuid)
        .build());
  }

  /** KILL: sent to the task's agent; an unknown task is reconciled instead, as Mesos does. */
  public void kill(Framework framework, TaskID taskId, SlaveID slaveId, KillPolicy killPolicy) {
    Task task = framework.tasks.get(taskId);
    if (task == null) {
      LOG.warn("Cannot kill task {} of framework {}: it is unknown; performing reconciliation",
          taskId.getValue(), framework);
      ctx.reconciler.explicit(framework, List.of(new Reconciler.Query(taskId, slaveId)));
      return;
    }
    Agent agent = ctx.state.agents.get(task.getSlaveId());
    if (agent == null) {
      LOG.warn("Cannot kill task {} of framework {}: agent {} is unknown", taskId.getValue(), framework,
          task.getSlaveId().getValue());
      return;
    }
    if (!agent.connected()) {
      // As Mesos: remembered, and killed again when the agent re-registers still running it.
      LOG.warn("Cannot kill task {} of framework {} now: agent {} is disconnected; killing it when it comes back",
          taskId.getValue(), framework, agent.id().getValue());
      agent.killed(framework.id(), taskId);
      return;
    }
    LOG.info("Telling agent {} to kill task {} of framework {}", agent.id().getValue(), taskId.getValue(),
        framework);
    KillTaskMessage.Builder kill = KillTaskMessage.newBuilder().setFrameworkId(framework.id()).setTaskId(taskId);
    if (killPolicy != null) {
      kill.setKillPolicy(killPolicy);
    }
    agent.killed(framework.id(), taskId);
    agent.send(kill.build());
  }

  /**
   * Moves every task of a removed agent out of the live tasks, as Mesos' {@code __removeSlave} and
   * {@code _removeSlave}: each non-terminal one gets {@code status(framework)} (SOURCE_MASTER, no uuid),
   * forwarded to its framework when connected; the task then becomes unreachable when
   * {@code keepUnreachable} selects its framework, else completed. Already terminal tasks are completed.
   */
  public void removeAgentTasks(Agent agent, java.util.function.Predicate<Framework> keepUnreachable,
      java.util.function.Function<Framework, TaskStatus.Builder> status) {
    for (Framework framework : List.copyOf(ctx.state.frameworks.values())) {
      for (Task task : List.copyOf(framework.tasks.onAgent(agent.id()))) {
        if (TaskStates.isTerminal(task.getState())) {
          framework.complete(task, ctx.flags.maxCompletedTasksPerFramework());
          continue;
        }
        TaskStatus.Builder update = status.apply(framework).setTaskId(task.getTaskId()).setSlaveId(agent.id());
        if (task.hasExecutorId()) {
          update.setExecutorId(task.getExecutorId());
        }
        TaskStatus built = update.build();
        Task now = apply(framework, task, built, built.getState());
        if (keepUnreachable.test(framework)) {
          framework.unreachable(now, ctx.flags.maxUnreachableTasksPerFramework());
        } else {
          framework.complete(now, ctx.flags.maxCompletedTasksPerFramework());
        }
        ctx.send(framework, Events.update(built));
      }
    }
  }

  /**
   * A framework that does not checkpoint loses its tasks on an agent whose connection broke (Mesos'
   * {@code removeFramework(Slave*, Framework*)}): each live one becomes TASK_LOST with REASON_SLAVE_DISCONNECTED,
   * and its executors there are forgotten.
   */
  public void frameworkLeftAgent(Framework framework, Agent agent) {
    for (Task task : List.copyOf(framework.tasks.onAgent(agent.id()))) {
      if (TaskStates.isTerminal(task.getState())) {
        continue;
      }
      TaskStatus.Builder status = ctx.masterStatus(task.getTaskId(), agent.id(), TaskState.TASK_LOST,
          TaskStatus.Reason.REASON_SLAVE_DISCONNECTED, "Agent " + agent.info.getHostname() + " disconnected")
          .toBuilder();
      if (task.hasExecutorId()) {
        status.setExecutorId(task.getExecutorId());
      }
      masterUpdate(framework, status.build()); // terminal, no uuid: completed
    }
    for (ExecutorInfo executor : List.copyOf(agent.executors.getOrDefault(framework.id(), Map.of()).values())) {
      agent.removeExecutor(framework.id(), executor.getExecutorId());
      ctx.allocator.recoverResources(framework.id(), agent.id(), Resources.of(executor.getResourcesList()), null);
    }
  }

  /**
   * Framework removal: its live and unreachable tasks become TASK_KILLED with REASON_FRAMEWORK_REMOVED and are
   * completed.
   */
  public void frameworkRemoved(Framework framework) {
    for (Task task : List.copyOf(framework.tasks.values())) {
      if (!TaskStates.isTerminal(task.getState())) {
        TaskStatus status = ctx.masterStatus(task.getTaskId(), task.getSlaveId(), TaskState.TASK_KILLED,
            TaskStatus.Reason.REASON_FRAMEWORK_REMOVED, "Framework " + framework.id().getValue() + " removed");
        update(framework, task, status, TaskState.TASK_KILLED);
      }
      Task now = framework.tasks.get(task.getTaskId());
      if (now != null) {
        framework.complete(now, ctx.flags.maxCompletedTasksPerFramework());
      }
    }
    // Unreachable tasks are implicitly killed too (their resources went back when their agent was lost).
    for (Task task : List.copyOf(framework.unreachableTasks.values())) {
      TaskStatus status = ctx.masterStatus(task.getTaskId(), task.getSlaveId(), TaskState.TASK_KILLED,
          TaskStatus.Reason.REASON_FRAMEWORK_REMOVED, "Framework " + framework.id().getValue() + " removed");
      framework.unreachableTasks.remove(task.getTaskId());
      framework.complete(apply(framework, task, status, TaskState.TASK_KILLED),
          ctx.flags.maxCompletedTasksPerFramework());
    }
  }

  /** Resources used on an agent by each framework's live tasks, for the allocator and /state. */
  public Resources usedOn(Agent agent, FrameworkID frameworkId) {
    Framework framework = ctx.state.frameworks.get(frameworkId);
    Resources used = agent.executorResources(frameworkId);
    if (framework != null) {
      for (Task task : framework.tasks.onAgent(agent.id())) {
        if (!TaskStates.isTerminal(task.getState())) {
          used = used.plus(Resources.of(task.getResourcesList()));
        }
      }
    }
    return used;
  }
}
