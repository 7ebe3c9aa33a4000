package io.jmesos.it;

import com.google.protobuf.ByteString;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.mesos.Protos.CommandInfo;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.Filters;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.MasterInfo;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.OfferID;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.Protos.Value;
import org.apache.mesos.Scheduler;
import org.apache.mesos.SchedulerDriver;

/**
 * A scheduler for multi-process tests: launches one shell command task on the first offer that fits it,
 * declines every other offer for an hour, and records what its driver reports (framework id, status
 * updates, lost agents, errors).
 *
 * <p>Threading: callbacks run on the driver's thread; the records are thread-safe lists and references
 * that the test thread reads at any time.
 */
final class RecordingScheduler implements Scheduler {
  private static final double TASK_CPUS = 0.1;
  private static final double TASK_MEM = 32;

  private final String name;
  private final TaskID taskId;
  private final String command;
  private final AtomicBoolean launched = new AtomicBoolean();
  private final AtomicReference<FrameworkID> frameworkId = new AtomicReference<>();
  private final List<TaskStatus> statuses = new CopyOnWriteArrayList<>();
  private final List<SlaveID> lostAgents = new CopyOnWriteArrayList<>();
  private final List<String> errors = new CopyOnWriteArrayList<>();

  RecordingScheduler(String name, String taskId, String command) {
    this.name = Objects.requireNonNull(name, "name");
    this.taskId = TaskID.newBuilder().setValue(Objects.requireNonNull(taskId, "taskId")).build();
    this.command = Objects.requireNonNull(command, "command");
  }

  String name() {
    return name;
  }

  TaskID taskId() {
    return taskId;
  }

  /** The framework id once registered. */
  Optional<FrameworkID> frameworkId() {
    return Optional.ofNullable(frameworkId.get());
  }

  /**
   * The distinct status updates received so far, oldest first (a snapshot): a re-delivery of an update
   * already received (same uuid; an agent re-sends an update whose acknowledgement it did not get before
   * it lost the master) is left out.
   */
  List<TaskStatus> statuses() {
    Set<ByteString> seen = new HashSet<>();
    return statuses.stream()
        .filter(s -> s.getUuid().isEmpty() || seen.add(s.getUuid()))
        .collect(Collectors.toList());
  }

  List<SlaveID> lostAgents() {
    return List.copyOf(lostAgents);
  }

  List<String> errors() {
    return List.copyOf(errors);
  }

  /** Every status update received so far, re-deliveries included, one line each, for failure messages. */
  String describeStatuses() {
    return name + " statuses:" + (statuses.isEmpty() ? " none"
        : statuses.stream().map(s -> "\n    " + describe(s)).collect(Collectors.joining()))
        + "\n  " + name + " lost agents: " + lostAgents.stream().map(SlaveID::getValue).collect(Collectors.toList())
        + "\n  " + name + " errors: " + errors;
  }

  static String describe(TaskStatus s) {
    return s.getTaskId().getValue() + " " + s.getState() + " source=" + s.getSource() + " reason="
        + (s.hasReason() ? s.getReason() : "-") + " agent=" + s.getSlaveId().getValue()
        + " unreachable_time=" + (s.hasUnreachableTime() ? s.getUnreachableTime().getNanoseconds() : "-")
        + " uuid=" + (s.getUuid().isEmpty() ? "-" : HexFormat.of().formatHex(s.getUuid().toByteArray()))
        + " message='" + s.getMessage() + "'";
  }

  @Override
  public void registered(SchedulerDriver driver, FrameworkID id, MasterInfo masterInfo) {
    frameworkId.set(id);
  }

  @Override
  public void reregistered(SchedulerDriver driver, MasterInfo masterInfo) {}

  @Override
  public void resourceOffers(SchedulerDriver driver, List<Offer> offers) {
    for (Offer offer : offers) {
      if (fits(offer) && launched.compareAndSet(false, true)) {
        driver.launchTasks(List.of(offer.getId()), List.of(task(offer)));
      } else {
        driver.declineOffer(offer.getId(), Filters.newBuilder().setRefuseSeconds(3600).build());
      }
    }
  }

  private TaskInfo task(Offer offer) {
    return TaskInfo.newBuilder()
        .setName(taskId.getValue())
        .setTaskId(taskId)
        .setSlaveId(offer.getSlaveId())
        .setCommand(CommandInfo.newBuilder().setShell(true).setValue(command))
        .addResources(scalar("cpus", TASK_CPUS))
        .addResources(scalar("mem", TASK_MEM))
        .build();
  }

  private static boolean fits(Offer offer) {
    return scalar(offer, "cpus") >= TASK_CPUS && scalar(offer, "mem") >= TASK_MEM;
  }

  /** The sum of an offer's scalar {@code resource}. */
  static double scalar(Offer offer, String resource) {
    return offer.getResourcesList().stream()
        .filter(r -> r.getName().equals(resource) && r.getType() == Value.Type.SCALAR)
        .mapToDouble(r -> r.getScalar().getValue())
        .sum();
  }

  /** A scalar resource. */
  static Resource scalar(String resource, double value) {
    return Resource.newBuilder()
        .setName(resource)
        .setType(Value.Type.SCALAR)
        .setScalar(Value.Scalar.newBuilder().setValue(value))
        .build();
  }

  @Override
  public void offerRescinded(SchedulerDriver driver, OfferID offerId) {}

  @Override
  public void statusUpdate(SchedulerDriver driver, TaskStatus status) {
    statuses.add(status);
  }

  @Override
  public void frameworkMessage(SchedulerDriver driver, ExecutorID executorId, SlaveID slaveId, byte[] data) {}

  @Override
  public void disconnected(SchedulerDriver driver) {}

  @Override
  public void slaveLost(SchedulerDriver driver, SlaveID slaveId) {
    lostAgents.add(slaveId);
  }

  @Override
  public void executorLost(SchedulerDriver driver, ExecutorID executorId, SlaveID slaveId, int status) {}

  @Override
  public void error(SchedulerDriver driver, String message) {
    errors.add(message);
  }
}
