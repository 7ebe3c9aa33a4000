package io.jmesos.examples;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.mesos.MesosSchedulerDriver;
import org.apache.mesos.Protos.CommandInfo;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.ExecutorInfo;
import org.apache.mesos.Protos.Filters;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.MasterInfo;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.OfferID;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.Status;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.Protos.Value;
import org.apache.mesos.Scheduler;
import org.apache.mesos.SchedulerDriver;

/**
 * An example framework written only against Mesos' Java API, in the spirit of Mesos' own TestFramework: it
 * launches a number of tasks on a custom executor ({@link ExampleExecutor}), one task per offer slot, and
 * stops once every task has finished. Each executor answers with a framework message, which the framework
 * counts too.
 *
 * <p>Usage: {@code ExampleFramework <master host:port> [number of tasks]}. Exits 0 when every task finished.
 */
public final class ExampleFramework implements Scheduler {
  private static final double CPUS_PER_TASK = 0.1;
  private static final double MEM_PER_TASK = 32;

  private final ExecutorInfo executor;
  private final int totalTasks;
  private final Map<String, TaskState> states = new ConcurrentHashMap<>();
  private final Map<String, String> messages = new ConcurrentHashMap<>();
  private int launched;
  private volatile boolean failed;

  public ExampleFramework(ExecutorInfo executor, int totalTasks) {
    this.executor = executor;
    this.totalTasks = totalTasks;
  }

  /** The executor, run with the same JVM and class path as this framework. */
  public static ExecutorInfo exampleExecutor() {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    String command = "exec '" + java + "' -Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp '"
        + System.getProperty("java.class.path") + "' " + ExampleExecutor.class.getName();
    return ExecutorInfo.newBuilder()
        .setExecutorId(ExecutorID.newBuilder().setValue("example-executor"))
        .setName("Example executor (Java)")
        .setCommand(CommandInfo.newBuilder().setValue(command).setShell(true))
        .addResources(scalar("cpus", 0.1))
        .addResources(scalar("mem", 64))
        .build();
  }

  @Override
  public void registered(SchedulerDriver driver, FrameworkID frameworkId, MasterInfo masterInfo) {
    System.out.println("Registered as " + frameworkId.getValue() + " with master " + masterInfo.getId());
  }

  @Override
  public void reregistered(SchedulerDriver driver, MasterInfo masterInfo) {
    System.out.println("Re-registered with master " + masterInfo.getId());
  }

  @Override
  public void resourceOffers(SchedulerDriver driver, List<Offer> offers) {
    for (Offer offer : offers) {
      double cpus = scalarOf(offer, "cpus");
      double mem = scalarOf(offer, "mem");
      // The executor's own resources are needed once per agent; keep them aside.
      cpus -= 0.1;
      mem -= 64;
      List<TaskInfo> tasks = new ArrayList<>();
      while (launched < totalTasks && cpus >= CPUS_PER_TASK && mem >= MEM_PER_TASK) {
        String id = Integer.toString(launched++);
        tasks.add(TaskInfo.newBuilder()
            .setTaskId(TaskID.newBuilder().setValue(id))
            .setName("task " + id)
            .setSlaveId(offer.getSlaveId())
            .setExecutor(executor)
            .addResources(scalar("cpus", CPUS_PER_TASK))
            .addResources(scalar("mem", MEM_PER_TASK))
            .setData(ByteString.copyFromUtf8("task " + id + " says hello"))
            .build());
        cpus -= CPUS_PER_TASK;
        mem -= MEM_PER_TASK;
      }
      if (tasks.isEmpty()) {
        driver.declineOffer(offer.getId(), Filters.newBuilder().setRefuseSeconds(1).build());
      } else {
        System.out.println("Launching " + tasks.size() + " task(s) on " + offer.getHostname());
        driver.launchTasks(List.of(offer.getId()), tasks);
      }
    }
  }

  @Override
  public void offerRescinded(SchedulerDriver driver, OfferID offerId) {}

  @Override
  public void statusUpdate(SchedulerDriver driver, TaskStatus status) {
    String id = status.getTaskId().getValue();
    states.put(id, status.getState());
    System.out.println("Task " + id + " is in state " + status.getState()
        + (status.hasMessage() ? " (" + status.getMessage() + ")" : ""));
    switch (status.getState()) {
      case TASK_LOST:
      case TASK_FAILED:
      case TASK_KILLED:
      case TASK_ERROR:
      case TASK_DROPPED:
      case TASK_GONE:
        failed = true;
        System.out.println("Aborting because task " + id + " is in unexpected state " + status.getState());
        driver.abort();
        return;
      default:
        break;
    }
    if (finishedTasks() == totalTasks) {
      System.out.println("All " + totalTasks + " tasks finished");
      driver.stop();
    }
  }

  @Override
  public void frameworkMessage(SchedulerDriver driver, ExecutorID executorId, SlaveID slaveId, byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    messages.put(text, executorId.getValue());
    System.out.println("Message from executor " + executorId.getValue() + ": " + text);
  }

  @Override
  public void disconnected(SchedulerDriver driver) {
    System.out.println("Disconnected from the master");
  }

  @Override
  public void slaveLost(SchedulerDriver driver, SlaveID slaveId) {
    System.out.println("Agent lost: " + slaveId.getValue());
  }

  @Override
  public void executorLost(SchedulerDriver driver, ExecutorID executorId, SlaveID slaveId, int status) {
    System.out.println("Executor " + executorId.getValue() + " on " + slaveId.getValue() + " exited with " + status);
  }

  @Override
  public void error(SchedulerDriver driver, String message) {
    failed = true;
    System.out.println("Error: " + message);
  }

  public int finishedTasks() {
    int n = 0;
    for (TaskState s : states.values()) {
      if (s == TaskState.TASK_FINISHED) {
        n++;
      }
    }
    return n;
  }

  /** Messages received from executors (one per task: "finished task N"). */
  public Map<String, String> messages() {
    return messages;
  }

  public boolean failed() {
    return failed;
  }

  private static double scalarOf(Offer offer, String name) {
    double total = 0;
    for (Resource r : offer.getResourcesList()) {
      if (r.getName().equals(name) && r.getType() == Value.Type.SCALAR) {
        total += r.getScalar().getValue();
      }
    }
    return total;
  }

  static Resource scalar(String name, double value) {
    return Resource.newBuilder()
        .setName(name)
        .setType(Value.Type.SCALAR)
        .setScalar(Value.Scalar.newBuilder().setValue(value))
        .build();
  }

  public static void main(String[] args) {
    if (args.length < 1) {
      System.err.println("Usage: ExampleFramework <master host:port> [number of tasks]");
      System.exit(1);
    }
    int tasks = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    FrameworkInfo framework = FrameworkInfo.newBuilder()
        .setUser("")
        .setName("Example Framework (Java)")
        .build();
    ExampleFramework scheduler = new ExampleFramework(exampleExecutor(), tasks);
    MesosSchedulerDriver driver = new MesosSchedulerDriver(scheduler, framework, args[0]);
    Status status = driver.run();
    boolean ok = status == Status.DRIVER_STOPPED && !scheduler.failed() && scheduler.finishedTasks() == tasks;
    System.exit(ok ? 0 : 1);
  }
}
