package org.apache.mesos;

import java.util.Collection;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.Filters;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.OfferID;
import org.apache.mesos.Protos.Request;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.Status;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.scheduler.Protos.OfferConstraints;

/**
 * The framework's handle on Mesos: lifecycle ({@link #start}, {@link #stop}, {@link #abort},
 * {@link #join}, {@link #run}) and the requests a scheduler makes of the master.
 *
 * <p>Every method returns the driver's status after the call. Requests made while the driver is not
 * {@link Status#DRIVER_RUNNING} have no effect and return that status. Requests are asynchronous: a
 * returned {@code DRIVER_RUNNING} means the request was queued, not that the master acted on it.
 *
 * <p>Implementations are thread-safe.
 */
public interface SchedulerDriver {

  /** Starts the driver; it then subscribes with the master. Only a not-yet-started driver starts. */
  Status start();

  /**
   * Stops the driver. With {@code failover} false the framework is torn down (its tasks are killed);
   * with {@code failover} true the driver only disconnects, so another scheduler instance can fail over
   * to the same framework within its failover timeout.
   */
  Status stop(boolean failover);

  /** Same as {@code stop(false)}: tears the framework down. */
  Status stop();

  /** Stops delivering callbacks and making requests, leaving the framework registered; see {@link #stop}. */
  Status abort();

  /** Blocks until the driver is stopped or aborted; returns that status. */
  Status join();

  /** {@link #start()} followed by {@link #join()}. */
  Status run();

  /** Asks the allocator for resources (a hint; the built-in allocator ignores it). */
  Status requestResources(Collection<Request> requests);

  /**
   * Launches tasks using the resources of the given offers, which must all come from one agent. Unused
   * resources are declined with {@code filters}. Any offer id that is invalid yields TASK_LOST (or
   * TASK_DROPPED) for the tasks.
   */
  Status launchTasks(Collection<OfferID> offerIds, Collection<TaskInfo> tasks, Filters filters);

  /** {@link #launchTasks(Collection, Collection, Filters)} with default filters. */
  Status launchTasks(Collection<OfferID> offerIds, Collection<TaskInfo> tasks);

  /** Launches tasks on one offer; see {@link #launchTasks(Collection, Collection, Filters)}. */
  Status launchTasks(OfferID offerId, Collection<TaskInfo> tasks, Filters filters);

  /** Launches tasks on one offer with default filters. */
  Status launchTasks(OfferID offerId, Collection<TaskInfo> tasks);

  /** Asks the master to kill a task; the outcome arrives as a status update. */
  Status killTask(TaskID taskId);

  /** Applies offer operations (LAUNCH, RESERVE, CREATE, ...) to the given offers. */
  Status acceptOffers(Collection<OfferID> offerIds, Collection<Offer.Operation> operations, Filters filters);

  /** Declines an offer; {@code filters} say how long not to offer these resources again. */
  Status declineOffer(OfferID offerId, Filters filters);

  /** Declines an offer with default filters. */
  Status declineOffer(OfferID offerId);

  /** Clears the framework's filters and un-suppresses offers for all its roles. */
  Status reviveOffers();

  /** Clears filters and un-suppresses offers for the given roles; an empty collection does nothing. */
  Status reviveOffers(Collection<String> roles);

  /** Stops offers to the framework for all its roles until {@link #reviveOffers()}. */
  Status suppressOffers();

  /** Stops offers for the given roles; an empty collection does nothing. */
  Status suppressOffers(Collection<String> roles);

  /**
   * Acknowledges a status update when the driver was built with implicit acknowledgements disabled.
   * Updates without a uuid need no acknowledgement; acknowledging them has no effect.
   */
  Status acknowledgeStatusUpdate(TaskStatus status);

  /** Sends a best-effort message to an executor. */
  Status sendFrameworkMessage(ExecutorID executorId, SlaveID slaveId, byte[] data);

  /**
   * Asks for the latest state of the given tasks (explicit reconciliation), or of all the framework's
   * tasks when {@code statuses} is empty (implicit reconciliation). Answers arrive as status updates.
   */
  Status reconcileTasks(Collection<TaskStatus> statuses);

  /**
   * Replaces the framework's FrameworkInfo (same id), its suppressed roles and its offer constraints,
   * now if subscribed, otherwise on the next subscription.
   */
  Status updateFramework(FrameworkInfo frameworkInfo, Collection<String> suppressedRoles,
      OfferConstraints offerConstraints);

  /**
   * {@link #updateFramework(FrameworkInfo, Collection, OfferConstraints)} with no offer constraints.
   *
   * @deprecated use {@link #updateFramework(FrameworkInfo, Collection, OfferConstraints)}
   */
  @Deprecated
  Status updateFramework(FrameworkInfo frameworkInfo, Collection<String> suppressedRoles);
}
