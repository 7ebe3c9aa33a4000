package dropin;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.scheduler.Mesos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.apache.mesos.v1.scheduler.Scheduler;
import org.apache.mesos.v1.scheduler.V0Mesos;
import org.apache.mesos.v1.scheduler.V1Mesos;

/**
 * A framework on Mesos' v1 Java API, written only against {@code org.apache.mesos}: it subscribes when
 * connected, runs {@code tasks} command tasks one per offer, acknowledges every update, then tears itself down.
 * Usage: {@code V1Framework <master> <V1|V0> <tasks>}: {@code V1} runs it on {@link V1Mesos} (the v1 HTTP API),
 * {@code V0} on {@link V0Mesos} (the v0 driver underneath).
 */
public final class V1Framework implements Scheduler {
  private final FrameworkInfo framework;
  private final int tasks;
  private final CountDownLatch done = new CountDownLatch(1);
  private FrameworkID frameworkId;
  private int launched;
  private int finished;
  private boolean wrong;

  V1Framework(FrameworkInfo framework, int tasks) {
    this.framework = framework;
    this.tasks = tasks;
  }

  @Override
  public void connected(Mesos mesos) {
    System.out.println("connected");
    mesos.send(Call.newBuilder().setType(Call.Type.SUBSCRIBE)
        .setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(framework)).build());
  }

  @Override
  public void disconnected(Mesos mesos) {
    System.out.println("disconnected");
  }

  @Override
  public synchronized void received(Mesos mesos, Event event) {
    switch (event.getType()) {
      case SUBSCRIBED:
        frameworkId = event.getSubscribed().getFrameworkId();
        System.out.println("subscribed " + frameworkId.getValue());
        break;
      case OFFERS:
        for (Offer offer : event.getOffers().getOffersList()) {
          offer(mesos, offer);
        }
        break;
      case UPDATE:
        update(mesos, event.getUpdate().getStatus());
        break;
      case ERROR:
        System.out.println("error " + event.getError().getMessage());
        wrong = true;
        done.countDown();
        break;
      default:
        System.out.println("event " + event.getType());
    }
  }

  private void offer(Mesos mesos, Offer offer) {
    Call.Builder call = Call.newBuilder().setFrameworkId(frameworkId);
    if (launched >= tasks) {
      mesos.send(call.setType(Call.Type.DECLINE).setDecline(Call.Decline.newBuilder().addOfferIds(offer.getId())
          .setFilters(Filters.newBuilder().setRefuseSeconds(1))).build());
      return;
    }
    int i = launched++;
    TaskInfo task = TaskInfo.newBuilder()
        .setName("v1 task " + i)
        .setTaskId(TaskID.newBuilder().setValue("v1-task-" + i))
        .setAgentId(offer.getAgentId())
        .addResources(scalar("cpus", 0.1)).addResources(scalar("mem", 32))
        .setCommand(CommandInfo.newBuilder().setValue("echo v1 task " + i))
        .build();
    System.out.println("launching " + task.getTaskId().getValue() + " on " + offer.getHostname());
    mesos.send(call.setType(Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder().addOfferIds(offer.getId())
        .addOperations(Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH)
            .setLaunch(Offer.Operation.Launch.newBuilder().addTaskInfos(task)))
        .setFilters(Filters.newBuilder().setRefuseSeconds(1))).build());
  }

  private void update(Mesos mesos, TaskStatus status) {
    System.out.println("task " + status.getTaskId().getValue() + " " + status.getState());
    if (status.hasUuid()) {
      AgentID agent = status.getAgentId();
      mesos.send(Call.newBuilder().setFrameworkId(frameworkId).setType(Call.Type.ACKNOWLEDGE)
          .setAcknowledge(Call.Acknowledge.newBuilder().setAgentId(agent).setTaskId(status.getTaskId())
              .setUuid(status.getUuid())).build());
    }
    if (status.getState() == TaskState.TASK_FINISHED) {
      finished++;
    } else if (status.getState() != TaskState.TASK_RUNNING && status.getState() != TaskState.TASK_STARTING) {
      wrong = true;
    }
    if (finished == tasks) {
      System.out.println("all " + tasks + " tasks finished");
      mesos.send(Call.newBuilder().setFrameworkId(frameworkId).setType(Call.Type.TEARDOWN).build());
      done.countDown();
    }
  }

  private static Resource scalar(String name, double value) {
    return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
        .setScalar(Value.Scalar.newBuilder().setValue(value)).build();
  }

  public static void main(String[] args) throws Exception {
    FrameworkInfo framework = FrameworkInfo.newBuilder().setUser("").setName("drop-in v1 framework ("
        + args[1] + ")").build();
    V1Framework scheduler = new V1Framework(framework, Integer.parseInt(args[2]));
    Mesos mesos = args[1].equals("V0") ? new V0Mesos(scheduler, framework, args[0])
        : new V1Mesos(scheduler, args[0]);
    boolean completed = scheduler.done.await(90, TimeUnit.SECONDS);
    boolean ok;
    synchronized (scheduler) {
      ok = completed && !scheduler.wrong && scheduler.finished == scheduler.tasks;
    }
    System.out.println("exiting " + (ok ? 0 : 1) + " (" + mesos.getClass().getSimpleName() + ")");
    System.exit(ok ? 0 : 1);
  }
}
