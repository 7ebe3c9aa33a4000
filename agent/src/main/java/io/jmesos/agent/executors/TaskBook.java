package io.jmesos.agent.executors;

import io.jmesos.agent.status.Tasks;
import io.jmesos.internal.Messages.StatusUpdate;
import io.jmesos.protocol.TaskFactory;
import io.jmesos.protocol.TaskStates;
import org.apache.mesos.Protos.Task;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's record of each task's state: applies status updates (from executors or made by the agent) to
 * the executor's task lists, counts terminal states for the metrics, and hands every update to the status
 * update manager. Not thread-safe: used on the agent's actor.
 */
final class TaskBook {
  private static final Logger LOG = LoggerFactory.getLogger(TaskBook.class);

  private final AgentContext ctx;
  private final java.util.function.BiFunction<ExecutorState, TaskID, io.jmesos.agent.status.StreamLog> logs;

  /** @param logs opens where a task's status update stream is checkpointed (null: it is not) */
  /** The agent's drain, whose updates say so (set once by the executor manager). */
  AgentDrain drain;

  TaskBook(AgentContext ctx,
      java.util.function.BiFunction<ExecutorState, TaskID, io.jmesos.agent.status.StreamLog> logs) {
    this.ctx = ctx;
    this.logs = logs;
  }

  void agentStatus(ExecutorState ex, TaskID taskId, TaskState state, TaskStatus.Reason reason,
      String message) {
    agentStatus(ex, taskId, state, reason, message, null);
  }

  /** An update made by the agent; with a limitation (or null) the container hit, as its tasks report it. */
  void agentStatus(ExecutorState ex, TaskID taskId, TaskState state, TaskStatus.Reason reason,
      String message, io.jmesos.agent.containers.Limitation limitation) {
    LOG.info("Sending {} for task {} of framework {}: {}", state, taskId.getValue(), ex.frameworkId().getValue(),
        message);
    StatusUpdate update = Tasks.agentUpdate(ex.frameworkId(), ctx.slaveId(), ex.isCommandExecutor() ? null : ex.id(),
        taskId, state, reason, message, ctx.now());
    if (limitation != null && state == TaskState.TASK_FAILED) {
      update = update.toBuilder().setStatus(update.getStatus().toBuilder().setLimitation(limitation.toProto()))
          .build();
    }
    record(ex, update);
  }

  /** Applies an update to the task's bookkeeping and hands it to the status update manager. */
  void record(ExecutorState ex, StatusUpdate update) {
    if (drain != null) {
      update = drain.rewrite(update);
    }
    TaskID id = update.getStatus().getTaskId();
    io.jmesos.agent.status.StreamLog log = ctx.updates.hasStream(ex.frameworkId(), id) ? null : logs.apply(ex, id);
    if (!ctx.updates.update(update, log)) {
      return;
    }
    TaskStatus status = update.getStatus();
    TaskID taskId = status.getTaskId();
    Task task = ex.launched.get(taskId);
    if (task == null) {
      TaskInfo queued = ex.removeQueued(taskId);
      if (queued == null) {
        return;
      }
      task = newTask(queued, ex, TaskState.TASK_STAGING);
    }
    Task updated = task.toBuilder().setState(status.getState()).addStatuses(status.toBuilder().clearData()).build();
    if (TaskStates.isTerminal(status.getState())) {
      ex.launched.remove(taskId);
      ex.terminated.put(taskId, updated);
      countTerminal(status.getState());
      ex.container().setResources(ex.allocated());
    } else {
      ex.launched.put(taskId, updated);
    }
  }

  private void countTerminal(TaskState state) {
    switch (state) {
      case TASK_FINISHED:
        ctx.metrics.tasksFinished++;
        break;
      case TASK_FAILED:
        ctx.metrics.tasksFailed++;
        break;
      case TASK_KILLED:
        ctx.metrics.tasksKilled++;
        break;
      case TASK_LOST:
        ctx.metrics.tasksLost++;
        break;
      case TASK_GONE:
        ctx.metrics.tasksGone++;
        break;
      default:
        break;
    }
  }

  // ---- Helpers.

  Task newTask(TaskInfo t, ExecutorState ex, TaskState state) {
    return TaskFactory.create(t, state, ex.frameworkId(), t.hasSlaveId() ? t.getSlaveId() : ctx.slaveId(),
        ex.isCommandExecutor() ? null : ex.id());
  }
}
