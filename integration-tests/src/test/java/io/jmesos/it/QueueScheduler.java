package io.jmesos.it;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.mesos.Protos.CommandInfo;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.Filters;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.MasterInfo;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.OfferID;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.Scheduler;
import org.apache.mesos.SchedulerDriver;

/**
 * A scheduler for multi-process tests that launches shell command tasks on the agents the test picks: the test
 * {@linkplain #submit queues} a task for an agent, the scheduler launches it on the next offer of that agent
 * that fits, and declines every other offer for an hour ({@link #submit} revives offers). Records what the
 * driver reports: framework id, (re-)registrations, disconnections, status updates, errors.
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
  private final List<String> errors = new CopyOnWriteArrayList<>();

  QueueScheduler(String name) {
    this.name = Objects.requireNonNull(name, "name");
  }

  String name() {
    return name;
  }

  /** Queues a task running {@code command} (through the shell) on {@code agent}, then revives offers. */
  void submit(SchedulerDriver schedulerDriver, String taskId, String command, SlaveID agent) {
    synchronized (pending) {
      pending.add(new Pending(TaskID.newBuilder().setValue(taskId).build(), command, agent));
    }
    schedulerDriver.reviveOffers();
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

  List<String> errors() {
    return List.copyOf(errors);
  }

  /**
   * The distinct status updates of {@code taskId} received so far, oldest first: a re-delivery of an update
   * already received (same uuid, re-sent by an agent that did not get the acknowledgement) is left out.
   */
  List<TaskStatus> statuses(String taskId) {
    Set<ByteString> seen = new HashSet<>();
    return statuses.stream()
        .filter(s -> s.getTaskId().getValue().equals(taskId))
        .filter(s -> s.getUuid().isEmpty() || seen.add(s.getUuid()))
        .collect(Collectors.toList());
  }

  /** The first update of {@code taskId} in {@code state}, if it has arrived. */
  Optional<TaskStatus> first(String taskId, TaskState state) {
    return statuses(taskId).stream().filter(s -> s.getState() == state).findFirst();
  }

  /** Everything the driver reported, one line per status update, for failure messages. */
  String describe() {
    return name + ": framework " + frameworkId().map(FrameworkID::getValue).orElse("-") + ", registered "
        + registrations + ", re-registered " + reregistrations + ", disconnected " + disconnections
        + ", errors " + errors + ", statuses:" + (statuses.isEmpty() ? " none"
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
      List<TaskInfo> tasks = take(offer);
      if (tasks.isEmpty()) {
        schedulerDriver.declineOffer(offer.getId(), Filters.newBuilder().setRefuseSeconds(3600).build());
      } else {
        schedulerDriver.launchTasks(List.of(offer.getId()), tasks);
      }
    }
  }

  /** Removes from the queue the tasks for the offer's agent that fit in it together. */
  private List<TaskInfo> take(Offer offer) {
    double cpus = RecordingScheduler.scalar(offer, "cpus");
    double mem = RecordingScheduler.scalar(offer, "mem");
    List<TaskInfo> tasks = new ArrayList<>();
    synchronized (pending) {
      for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
        Pending task = it.next();
        if (task.agent.equals(offer.getSlaveId()) && cpus >= TASK_CPUS && mem >= TASK_MEM) {
          cpus -= TASK_CPUS;
          mem -= TASK_MEM;
          tasks.add(task.info(offer.getSlaveId()));
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
  public void slaveLost(SchedulerDriver schedulerDriver, SlaveID slaveId) {}

  @Override
  public void executorLost(SchedulerDriver schedulerDriver, ExecutorID executorId, SlaveID slaveId, int status) {}

  @Override
  public void error(SchedulerDriver schedulerDriver, String message) {
    errors.add(message);
  }

  /** A task waiting for an offer of its agent. */
  private static final class Pending {
    private final TaskID taskId;
    private final String command;
    private final SlaveID agent;

    private Pending(TaskID taskId, String command, SlaveID agent) {
      this.taskId = taskId;
      this.command = command;
      this.agent = agent;
    }

    private TaskInfo info(SlaveID slaveId) {
      return TaskInfo.newBuilder()
          .setName(taskId.getValue())
          .setTaskId(taskId)
          .setSlaveId(slaveId)
          .setCommand(CommandInfo.newBuilder().setShell(true).setValue(command))
          .addResources(RecordingScheduler.scalar("cpus", TASK_CPUS))
          .addResources(RecordingScheduler.scalar("mem", TASK_MEM))
          .build();
    }
  }
}
