package io.jmesos.it;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.Filters;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.MasterInfo;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.OfferID;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.Scheduler;
import org.apache.mesos.SchedulerDriver;

/**
 * A scheduler for multi-process tests that launches whole {@link TaskInfo}s (command tasks or tasks of a custom
 * executor) on the agent the test picks, and keeps every status update its driver delivers, raw, in arrival
 * order. The test {@linkplain #submit queues} tasks for an agent and they go together on the next offer of that
 * agent they fit in; every other offer is declined for an hour ({@link #submit} revives offers). Acknowledgements
 * are the driver's implicit ones (after {@link #statusUpdate} returns).
 *
 * <p>Threading: callbacks run on the driver's thread; {@link #submit} and the readers run on the test thread.
 * The queue is guarded by its own lock, the records are thread-safe.
 */
final class QueueScheduler implements Scheduler {
  private static final double TASK_CPUS = 0.1;
  private static final double TASK_MEM = 32;

  private final String name;
  private final List<Pending> pending = new ArrayList<>();
  private final AtomicReference<FrameworkID> frameworkId = new AtomicReference<>();
  private final AtomicInteger registrations = new AtomicInteger();
  private final AtomicInteger reregistrations = new AtomicInteger();
  private final AtomicInteger disconnections = new AtomicInteger();
  private final List<TaskStatus> statuses = new CopyOnWriteArrayList<>();
  private final List<String> lost = new CopyOnWriteArrayList<>();
  private final List<String> errors = new CopyOnWriteArrayList<>();

  QueueScheduler(String name) {
    this.name = Objects.requireNonNull(name, "name");
  }

  String name() {
    return name;
  }

  /**
   * Queues {@code tasks} (their agent id is set at launch) for {@code agent}, then revives offers. Tasks queued
   * together are launched together once an offer of the agent holds all of them.
   */
  void submit(SchedulerDriver schedulerDriver, SlaveID agent, List<TaskInfo> tasks) {
    synchronized (pending) {
      pending.add(new Pending(agent, List.copyOf(tasks)));
      schedulerDriver.reviveOffers();
    }
  }

  /** Queues a task running {@code command} (through the shell, cpus 0.1, mem 32) on {@code agent}. */
  void submit(SchedulerDriver schedulerDriver, String taskId, String command, SlaveID agent) {
    submit(schedulerDriver, agent, List.of(TaskInfo.newBuilder()
        .setName(taskId)
        .setTaskId(org.apache.mesos.Protos.TaskID.newBuilder().setValue(taskId))
        .setSlaveId(agent)
        .setCommand(org.apache.mesos.Protos.CommandInfo.newBuilder().setShell(true).setValue(command))
        .addResources(RecordingScheduler.scalar("cpus", TASK_CPUS))
        .addResources(RecordingScheduler.scalar("mem", TASK_MEM))
        .build()));
  }

  Optional<FrameworkID> frameworkId() {
    return Optional.ofNullable(frameworkId.get());
  }

  int registrations() {
    return registrations.get();
  }

  int reregistrations() {
    return reregistrations.get();
  }

  int disconnections() {
    return disconnections.get();
  }

  /** The agents ({@code slaveLost}) and executors ({@code executorLost}) the driver reported lost. */
  List<String> lost() {
    return List.copyOf(lost);
  }

  List<String> errors() {
    return List.copyOf(errors);
  }

  /** Every status update of {@code taskId} received so far, re-deliveries included, oldest first. */
  List<TaskStatus> raw(String taskId) {
    return statuses.stream().filter(s -> s.getTaskId().getValue().equals(taskId)).collect(Collectors.toList());
  }

  /**
   * The distinct status updates of {@code taskId} received so far, oldest first: a re-delivery of an update
   * already received (same uuid, re-sent by an agent that did not get the acknowledgement) is left out.
   */
  List<TaskStatus> statuses(String taskId) {
    java.util.Set<ByteString> seen = new java.util.HashSet<>();
    return raw(taskId).stream().filter(s -> s.getUuid().isEmpty() || seen.add(s.getUuid()))
        .collect(Collectors.toList());
  }

  /** The ids of the tasks that got status updates, in the order of their first update. */
  List<String> taskIds() {
    return statuses.stream().map(s -> s.getTaskId().getValue()).distinct().collect(Collectors.toList());
  }

  /** How many status updates (of every task) the driver delivered, re-deliveries included. */
  int rawCount() {
    return statuses.size();
  }

  /**
   * The status updates of {@code taskId}, oldest first, with consecutive re-deliveries collapsed: an update with
   * the uuid of the one just before it (an agent re-sending an update whose acknowledgement it did not get
   * before it restarted) is left out. A re-delivery that is not consecutive stays, so that it shows.
   */
  List<TaskStatus> collapsed(String taskId) {
    List<TaskStatus> out = new ArrayList<>();
    ByteString previous = null;
    for (TaskStatus s : raw(taskId)) {
      if (!s.getUuid().isEmpty() && s.getUuid().equals(previous)) {
        continue;
      }
      out.add(s);
      previous = s.getUuid();
    }
    return out;
  }

  /** The first update of {@code taskId} in {@code state}, if it has arrived. */
  Optional<TaskStatus> first(String taskId, TaskState state) {
    return raw(taskId).stream().filter(s -> s.getState() == state).findFirst();
  }

  /** Everything the driver reported, one line per status update, for failure messages. */
  String describe() {
    return name + ": framework " + frameworkId().map(FrameworkID::getValue).orElse("-") + ", registered "
        + registrations + ", re-registered " + reregistrations + ", disconnected " + disconnections + ", lost "
        + lost + ", errors " + errors + ", statuses:" + (statuses.isEmpty() ? " none"
            : statuses.stream().map(s -> "\n    " + RecordingScheduler.describe(s)).collect(Collectors.joining()));
  }

  @Override
  public void registered(SchedulerDriver schedulerDriver, FrameworkID id, MasterInfo masterInfo) {
    frameworkId.set(id);
    registrations.incrementAndGet();
  }

  @Override
  public void reregistered(SchedulerDriver schedulerDriver, MasterInfo masterInfo) {
    reregistrations.incrementAndGet();
  }

  @Override
  public void disconnected(SchedulerDriver schedulerDriver) {
    disconnections.incrementAndGet();
  }

  @Override
  public void resourceOffers(SchedulerDriver schedulerDriver, List<Offer> offers) {
    for (Offer offer : offers) {
      // Under the queue's lock, so that a decline cannot reach the master after the revive of a concurrent
      // submit (its filter would then hide the agent for an hour): the driver sends calls in the order made.
      synchronized (pending) {
        List<TaskInfo> tasks = take(offer);
        if (tasks.isEmpty()) {
          schedulerDriver.declineOffer(offer.getId(), Filters.newBuilder().setRefuseSeconds(3600).build());
        } else {
          schedulerDriver.launchTasks(List.of(offer.getId()), tasks);
        }
      }
    }
  }

  /** Removes from the queue the batches for the offer's agent that fit in it together. */
  private List<TaskInfo> take(Offer offer) {
    double cpus = RecordingScheduler.scalar(offer, "cpus");
    double mem = RecordingScheduler.scalar(offer, "mem");
    List<TaskInfo> tasks = new ArrayList<>();
    synchronized (pending) {
      for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
        Pending batch = it.next();
        double batchCpus = batch.scalar("cpus");
        double batchMem = batch.scalar("mem");
        if (batch.agent.equals(offer.getSlaveId()) && cpus >= batchCpus && mem >= batchMem) {
          cpus -= batchCpus;
          mem -= batchMem;
          batch.tasks.forEach(t -> tasks.add(t.toBuilder().setSlaveId(offer.getSlaveId()).build()));
          it.remove();
        }
      }
    }
    return tasks;
  }

  @Override
  public void offerRescinded(SchedulerDriver schedulerDriver, OfferID offerId) {}

  @Override
  public void statusUpdate(SchedulerDriver schedulerDriver, TaskStatus status) {
    statuses.add(status);
  }

  @Override
  public void frameworkMessage(SchedulerDriver schedulerDriver, ExecutorID executorId, SlaveID slaveId,
      byte[] data) {}

  @Override
  public void slaveLost(SchedulerDriver schedulerDriver, SlaveID slaveId) {
    lost.add("agent " + slaveId.getValue());
  }

  @Override
  public void executorLost(SchedulerDriver schedulerDriver, ExecutorID executorId, SlaveID slaveId, int status) {
    lost.add("executor " + executorId.getValue() + " (status " + status + ")");
  }

  @Override
  public void error(SchedulerDriver schedulerDriver, String message) {
    errors.add(message);
  }

  /** Tasks waiting together for an offer of their agent. */
  private static final class Pending {
    private final SlaveID agent;
    private final List<TaskInfo> tasks;

    private Pending(SlaveID agent, List<TaskInfo> tasks) {
      this.agent = agent;
      this.tasks = tasks;
    }

    /** The batch's scalar {@code resource}: its tasks' and (once per executor id) their executors'. */
    private double scalar(String resource) {
      List<String> executors = new ArrayList<>();
      double sum = 0;
      for (TaskInfo task : tasks) {
        sum += sum(task.getResourcesList(), resource);
        if (task.hasExecutor() && !executors.contains(task.getExecutor().getExecutorId().getValue())) {
          executors.add(task.getExecutor().getExecutorId().getValue());
          sum += sum(task.getExecutor().getResourcesList(), resource);
        }
      }
      return sum;
    }

    private static double sum(List<Resource> resources, String name) {
      return resources.stream().filter(r -> r.getName().equals(name)).mapToDouble(r -> r.getScalar().getValue())
          .sum();
    }
  }
}
