package io.jmesos.agent.master;

import io.jmesos.agent.status.StatusUpdateManager;
import io.jmesos.agent.status.Tasks;
import io.jmesos.internal.Messages.ReconcileTasksMessage;
import io.jmesos.internal.Messages.StatusUpdate;
import java.util.List;
import java.util.function.BiPredicate;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's side of master/agent task reconciliation (Mesos' {@code Slave::reregistered}): the master sends,
 * inside SlaveReregisteredMessage, the tasks it believes run here that the agent did not report. For each one the
 * agent does not know (its RunTaskMessage was lost) the agent sends a terminal update through its status update
 * manager, TASK_DROPPED for partition-aware frameworks and TASK_LOST otherwise, so that the master and the
 * framework stop waiting for it. Tasks the agent knows need nothing: their updates flow as usual. Runs on the
 * agent's actor.
 */
public final class MasterReconciliation {
  private static final Logger LOG = LoggerFactory.getLogger(MasterReconciliation.class);

  private MasterReconciliation() {}

  /**
   * @param known whether the agent knows a task of a framework
   * @return how many updates were generated
   */
  public static int reconcile(List<ReconcileTasksMessage> reconciliations, BiPredicate<FrameworkID, TaskID> known,
      SlaveID slaveId, StatusUpdateManager updates, double now) {
    int sent = 0;
    for (ReconcileTasksMessage reconcile : reconciliations) {
      FrameworkID frameworkId = reconcile.getFrameworkId();
      boolean partitionAware = reconcile.hasFramework() && reconcile.getFramework().getCapabilitiesList().stream()
          .anyMatch(c -> c.getType() == FrameworkInfo.Capability.Type.PARTITION_AWARE);
      TaskState state = partitionAware ? TaskState.TASK_DROPPED : TaskState.TASK_LOST;
      for (TaskStatus status : reconcile.getStatusesList()) {
        if (known.test(frameworkId, status.getTaskId())) {
          continue;
        }
        LOG.warn("Agent reconciling task {} of framework {} in state {}: task unknown to the agent",
            status.getTaskId().getValue(), frameworkId.getValue(), state);
        StatusUpdate update = Tasks.agentUpdate(frameworkId, slaveId, null, status.getTaskId(), state,
            TaskStatus.Reason.REASON_RECONCILIATION, "Reconciliation: task unknown to the agent", now);
        updates.update(update);
        sent++;
      }
    }
    return sent;
  }
}
