package io.jmesos.testing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.MasterInfo;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.OfferID;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.Scheduler;
import org.apache.mesos.SchedulerDriver;

/**
 * A {@link Scheduler} that records its callbacks for a test to wait on: registration, offers and status
 * updates in arrival order, disconnections and errors. Waits are bounded ({@link #WAIT}) and fail with what
 * was awaited. Thread-safe: callbacks arrive on the driver's thread, waits happen on the test's.
 */
public class RecordingScheduler implements Scheduler {
  /** How long a wait lasts before it fails. */
  public static final Duration WAIT = Duration.ofSeconds(10);

  private final CompletableFuture<FrameworkID> registered = new CompletableFuture<>();
  private final BlockingQueue<List<Offer>> offers = new LinkedBlockingQueue<>();
  private final BlockingQueue<TaskStatus> statuses = new LinkedBlockingQueue<>();
  private final AtomicInteger reregistrations = new AtomicInteger();
  private final CompletableFuture<Void> reregistered = new CompletableFuture<>();
  private final AtomicInteger disconnections = new AtomicInteger();
  private final CompletableFuture<Void> disconnected = new CompletableFuture<>();
  private final List<String> errors = new CopyOnWriteArrayList<>();
  private final List<TaskStatus> allStatuses = new CopyOnWriteArrayList<>();
  private final List<SlaveID> lostAgents = new CopyOnWriteArrayList<>();
  private final List<ExecutorID> lostExecutors = new CopyOnWriteArrayList<>();

  /** Completes with the framework id at the first {@code registered}. */
  public CompletableFuture<FrameworkID> registered() {
    return registered;
  }

  /** The next batch of offers, waiting up to {@link #WAIT}. */
  public List<Offer> nextOffers() throws InterruptedException {
    return take(offers, "offers");
  }

  /** The batches of offers received and not taken yet. */
  public int pendingOffers() {
    return offers.size();
  }

  /** The next status update, waiting up to {@link #WAIT}. */
  public TaskStatus nextStatus() throws InterruptedException {
    return take(statuses, "a status update");
  }

  /** Skips status updates until one for {@code taskId} in {@code state}, waiting up to {@link #WAIT} each. */
  public TaskStatus awaitStatus(TaskID taskId, TaskState state) throws InterruptedException {
    while (true) {
      TaskStatus status = take(statuses, "a status update for task " + taskId.getValue() + " in " + state);
      if (status.getTaskId().equals(taskId) && status.getState() == state) {
        return status;
      }
    }
  }

  /** Completes at the first {@code reregistered}. */
  public CompletableFuture<Void> reregistered() {
    return reregistered;
  }

  public int reregistrations() {
    return reregistrations.get();
  }

  /** Completes at the first {@code disconnected}. */
  public CompletableFuture<Void> disconnected() {
    return disconnected;
  }

  public int disconnections() {
    return disconnections.get();
  }

  public List<String> errors() {
    return List.copyOf(errors);
  }

  /** Every status update received so far for {@code taskId}, in order (taken or not). */
  public List<TaskStatus> statuses(TaskID taskId) {
    return allStatuses.stream().filter(s -> s.getTaskId().equals(taskId)).toList();
  }

  /** The agents {@code slaveLost} named, in order. */
  public List<SlaveID> lostAgents() {
    return List.copyOf(lostAgents);
  }

  /** The executors {@code executorLost} named, in order. */
  public List<ExecutorID> lostExecutors() {
    return List.copyOf(lostExecutors);
  }

  private static <T> T take(BlockingQueue<T> queue, String what) throws InterruptedException {
    T next = queue.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (next == null) {
      throw new AssertionError("No " + what + " within " + WAIT.toSeconds() + "s");
    }
    return next;
  }

  @Override
  public void registered(SchedulerDriver driver, FrameworkID frameworkId, MasterInfo masterInfo) {
    registered.complete(frameworkId);
  }

  @Override
  public void reregistered(SchedulerDriver driver, MasterInfo masterInfo) {
    reregistrations.incrementAndGet();
    reregistered.complete(null);
  }

  @Override
  public void resourceOffers(SchedulerDriver driver, List<Offer> offers) {
    this.offers.add(List.copyOf(offers));
  }

  @Override
  public void offerRescinded(SchedulerDriver driver, OfferID offerId) {}

  @Override
  public void statusUpdate(SchedulerDriver driver, TaskStatus status) {
    allStatuses.add(status);
    statuses.add(status);
  }

  @Override
  public void frameworkMessage(SchedulerDriver driver, ExecutorID executorId, SlaveID slaveId, byte[] data) {}

  @Override
  public void disconnected(SchedulerDriver driver) {
    disconnections.incrementAndGet();
    disconnected.complete(null);
  }

  @Override
  public void slaveLost(SchedulerDriver driver, SlaveID slaveId) {
    lostAgents.add(slaveId);
  }

  @Override
  public void executorLost(SchedulerDriver driver, ExecutorID executorId, SlaveID slaveId, int status) {
    lostExecutors.add(executorId);
  }

  @Override
  public void error(SchedulerDriver driver, String message) {
    errors.add(message);
  }
}
