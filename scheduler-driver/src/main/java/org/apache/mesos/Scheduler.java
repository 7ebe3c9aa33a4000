package org.apache.mesos;

import java.util.List;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.MasterInfo;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.OfferID;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.TaskStatus;

/**
 * The callbacks a framework implements to hear from Mesos through a {@link SchedulerDriver}.
 *
 * <p>Threading: the driver invokes these methods one at a time, on its own driver thread, never
 * concurrently. A callback that blocks delays every later callback; calling back into the driver from a
 * callback is allowed (the driver only enqueues the work), but {@link SchedulerDriver#join()} from a
 * callback would wait forever. A callback that throws aborts the driver.
 */
public interface Scheduler {

  /**
   * The framework subscribed with a master for the first time (or after a failover of the scheduler) and
   * was given {@code frameworkId}, which a later scheduler instance may reuse to fail over.
   */
  void registered(SchedulerDriver driver, FrameworkID frameworkId, MasterInfo masterInfo);

  /** The framework subscribed again after the driver had been disconnected (e.g. a master failover). */
  void reregistered(SchedulerDriver driver, MasterInfo masterInfo);

  /**
   * Resources offered to the framework. An offer stays valid until it is used, declined or rescinded
   * ({@link #offerRescinded}); the framework should answer each one promptly.
   */
  void resourceOffers(SchedulerDriver driver, List<Offer> offers);

  /** An offer is no longer valid; launching on it now fails with TASK_LOST or TASK_DROPPED. */
  void offerRescinded(SchedulerDriver driver, OfferID offerId);

  /**
   * A task changed state. With implicit acknowledgements (the default) the driver acknowledges the update
   * when this method returns; otherwise the framework calls
   * {@link SchedulerDriver#acknowledgeStatusUpdate(TaskStatus)}.
   */
  void statusUpdate(SchedulerDriver driver, TaskStatus status);

  /** An executor sent the framework a message; delivery is best effort. */
  void frameworkMessage(SchedulerDriver driver, ExecutorID executorId, SlaveID slaveId, byte[] data);

  /** The driver lost its subscription with the master; it keeps trying to subscribe again. */
  void disconnected(SchedulerDriver driver);

  /** An agent is considered lost; its tasks get their own status updates. */
  void slaveLost(SchedulerDriver driver, SlaveID slaveId);

  /** An executor exited or was terminated with {@code status}. */
  void executorLost(SchedulerDriver driver, ExecutorID executorId, SlaveID slaveId, int status);

  /** An unrecoverable error; the driver is aborted before this callback runs. */
  void error(SchedulerDriver driver, String message);
}
