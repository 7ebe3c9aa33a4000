package example.framework;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.mesos.MesosSchedulerDriver;
import org.apache.mesos.Protos.CommandInfo;
import org.apache.mesos.Protos.ExecutorID;
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
 * Framework code as people write it against the Mesos jar: it imports {@code org.apache.mesos} only, and
 * uses the public constructors, the deprecated overloads and the blocking {@code run()}. It launches one
 * command task on the first offer, declines the rest, and stops the driver once the task has finished.
 */
public final class PlainFramework implements Scheduler {
  private final List<String> events = Collections.synchronizedList(new ArrayList<String>());
  private boolean launched;

  /** Runs the framework against {@code master} until it stops; returns the final driver status. */
  public static Status run(PlainFramework framework, String master) {
    FrameworkInfo info = FrameworkInfo.newBuilder()
        .setUser("")
        .setName("plain framework (Java)")
        .setFailoverTimeout(60)
        .build();
    SchedulerDriver driver = new MesosSchedulerDriver(framework, info, master);
    return driver.run();
  }

  public List<String> events() {
    return events;
  }

  @Override
  public void registered(SchedulerDriver driver, FrameworkID frameworkId, MasterInfo masterInfo) {
    events.add("registered " + frameworkId.getValue());
  }

  @Override
  public void reregistered(SchedulerDriver driver, MasterInfo masterInfo) {
    events.add("reregistered");
  }

  @Override
  public void resourceOffers(SchedulerDriver driver, List<Offer> offers) {
    for (Offer offer : offers) {
      if (launched) {
        driver.declineOffer(offer.getId());
        continue;
      }
      launched = true;
      TaskInfo task = TaskInfo.newBuilder()
          .setName("hello")
          .setTaskId(TaskID.newBuilder().setValue("hello-1"))
          .setSlaveId(offer.getSlaveId())
          .addResources(Resource.newBuilder().setName("cpus").setType(Value.Type.SCALAR)
              .setScalar(Value.Scalar.newBuilder().setValue(0.1)))
          .setCommand(CommandInfo.newBuilder().setValue("echo hello"))
          .build();
      OfferID offerId = offer.getId();
      driver.launchTasks(offerId, Collections.singletonList(task), Filters.newBuilder().setRefuseSeconds(1).build());
      events.add("launched on " + offerId.getValue());
    }
  }

  @Override
  public void offerRescinded(SchedulerDriver driver, OfferID offerId) {
    events.add("rescinded " + offerId.getValue());
  }

  @Override
  public void statusUpdate(SchedulerDriver driver, TaskStatus status) {
    events.add(status.getTaskId().getValue() + " " + status.getState());
    if (status.getState() == TaskState.TASK_FINISHED) {
      driver.stop();
    }
  }

  @Override
  public void frameworkMessage(SchedulerDriver driver, ExecutorID executorId, SlaveID slaveId, byte[] data) {
    events.add("message");
  }

  @Override
  public void disconnected(SchedulerDriver driver) {
    events.add("disconnected");
  }

  @Override
  public void slaveLost(SchedulerDriver driver, SlaveID slaveId) {
    events.add("agent lost " + slaveId.getValue());
  }

  @Override
  public void executorLost(SchedulerDriver driver, ExecutorID executorId, SlaveID slaveId, int status) {
    events.add("executor lost");
  }

  @Override
  public void error(SchedulerDriver driver, String message) {
    events.add("error " + message);
  }
}
