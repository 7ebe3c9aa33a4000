package io.jmesos.master.core;

import io.jmesos.master.state.Framework;
import java.util.List;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.Task;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.Protos.TimeInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Task reconciliation as Mesos' master does it. Implicit (no tasks): the latest state of every task the master
 * knows for the framework. Explicit: for each task, its latest state if known; otherwise, depending on what the
 * master knows of the named agent, TASK_GONE (agent registered), TASK_UNREACHABLE (agent unreachable),
 * TASK_GONE_BY_OPERATOR (agent marked gone) or TASK_UNKNOWN (no or unknown agent) for partition-aware
 * frameworks, and TASK_LOST for the others; no answer while the task may be on an agent recovered from the
 * registry that has not re-registered yet. Every update has SOURCE_MASTER, REASON_RECONCILIATION and no uuid.
 * Runs on the master's actor.
 */
public final class Reconciler {
  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

  /** One task to reconcile; {@code slaveId} may be null. */
  public record Query(TaskID taskId, SlaveID slaveId) {}

  private final MasterContext ctx;

  Reconciler(MasterContext ctx) {
    this.ctx = ctx;
  }

  public void implicit(Framework framework) {
    LOG.debug("Performing implicit task state reconciliation for framework {}", framework);
    for (Task task : List.copyOf(framework.tasks.values())) {
      ctx.send(framework, Events.update(latest(task)));
    }
  }

  public void explicit(Framework framework, List<Query> queries) {
    LOG.debug("Performing explicit task state reconciliation for {} tasks of framework {}", queries.size(),
        framework);
    for (Query query : queries) {
      Task task = framework.tasks.get(query.taskId());
      TaskStatus status;
      if (task != null) {
        status = latest(task);
      } else if (onRecoveredAgent(query)) {
        LOG.info("Dropping reconciliation of task {} of framework {}: {} not yet re-registered with the master",
            query.taskId().getValue(), framework, query.slaveId() != null
                ? "agent " + query.slaveId().getValue() + " has" : "some agents have");
        continue;
      } else {
        status = unknown(framework, query);
      }
      ctx.send(framework, Events.update(status));
    }
  }

  /** The task may be on an agent recovered from the registry that has not re-registered: no answer yet. */
  private boolean onRecoveredAgent(Query query) {
    return query.slaveId() != null ? ctx.state.recoveredAgents.containsKey(query.slaveId())
        : !ctx.state.recoveredAgents.isEmpty();
  }

  private TaskStatus latest(Task task) {
    TaskState state = task.hasStatusUpdateState() ? task.getStatusUpdateState() : task.getState();
    TaskStatus.Builder status = ctx.masterStatus(task.getTaskId(), task.getSlaveId(), state,
        TaskStatus.Reason.REASON_RECONCILIATION, "Reconciliation: Latest task state").toBuilder();
    if (task.hasExecutorId()) {
      status.setExecutorId(task.getExecutorId());
    }
    int n = task.getStatusesCount();
    if (n > 0) {
      TaskStatus last = task.getStatuses(n - 1);
      if (last.hasHealthy()) {
        status.setHealthy(last.getHealthy());
      }
      if (last.hasLabels()) {
        status.setLabels(last.getLabels());
      }
      if (last.hasContainerStatus()) {
        status.setContainerStatus(last.getContainerStatus());
      }
    }
    return status.build();
  }

  private TaskStatus unknown(Framework framework, Query query) {
    SlaveID slaveId = query.slaveId();
    TaskState state;
    String message;
    Double unreachableTime = null;
    if (slaveId != null && ctx.state.agents.containsKey(slaveId)) {
      state = TaskState.TASK_GONE;
      message = "Reconciliation: Task is unknown to the agent";
    } else if (slaveId != null && ctx.state.unreachableAgents.containsKey(slaveId)) {
      state = TaskState.TASK_UNREACHABLE;
      message = "Reconciliation: Task is unreachable";
      unreachableTime = ctx.state.unreachableAgents.get(slaveId);
    } else if (slaveId != null && ctx.state.goneAgents.containsKey(slaveId)) {
      state = TaskState.TASK_GONE_BY_OPERATOR;
      message = "Reconciliation: Task is gone";
    } else {
      state = TaskState.TASK_UNKNOWN;
      message = "Reconciliation: Task is unknown";
    }
    if (!framework.partitionAware()) {
      state = TaskState.TASK_LOST;
    }
    TaskStatus status = ctx.masterStatus(query.taskId(), slaveId, state, TaskStatus.Reason.REASON_RECONCILIATION,
        message);
    if (unreachableTime != null) {
      status = status.toBuilder().setUnreachableTime(
          TimeInfo.newBuilder().setNanoseconds((long) (unreachableTime * 1e9))).build();
    }
    return status;
  }
}
