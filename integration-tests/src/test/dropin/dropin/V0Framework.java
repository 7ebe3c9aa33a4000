package dropin;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
import org.apache.mesos.state.State;
import org.apache.mesos.state.Variable;
import org.apache.mesos.state.ZooKeeperState;

/**
 * A v0 framework written only against {@code org.apache.mesos}: it runs {@code tasks} tasks spread over
 * {@code executors} custom executors ({@link V0Executor}), acknowledges updates explicitly, counts the
 * executors' framework messages, then stops. With {@code --throw} its scheduler throws on the first offers, so
 * the driver aborts and the program exits 1. With {@code --zk servers} it keeps its framework id in a
 * {@link ZooKeeperState}. Usage: {@code V0Framework <master> <executor class path> <executors> <tasks> [--throw]
 * [--zk host:port]}.
 */
public final class V0Framework implements Scheduler {
  private final List<ExecutorInfo> executors = new ArrayList<>();
  private final int tasks;
  private final boolean fail;
  private int launched;
  private int finished;
  private int messages;
  private boolean wrong;
  private volatile FrameworkID frameworkId;

  V0Framework(String executorClassPath, int executors, int tasks, boolean fail) {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    for (int i = 0; i < executors; i++) {
      String command = "exec '" + java + "' -Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp '"
          + executorClassPath + "' dropin.V0Executor";
      this.executors.add(ExecutorInfo.newBuilder()
          .setExecutorId(ExecutorID.newBuilder().setValue("executor-" + i))
          .setName("drop-in executor " + i)
          .setCommand(CommandInfo.newBuilder().setValue(command).setShell(true))
          .addResources(scalar("cpus", 0.1)).addResources(scalar("mem", 64))
          .build());
    }
    this.tasks = tasks;
    this.fail = fail;
  }

  private static Resource scalar(String name, double value) {
    return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
        .setScalar(Value.Scalar.newBuilder().setValue(value)).build();
  }

  @Override
  public void registered(SchedulerDriver driver, FrameworkID id, MasterInfo master) {
    frameworkId = id;
    System.out.println("registered " + id.getValue() + " with master " + master.getHostname() + ":"
        + master.getPort());
    driver.reconcileTasks(Collections.<TaskStatus>emptyList());
  }

  @Override
  public void reregistered(SchedulerDriver driver, MasterInfo master) {
    System.out.println("reregistered");
  }

  @Override
  public synchronized void resourceOffers(SchedulerDriver driver, List<Offer> offers) {
    if (fail) {
      throw new IllegalStateException("this scheduler fails on purpose");
    }
    for (Offer offer : offers) {
      List<TaskInfo> batch = new ArrayList<>();
      double cpus = cpus(offer) - 0.1 * executors.size();
      while (launched < tasks && cpus >= 0.1) {
        int i = launched++;
        batch.add(TaskInfo.newBuilder()
            .setName("task " + i)
            .setTaskId(TaskID.newBuilder().setValue("task-" + i))
            .setSlaveId(offer.getSlaveId())
            .addResources(scalar("cpus", 0.1)).addResources(scalar("mem", 16))
            .setExecutor(executors.get(i % executors.size()))
            .setData(ByteString.copyFromUtf8("task-" + i))
            .build());
        cpus -= 0.1;
      }
      List<OfferID> ids = Collections.singletonList(offer.getId());
      if (batch.isEmpty()) {
        driver.declineOffer(offer.getId(), Filters.newBuilder().setRefuseSeconds(1).build());
      } else {
        System.out.println("launching " + batch.size() + " tasks on " + offer.getHostname());
        driver.launchTasks(ids, batch, Filters.newBuilder().setRefuseSeconds(1).build());
      }
    }
  }

  private static double cpus(Offer offer) {
    double cpus = 0;
    for (Resource r : offer.getResourcesList()) {
      if (r.getName().equals("cpus")) {
        cpus += r.getScalar().getValue();
      }
    }
    return cpus;
  }

  @Override
  public void offerRescinded(SchedulerDriver driver, OfferID offerId) {
  }

  @Override
  public synchronized void statusUpdate(SchedulerDriver driver, TaskStatus status) {
    String task = status.getTaskId().getValue();
    System.out.println("task " + task + " " + status.getState() + " on " + status.getExecutorId().getValue());
    if (status.getState() == TaskState.TASK_FINISHED) {
      if (!status.getData().toStringUtf8().equals("done:" + task)) {
        wrong = true;
        System.out.println("task " + task + " finished with wrong data " + status.getData().toStringUtf8());
      }
      finished++;
    } else if (status.getState() != TaskState.TASK_RUNNING && status.getState() != TaskState.TASK_STARTING) {
      wrong = true;
    }
    driver.acknowledgeStatusUpdate(status);
    stopWhenDone(driver);
  }

  @Override
  public synchronized void frameworkMessage(SchedulerDriver driver, ExecutorID executor, SlaveID agent,
      byte[] data) {
    messages++;
    System.out.println("message " + new String(data, StandardCharsets.UTF_8));
    stopWhenDone(driver);
  }

  private void stopWhenDone(SchedulerDriver driver) {
    if (finished == tasks && messages == tasks) {
      System.out.println("all " + tasks + " tasks finished");
      driver.stop();
    }
  }

  @Override
  public void disconnected(SchedulerDriver driver) {
    System.out.println("disconnected");
  }

  @Override
  public void slaveLost(SchedulerDriver driver, SlaveID agent) {
  }

  @Override
  public void executorLost(SchedulerDriver driver, ExecutorID executor, SlaveID agent, int status) {
    System.out.println("executor " + executor.getValue() + " exited " + status);
  }

  @Override
  public void error(SchedulerDriver driver, String message) {
    System.out.println("error " + message);
  }

  /** Keeps the framework id in ZooKeeper through {@link State}, as Marathon and Chronos do. */
  private static void remember(String servers, FrameworkID id) throws Exception {
    State state = new ZooKeeperState(servers, 10, TimeUnit.SECONDS, "/dropin/state");
    Variable empty = state.fetch("framework_id").get(10, TimeUnit.SECONDS);
    Variable stored = state.store(empty.mutate(id.toByteArray())).get(10, TimeUnit.SECONDS);
    Variable read = state.fetch("framework_id").get(10, TimeUnit.SECONDS);
    Variable stale = state.store(empty.mutate(new byte[] {1})).get(10, TimeUnit.SECONDS);
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = state.names().get(10, TimeUnit.SECONDS); it.hasNext(); ) {
      names.add(it.next());
    }
    System.out.println("state stored " + (stored != null) + " read "
        + FrameworkID.parseFrom(read.value()).getValue() + " stale store " + (stale == null ? "refused" : "accepted")
        + " names " + names);
  }

  public static void main(String[] args) throws Exception {
    org.apache.mesos.MesosNativeLibrary.load();
    boolean fail = false;
    String zk = null;
    for (int i = 4; i < args.length; i++) {
      if (args[i].equals("--throw")) {
        fail = true;
      } else if (args[i].equals("--zk")) {
        zk = args[++i];
      }
    }
    V0Framework scheduler = new V0Framework(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), fail);
    FrameworkInfo framework = FrameworkInfo.newBuilder().setUser("").setName("drop-in v0 framework")
        .setPrincipal("dropin").build();
    MesosSchedulerDriver driver = new MesosSchedulerDriver(scheduler, framework, args[0], false);
    Status status = driver.run();
    System.out.println("driver status " + status);
    if (zk != null && scheduler.frameworkId != null) {
      remember(zk, scheduler.frameworkId);
    }
    boolean ok;
    synchronized (scheduler) {
      ok = status == Status.DRIVER_STOPPED && !scheduler.wrong && scheduler.finished == scheduler.tasks;
    }
    System.exit(ok ? 0 : 1);
  }
}
