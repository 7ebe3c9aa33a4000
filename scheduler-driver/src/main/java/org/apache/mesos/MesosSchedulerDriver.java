package org.apache.mesos;

import io.jmesos.detector.MasterDetector;
import io.jmesos.scheduler.Authorization;
import io.jmesos.scheduler.DriverCalls;
import io.jmesos.scheduler.DriverOptions;
import io.jmesos.scheduler.FrameworkInfos;
import io.jmesos.scheduler.SchedulerProcess;
import io.jmesos.zookeeper.MasterDetectors;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.apache.mesos.Protos.Credential;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SchedulerDriver} that connects a {@link Scheduler} with a Mesos master, in pure Java over the
 * v1 scheduler HTTP API ({@code POST /api/v1/scheduler}): the driver subscribes, reads the master's event
 * stream, and sends every request as a call on the same stream id. A drop-in replacement for the JNI driver
 * of the {@code org.apache.mesos:mesos} jar.
 *
 * <p>The master is given as {@code host:port}, {@code master@host:port}, {@code http://host:port},
 * {@code zk://[user:password@]host1:port1,host2:port2/path} or {@code file:///path} (a file holding one of
 * those). With ZooKeeper the driver follows the elected leader as Mesos' driver does: it subscribes with the
 * leader, and when the leader changes it closes the old subscription, calls {@link Scheduler#disconnected} and
 * subscribes with the new leader as the same framework ({@link Scheduler#reregistered} follows); it hears only
 * the subscription with the leader it last detected. With no leader known it waits. A value that is none of
 * those makes {@link #start()} report it through {@link Scheduler#error} and abort. A FrameworkInfo that
 * carries an id makes the driver fail over to that framework.
 *
 * <p>Threading: thread-safe. This facade only records the driver status under a lock and enqueues work on
 * the driver thread, where every {@link Scheduler} callback runs, one at a time.
 */
public class MesosSchedulerDriver implements SchedulerDriver {
  private static final Logger LOG = LoggerFactory.getLogger(MesosSchedulerDriver.class);

  private final Scheduler scheduler;
  private final FrameworkInfo framework;
  private final List<String> suppressedRoles;
  private final String master;
  private final boolean implicitAcknowledgements;
  private final Credential credential;
  private final DriverOptions options;

  private final Object lock = new Object();
  private final CountDownLatch finished = new CountDownLatch(1);
  private Status status = Status.DRIVER_NOT_STARTED;
  private SchedulerProcess process;

  /**
   * A driver for {@code scheduler}, registering {@code framework} with {@code master}, with implicit
   * acknowledgements and no credential.
   */
  public MesosSchedulerDriver(Scheduler scheduler, FrameworkInfo framework, String master) {
    this(scheduler, framework, List.of(), master, true, null, DriverOptions.defaults());
  }

  /** As {@link #MesosSchedulerDriver(Scheduler, FrameworkInfo, String)}, authenticating with {@code credential}. */
  public MesosSchedulerDriver(Scheduler scheduler, FrameworkInfo framework, String master, Credential credential) {
    this(scheduler, framework, List.of(), master, true, requireCredential(credential), DriverOptions.defaults());
  }

  /** As {@link #MesosSchedulerDriver(Scheduler, FrameworkInfo, String)}, choosing implicit acknowledgements. */
  public MesosSchedulerDriver(Scheduler scheduler, FrameworkInfo framework, String master,
      boolean implicitAcknowledgements) {
    this(scheduler, framework, List.of(), master, implicitAcknowledgements, null, DriverOptions.defaults());
  }

  /** With a choice of implicit acknowledgements and a credential. */
  public MesosSchedulerDriver(Scheduler scheduler, FrameworkInfo framework, String master,
      boolean implicitAcknowledgements, Credential credential) {
    this(scheduler, framework, List.of(), master, implicitAcknowledgements, requireCredential(credential),
        DriverOptions.defaults());
  }

  /** With roles whose offers are suppressed from the first subscription on. */
  public MesosSchedulerDriver(Scheduler scheduler, FrameworkInfo framework, Collection<String> suppressedRoles,
      String master, boolean implicitAcknowledgements) {
    this(scheduler, framework, suppressedRoles, master, implicitAcknowledgements, null, DriverOptions.defaults());
  }

  /** With suppressed roles, a choice of implicit acknowledgements and a credential. */
  public MesosSchedulerDriver(Scheduler scheduler, FrameworkInfo framework, Collection<String> suppressedRoles,
      String master, boolean implicitAcknowledgements, Credential credential) {
    this(scheduler, framework, suppressedRoles, master, implicitAcknowledgements, requireCredential(credential),
        DriverOptions.defaults());
  }

  /**
   * jmesos extension (not in the Mesos jar): every setting, plus {@link DriverOptions} such as the clock
   * that tests replace. {@code credential} may be null.
   */
  public MesosSchedulerDriver(Scheduler scheduler, FrameworkInfo framework, Collection<String> suppressedRoles,
      String master, boolean implicitAcknowledgements, Credential credential, DriverOptions options) {
    if (scheduler == null) {
      throw new NullPointerException("Not expecting a null Scheduler");
    }
    if (framework == null) {
      throw new NullPointerException("Not expecting a null FrameworkInfo");
    }
    if (suppressedRoles == null) {
      throw new NullPointerException("Not expecting a null suppressedRoles");
    }
    if (master == null) {
      throw new NullPointerException("Not expecting a null master");
    }
    if (options == null) {
      throw new NullPointerException("Not expecting null DriverOptions");
    }
    this.scheduler = scheduler;
    this.framework = framework;
    this.suppressedRoles = List.copyOf(suppressedRoles);
    this.master = master;
    this.implicitAcknowledgements = implicitAcknowledgements;
    this.credential = credential;
    this.options = options;
  }

  private static Credential requireCredential(Credential credential) {
    if (credential == null) {
      throw new NullPointerException("Not expecting a null credential");
    }
    return credential;
  }

  @Override
  public Status start() {
    synchronized (lock) {
      if (status != Status.DRIVER_NOT_STARTED) {
        return status;
      }
      MasterDetector detector;
      try {
        detector = options.masterDetector()
            .orElseGet(() -> MasterDetectors.create(master, options.zkSessionTimeout()));
      } catch (RuntimeException e) {
        status = Status.DRIVER_ABORTED;
        finished.countDown();
        String message = "Failed to create a master detector for '" + master + "': " + e.getMessage();
        LOG.error("Scheduler driver cannot start: {}", message);
        scheduler.error(this, message);
        return status;
      }
      process = new SchedulerProcess(this, scheduler, FrameworkInfos.fillMissing(framework), suppressedRoles,
          detector, implicitAcknowledgements, authorization(credential), options, finished::countDown);
      process.start();
      return status = Status.DRIVER_RUNNING;
    }
  }

  private static String authorization(Credential credential) {
    return credential == null ? null : Authorization.basic(credential.getPrincipal(), credential.getSecret());
  }

  @Override
  public Status stop(boolean failover) {
    synchronized (lock) {
      LOG.info("Asked to stop the driver");
      if (status != Status.DRIVER_RUNNING && status != Status.DRIVER_ABORTED) {
        LOG.debug("Ignoring stop because the status of the driver is {}", status);
        return status;
      }
      if (process != null) {
        process.markNotRunning();
        process.stop(failover);
      }
      boolean aborted = status == Status.DRIVER_ABORTED;
      status = Status.DRIVER_STOPPED;
      return aborted ? Status.DRIVER_ABORTED : status;
    }
  }

  @Override
  public Status stop() {
    return stop(false);
  }

  @Override
  public Status abort() {
    synchronized (lock) {
      LOG.info("Asked to abort the driver");
      if (status != Status.DRIVER_RUNNING) {
        LOG.debug("Ignoring abort because the status of the driver is {}", status);
        return status;
      }
      process.markNotRunning();
      process.abort();
      return status = Status.DRIVER_ABORTED;
    }
  }

  @Override
  public Status join() {
    synchronized (lock) {
      if (process == null) {
        return status;
      }
    }
    try {
      finished.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.warn("Interrupted while joining the scheduler driver");
    }
    synchronized (lock) {
      return status;
    }
  }

  @Override
  public Status run() {
    Status s = start();
    return s != Status.DRIVER_RUNNING ? s : join();
  }

  /** Enqueues {@code call} on the driver thread if the driver is running; returns the status. */
  private Status dispatch(Consumer<DriverCalls> call) {
    synchronized (lock) {
      if (status != Status.DRIVER_RUNNING) {
        return status;
      }
      DriverCalls calls = process.calls();
      process.enqueue(() -> call.accept(calls));
      return status;
    }
  }

  @Override
  public Status requestResources(Collection<Request> requests) {
    List<Request> copy = new ArrayList<>(requests);
    return dispatch(c -> c.requestResources(copy));
  }

  @Override
  public Status launchTasks(Collection<OfferID> offerIds, Collection<TaskInfo> tasks, Filters filters) {
    List<OfferID> ids = new ArrayList<>(offerIds);
    List<TaskInfo> copy = new ArrayList<>(tasks);
    return dispatch(c -> c.launchTasks(ids, copy, filters));
  }

  @Override
  public Status launchTasks(Collection<OfferID> offerIds, Collection<TaskInfo> tasks) {
    return launchTasks(offerIds, tasks, Filters.newBuilder().build());
  }

  @Override
  public Status launchTasks(OfferID offerId, Collection<TaskInfo> tasks, Filters filters) {
    return launchTasks(List.of(offerId), tasks, filters);
  }

  @Override
  public Status launchTasks(OfferID offerId, Collection<TaskInfo> tasks) {
    return launchTasks(List.of(offerId), tasks, Filters.newBuilder().build());
  }

  @Override
  public Status killTask(TaskID taskId) {
    return dispatch(c -> c.killTask(taskId));
  }

  @Override
  public Status acceptOffers(Collection<OfferID> offerIds, Collection<Offer.Operation> operations,
      Filters filters) {
    List<OfferID> ids = new ArrayList<>(offerIds);
    List<Offer.Operation> ops = new ArrayList<>(operations);
    return dispatch(c -> c.acceptOffers(ids, ops, filters));
  }

  @Override
  public Status declineOffer(OfferID offerId, Filters filters) {
    return dispatch(c -> c.declineOffer(offerId, filters));
  }

  @Override
  public Status declineOffer(OfferID offerId) {
    return declineOffer(offerId, Filters.newBuilder().build());
  }

  @Override
  public Status reviveOffers() {
    return dispatch(c -> c.reviveOffers(List.of()));
  }

  @Override
  public Status reviveOffers(Collection<String> roles) {
    if (roles.isEmpty()) {
      return currentStatus();
    }
    List<String> copy = List.copyOf(roles);
    return dispatch(c -> c.reviveOffers(copy));
  }

  @Override
  public Status suppressOffers() {
    return dispatch(c -> c.suppressOffers(List.of()));
  }

  @Override
  public Status suppressOffers(Collection<String> roles) {
    if (roles.isEmpty()) {
      return currentStatus();
    }
    List<String> copy = List.copyOf(roles);
    return dispatch(c -> c.suppressOffers(copy));
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalStateException if the driver uses implicit acknowledgements (Mesos' native driver
   *     terminates the process in that case)
   */
  @Override
  public Status acknowledgeStatusUpdate(TaskStatus taskStatus) {
    synchronized (lock) {
      if (status != Status.DRIVER_RUNNING) {
        return status;
      }
      if (implicitAcknowledgements) {
        throw new IllegalStateException("Cannot call acknowledgeStatusUpdate: Implicit acknowledgements are enabled");
      }
    }
    return dispatch(c -> c.acknowledgeStatusUpdate(taskStatus));
  }

  @Override
  public Status sendFrameworkMessage(ExecutorID executorId, SlaveID slaveId, byte[] data) {
    byte[] copy = data.clone();
    return dispatch(c -> c.sendFrameworkMessage(executorId, slaveId, copy));
  }

  @Override
  public Status reconcileTasks(Collection<TaskStatus> statuses) {
    List<TaskStatus> copy = new ArrayList<>(statuses);
    return dispatch(c -> c.reconcileTasks(copy));
  }

  @Override
  public Status updateFramework(FrameworkInfo frameworkInfo, Collection<String> suppressedRoles,
      OfferConstraints offerConstraints) {
    if (frameworkInfo == null) {
      throw new NullPointerException("Not expecting a null FrameworkInfo");
    }
    List<String> roles = suppressedRoles == null ? List.of() : List.copyOf(suppressedRoles);
    OfferConstraints constraints = offerConstraints == null ? OfferConstraints.getDefaultInstance()
        : offerConstraints;
    return dispatch(c -> c.updateFramework(frameworkInfo, roles, constraints));
  }

  @Override
  @Deprecated
  public Status updateFramework(FrameworkInfo frameworkInfo, Collection<String> suppressedRoles) {
    return updateFramework(frameworkInfo, suppressedRoles, OfferConstraints.getDefaultInstance());
  }

  /**
   * jmesos extension (not in the Mesos jar), for tests that settle a cluster: true when the driver's thread
   * has nothing queued or running, no call awaits the master's answer and no SUBSCRIBE awaits its response.
   * Events already written by the master but not yet read are not visible here. Never blocks.
   */
  public boolean isIdle() {
    SchedulerProcess p;
    synchronized (lock) {
      p = process;
    }
    return p == null || p.isIdle();
  }

  /** Present for signature compatibility with Mesos' jar, where it sets up the native driver; does nothing. */
  protected void initialize() {
    // Nothing to set up: the pure-Java driver starts its thread and connections in start().
  }

  private Status currentStatus() {
    synchronized (lock) {
      return status;
    }
  }
}
