package example.framework;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Credential;
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
 * A v1 framework as people write it against the Mesos jar, with the API surface of Mesos' own
 * {@code V1TestFramework} example: it imports {@code org.apache.mesos.v1} only, picks {@link V1Mesos} or
 * {@link V0Mesos} with their public constructors (with or without a {@link Credential}), subscribes reliably (again
 * every half second from {@code connected} until SUBSCRIBED), launches one-cpu command tasks on offers, declines
 * what it does not need, acknowledges updates, and tears itself down once every task has finished.
 */
public final class V1PlainFramework implements Scheduler {
  private final FrameworkInfo framework;
  private final int totalTasks;
  private final List<String> events = Collections.synchronizedList(new ArrayList<String>());
  private final CompletableFuture<Void> finished = new CompletableFuture<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "v1-plain-framework-retry");
    t.setDaemon(true);
    return t;
  });
  private Mesos mesos;
  private ScheduledFuture<?> retry;
  private FrameworkID frameworkId;
  private int launched;
  private int done;

  private V1PlainFramework(FrameworkInfo framework, int totalTasks) {
    this.framework = framework;
    this.totalTasks = totalTasks;
  }

  /** Starts the framework with the library of {@code version} (0 or 1); returns at once. */
  public static V1PlainFramework start(String master, int version, Credential credential, int tasks) {
    FrameworkInfo.Builder info = FrameworkInfo.newBuilder()
        .setUser(System.getProperty("user.name", "nobody"))
        .setName("V" + version + " plain framework (Java)");
    if (credential != null) {
      info.setPrincipal(credential.getPrincipal());
    }
    V1PlainFramework scheduler = new V1PlainFramework(info.build(), tasks);
    Mesos mesos;
    if (credential != null) {
      mesos = version == 1 ? new V1Mesos(scheduler, master, credential)
          : new V0Mesos(scheduler, info.build(), master, credential);
    } else {
      mesos = version == 1 ? new V1Mesos(scheduler, master) : new V0Mesos(scheduler, info.build(), master);
    }
    synchronized (scheduler) {
      scheduler.mesos = mesos;
    }
    return scheduler;
  }

  public synchronized Mesos mesos() {
    return mesos;
  }

  /** Completes once every task has finished and TEARDOWN is sent; fails on an ERROR event. */
  public CompletableFuture<Void> finished() {
    return finished;
  }

  public List<String> events() {
    synchronized (events) {
      return new ArrayList<>(events);
    }
  }

  @Override
  public synchronized void connected(Mesos m) {
    events.add("connected");
    cancelRetry();
    retry = timer.scheduleAtFixedRate(() -> subscribe(m), 0, 500, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void disconnected(Mesos m) {
    events.add("disconnected");
    cancelRetry();
  }

  @Override
  public synchronized void received(Mesos m, Event event) {
    switch (event.getType()) {
      case SUBSCRIBED:
        cancelRetry();
        frameworkId = event.getSubscribed().getFrameworkId();
        events.add("subscribed " + frameworkId.getValue());
        break;
      case OFFERS:
        for (Offer offer : event.getOffers().getOffersList()) {
          offer(m, offer);
        }
        break;
      case UPDATE:
        update(m, event.getUpdate().getStatus());
        break;
      case ERROR:
        events.add("error " + event.getError().getMessage());
        finished.completeExceptionally(new IllegalStateException(event.getError().getMessage()));
        break;
      case HEARTBEAT:
        break;
      default:
        events.add(event.getType().toString());
        break;
    }
  }

  private synchronized void subscribe(Mesos m) {
    if (frameworkId != null) {
      return;
    }
    m.send(Call.newBuilder().setType(Call.Type.SUBSCRIBE)
        .setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(framework)).build());
  }

  private void cancelRetry() {
    if (retry != null) {
      retry.cancel(false);
      retry = null;
    }
  }

  private void offer(Mesos m, Offer offer) {
    double cpus = 0;
    for (Resource r : offer.getResourcesList()) {
      if (r.getName().equals("cpus")) {
        cpus += r.getScalar().getValue();
      }
    }
    Offer.Operation.Launch.Builder launch = Offer.Operation.Launch.newBuilder();
    while (launched < totalTasks && cpus >= 1) {
      String id = "task-" + launched++;
      cpus -= 1;
      launch.addTaskInfos(TaskInfo.newBuilder()
          .setName(id)
          .setTaskId(TaskID.newBuilder().setValue(id))
          .setAgentId(offer.getAgentId())
          .addResources(Resource.newBuilder().setName("cpus").setType(Value.Type.SCALAR)
              .setScalar(Value.Scalar.newBuilder().setValue(1)))
          .setCommand(CommandInfo.newBuilder().setValue("echo " + id)));
    }
    if (launch.getTaskInfosCount() == 0) {
      events.add("declined " + offer.getId().getValue());
      m.send(Call.newBuilder().setType(Call.Type.DECLINE).setFrameworkId(frameworkId)
          .setDecline(Call.Decline.newBuilder().addOfferIds(offer.getId())).build());
      return;
    }
    events.add("launched " + launch.getTaskInfosCount() + " on " + offer.getId().getValue());
    m.send(Call.newBuilder().setType(Call.Type.ACCEPT).setFrameworkId(frameworkId)
        .setAccept(Call.Accept.newBuilder()
            .addOfferIds(offer.getId())
            .addOperations(Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH).setLaunch(launch))
            .setFilters(Filters.newBuilder().setRefuseSeconds(1)))
        .build());
  }

  private void update(Mesos m, TaskStatus status) {
    events.add(status.getTaskId().getValue() + " " + status.getState());
    if (status.hasUuid()) {
      m.send(Call.newBuilder().setType(Call.Type.ACKNOWLEDGE).setFrameworkId(frameworkId)
          .setAcknowledge(Call.Acknowledge.newBuilder().setAgentId(status.getAgentId())
              .setTaskId(status.getTaskId()).setUuid(status.getUuid()))
          .build());
    }
    if (status.getState() == TaskState.TASK_FINISHED && ++done == totalTasks) {
      m.send(Call.newBuilder().setType(Call.Type.TEARDOWN).setFrameworkId(frameworkId).build());
      timer.shutdownNow();
      finished.complete(null);
    }
  }
}
