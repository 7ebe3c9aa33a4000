package io.jmesos.scheduler;

import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.Filters;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.OfferID;
import org.apache.mesos.Protos.Request;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.scheduler.Protos.OfferConstraints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's requests, as Mesos' driver handles them: each becomes one v1 call while subscribed;
 * while disconnected they are dropped, except that launches answer with TASK_LOST (TASK_DROPPED for
 * partition-aware frameworks) so the scheduler does not wait forever, and that revive, suppress and
 * updateFramework are remembered for the next subscription.
 *
 * <p>Threading: every method runs on the driver's actor (the facade enqueues them).
 */
public final class DriverCalls {
  private static final Logger LOG = LoggerFactory.getLogger(DriverCalls.class);

  private final SchedulerProcess process;

  DriverCalls(SchedulerProcess process) {
    this.process = process;
  }

  public void requestResources(Collection<Request> requests) {
    if (ignoredWhileDisconnected("request resources")) {
      return;
    }
    process.send(Calls.request(process.framework.getId(), requests));
  }

  public void launchTasks(Collection<OfferID> offerIds, Collection<TaskInfo> tasks, Filters filters) {
    acceptOffers(offerIds, List.of(Calls.launchOperation(tasks)), filters);
  }

  public void acceptOffers(Collection<OfferID> offerIds, Collection<Offer.Operation> operations, Filters filters) {
    if (!process.connected) {
      LOG.debug("Ignoring accept offers of framework {} as master is disconnected", process.frameworkId());
      TaskState state = isPartitionAware() ? TaskState.TASK_DROPPED : TaskState.TASK_LOST;
      for (Offer.Operation operation : operations) {
        if (operation.getType() == Offer.Operation.Type.LAUNCH) {
          for (TaskInfo task : operation.getLaunch().getTaskInfosList()) {
            statusUpdate(masterDisconnected(task.getTaskId(), state));
          }
        }
      }
      return;
    }
    for (Offer.Operation operation : operations) {
      if (operation.hasId()) {
        process.error("An offer operation's 'id' field was set, which is disallowed because the "
            + "SchedulerDriver cannot handle offer operation status updates");
        return;
      }
    }
    process.send(Calls.accept(process.framework.getId(), offerIds, operations, filters));
  }

  public void declineOffer(OfferID offerId, Filters filters) {
    if (ignoredWhileDisconnected("decline offer")) {
      return;
    }
    process.send(Calls.decline(process.framework.getId(), offerId, filters));
  }

  public void killTask(TaskID taskId) {
    if (ignoredWhileDisconnected("kill task")) {
      return;
    }
    process.send(Calls.kill(process.framework.getId(), taskId));
  }

  /** Revives the given roles, or every role when {@code roles} is empty. */
  public void reviveOffers(Collection<String> roles) {
    if (roles.isEmpty()) {
      process.suppressedRoles.clear();
    } else {
      process.suppressedRoles.removeAll(roles);
    }
    if (rememberedForNextSubscription("REVIVE")) {
      return;
    }
    process.send(Calls.revive(process.framework.getId(), roles));
  }

  /** Suppresses the given roles, or every role of the framework when {@code roles} is empty. */
  public void suppressOffers(Collection<String> roles) {
    if (roles.isEmpty()) {
      process.suppressedRoles = new TreeSet<>(process.framework.getRolesList());
    } else {
      process.suppressedRoles.addAll(roles);
    }
    if (rememberedForNextSubscription("SUPPRESS")) {
      return;
    }
    process.send(Calls.suppress(process.framework.getId(), roles));
  }

  /** An explicit acknowledgement; only updates with a uuid and an agent need one. */
  public void acknowledgeStatusUpdate(TaskStatus status) {
    if (!process.connected) {
      LOG.debug("Ignoring explicit acknowledgement for framework {} because the driver is disconnected",
          process.frameworkId());
      return;
    }
    acknowledge(status);
  }

  public void sendFrameworkMessage(ExecutorID executorId, SlaveID slaveId, byte[] data) {
    if (ignoredWhileDisconnected("send framework message")) {
      return;
    }
    process.send(Calls.message(process.framework.getId(), slaveId, executorId, data));
  }

  public void reconcileTasks(Collection<TaskStatus> statuses) {
    if (ignoredWhileDisconnected("task reconciliation")) {
      return;
    }
    process.send(Calls.reconcile(process.framework.getId(), statuses));
  }

  public void updateFramework(FrameworkInfo framework, Collection<String> suppressedRoles,
      OfferConstraints constraints) {
    FrameworkInfo known = process.framework;
    if (!known.hasId() || known.getId().getValue().isEmpty()) {
      process.error("MesosSchedulerDriver::updateFramework() must not be called prior to registration with "
          + "the master");
      return;
    }
    if (!framework.getId().equals(known.getId())) {
      process.error("The 'FrameworkInfo.id' provided to MesosSchedulerDriver::updateFramework() ("
          + framework.getId().getValue() + ") must be equal to the value known to the MesosSchedulerDriver ("
          + known.getId().getValue() + ")");
      return;
    }
    process.framework = FrameworkInfos.fillMissing(framework);
    process.suppressedRoles = new TreeSet<>(suppressedRoles);
    process.offerConstraints = constraints;
    if (process.connected) {
      process.send(Calls.updateFramework(process.framework, process.suppressedRoles, constraints));
    } else {
      LOG.debug("Postponing UPDATE_FRAMEWORK of framework {}: not subscribed", process.frameworkId());
      process.sendUpdateFrameworkOnConnect = true;
    }
  }

  /**
   * Delivers a status update to the scheduler and, with implicit acknowledgements, acknowledges it once
   * the callback has returned (unless the callback stopped or aborted the driver).
   */
  void statusUpdate(TaskStatus status) {
    process.deliver("statusUpdate", () -> process.scheduler.statusUpdate(process.driver, status));
    if (process.implicitAcknowledgements && process.running()) {
      acknowledge(status);
    }
  }

  private void acknowledge(TaskStatus status) {
    if (status.hasUuid() && !status.getUuid().isEmpty() && status.hasSlaveId() && process.connected) {
      LOG.debug("Acknowledging status update {} of task {} of framework {}", status.getState(),
          status.getTaskId().getValue(), process.frameworkId());
      process.send(Calls.acknowledge(process.framework.getId(), status.getSlaveId(), status.getTaskId(),
          status.getUuid()));
    }
  }

  private TaskStatus masterDisconnected(TaskID taskId, TaskState state) {
    return TaskStatus.newBuilder()
        .setTaskId(taskId)
        .setState(state)
        .setSource(TaskStatus.Source.SOURCE_MASTER)
        .setReason(TaskStatus.Reason.REASON_MASTER_DISCONNECTED)
        .setMessage("Master disconnected")
        .setTimestamp(process.clock.currentTimeSeconds())
        .build();
  }

  private boolean isPartitionAware() {
    for (FrameworkInfo.Capability c : process.framework.getCapabilitiesList()) {
      if (c.getType() == FrameworkInfo.Capability.Type.PARTITION_AWARE) {
        return true;
      }
    }
    return false;
  }

  private boolean ignoredWhileDisconnected(String what) {
    if (!process.connected) {
      LOG.debug("Ignoring {} of framework {} as master is disconnected", what, process.frameworkId());
      return true;
    }
    return false;
  }

  private boolean rememberedForNextSubscription(String call) {
    if (!process.connected) {
      LOG.debug("Ignoring {} of framework {} as master is disconnected; the suppressed roles go with the next "
          + "subscription", call, process.frameworkId());
      process.sendUpdateFrameworkOnConnect = true;
      return true;
    }
    return false;
  }
}
