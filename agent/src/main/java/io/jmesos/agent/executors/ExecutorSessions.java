package io.jmesos.agent.executors;

import com.google.protobuf.ByteString;
import io.jmesos.internal.Messages.ExecutorToFrameworkMessage;
import io.jmesos.internal.Messages.StatusUpdate;
import io.jmesos.protocol.TaskStates;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.mesos.Protos.Task;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.executor.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What executors say over the executor API once their calls are valid, and what the agent sends them on their
 * event stream (Mesos' {@code Slave::subscribe}, {@code statusUpdate} from executors, {@code executorMessage}):
 * subscription and re-subscription (a recovered executor's unacknowledged tasks and updates), launches delivered
 * on LAUNCH and LAUNCH_GROUP, status updates handed to the task book, framework messages, heartbeats.
 *
 * <p>Not thread-safe: every method runs on the agent's actor.
 */
final class ExecutorSessions {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorSessions.class);

  private final ExecutorManager manager;
  private final AgentContext ctx;

  ExecutorSessions(ExecutorManager manager) {
    this.manager = manager;
    this.ctx = manager.ctx;
  }

  void subscribe(ExecutorState ex, ExecutorChannel channel) {
    subscribe(ex, channel, org.apache.mesos.executor.Protos.Call.Subscribe.getDefaultInstance());
  }

  /**
   * SUBSCRIBE from an executor; a recovered executor re-subscribing after the agent restarted also brings the
   * tasks and updates it has not seen acknowledged: tasks the agent does not know (it died before checkpointing
   * them) are added as launched, and the updates go through the status update manager, which drops those it
   * checkpointed already (Mesos' {@code Slave::subscribe}).
   */
  void subscribe(ExecutorState ex, ExecutorChannel channel,
      org.apache.mesos.executor.Protos.Call.Subscribe subscribe) {
    manager.starts.done(ex);
    if (ex.state() == ExecutorState.State.TERMINATING || ex.state() == ExecutorState.State.TERMINATED) {
      LOG.info("Shutting down {}: it subscribed while terminating", ex);
      channel.send(Event.newBuilder().setType(Event.Type.SHUTDOWN).build());
      channel.close();
      return;
    }
    if (ex.channel != null && ex.channel != channel) {
      ex.channel.close();
    }
    ex.channel = channel;
    channel.onSlowConsumer(backlog -> slowConsumer(ex, backlog));
    boolean resubscribed = ex.recovered && ex.state() == ExecutorState.State.REGISTERING;
    if (ex.state() == ExecutorState.State.REGISTERING) {
      ex.transition(ExecutorState.State.RUNNING);
      ExecutorManager.cancel(ex.registrationTimer);
    }
    FrameworkState fw = manager.frameworks.get(ex.frameworkId());
    if (resubscribed) {
      LOG.info("Recovered executor {} of framework {} re-subscribed with {} unacknowledged tasks and {} updates",
          ex.id().getValue(), ex.frameworkId().getValue(), subscribe.getUnacknowledgedTasksCount(),
          subscribe.getUnacknowledgedUpdatesCount());
      for (TaskInfo t : subscribe.getUnacknowledgedTasksList()) {
        if (!ex.hasTask(t.getTaskId()) && !ex.completed.stream().anyMatch(c -> c.getTaskId().equals(t.getTaskId()))) {
          Task task = manager.tasks.newTask(t, ex, TaskState.TASK_STAGING);
          manager.checkpoints.task(fw, ex, task);
          ex.launched.put(t.getTaskId(), task);
        }
      }
      for (org.apache.mesos.executor.Protos.Call.Update u : subscribe.getUnacknowledgedUpdatesList()) {
        update(ex, u.getStatus()).ifPresent(error -> LOG.warn("Dropping an unacknowledged update of {}: {}", ex,
            error));
      }
      ex.container().setResources(ex.allocated());
      if (manager.recoveryListener != null) {
        manager.recoveryListener.run();
      }
    } else {
      LOG.info("Executor {} of framework {} subscribed", ex.id().getValue(), ex.frameworkId().getValue());
    }
    channel.send(Event.newBuilder().setType(Event.Type.SUBSCRIBED)
        .setSubscribed(Event.Subscribed.newBuilder()
            .setExecutorInfo(ex.info())
            .setFrameworkInfo(fw.info())
            .setSlaveInfo(ctx.slaveInfo.get())
            .setContainerId(ex.container().id()))
        .build());
    List<PendingLaunch> queued = new ArrayList<>(ex.queued);
    ex.queued.clear();
    queued.forEach(p -> deliver(ex, p));
    scheduleHeartbeat(ex, channel);
  }

  /** The executor's stream was closed for leaving too much unread; its close is handled as any other. */
  private void slowConsumer(ExecutorState ex, long backlog) {
    ctx.metrics.slowExecutorSubscribersDisconnected++;
    LOG.warn("Closing the event stream of executor {} of framework {}: {} bytes of events not yet read, more "
        + "than an executor may leave unread (a slow consumer)", ex.id().getValue(), ex.frameworkId().getValue(),
        backlog);
  }

  void disconnected(ExecutorState ex, ExecutorChannel channel) {
    if (ex.channel == channel) {
      LOG.info("Executor {} of framework {} closed its event stream", ex.id().getValue(),
          ex.frameworkId().getValue());
      ex.channel = null;
      ExecutorManager.cancel(ex.heartbeatTimer);
    }
  }

  /** A valid UPDATE call from a subscribed executor; returns an error for an unknown task. */
  Optional<String> update(ExecutorState ex, TaskStatus status) {
    TaskID taskId = status.getTaskId();
    if (!ex.hasTask(taskId)) {
      return Optional.of("Task " + taskId.getValue() + " is unknown to executor " + ex.id().getValue());
    }
    if (manager.isTerminating(ex.frameworkId())) {
      // As Mesos: accepted, but nobody would acknowledge it.
      LOG.warn("Ignoring status update {} for task {}: framework {} is terminating", status.getState(),
          taskId.getValue(), ex.frameworkId().getValue());
      ctx.metrics.invalidStatusUpdates++;
      return Optional.empty();
    }
    double now = ctx.now();
    TaskStatus.Builder full = status.toBuilder()
        .setSource(TaskStatus.Source.SOURCE_EXECUTOR)
        .setSlaveId(ctx.slaveId())
        .setExecutorId(ex.id());
    if (!full.hasTimestamp()) {
      full.setTimestamp(now);
    }
    if (TaskStates.isTerminal(status.getState())) {
      // The executor may see its task die of the OOM killer before the watcher sees the OOM: ask now.
      if (ex.limitation == null && status.getState() != TaskState.TASK_FINISHED) {
        ctx.containerizer.checkLimitation(ex.container()).ifPresent(hit -> manager.launches.limited(ex, hit));
      }
      if (ex.limitation != null) {
        full.setState(TaskState.TASK_FAILED).setReason(ex.limitation.reason())
            .setMessage(ex.limitation.message()).setSource(TaskStatus.Source.SOURCE_SLAVE)
            .setLimitation(ex.limitation.toProto());
      }
    }
    StatusUpdate update = StatusUpdate.newBuilder()
        .setFrameworkId(ex.frameworkId())
        .setExecutorId(ex.id())
        .setSlaveId(ctx.slaveId())
        .setStatus(full)
        .setTimestamp(full.getTimestamp())
        .setUuid(status.getUuid())
        .build();
    ctx.metrics.validStatusUpdates++;
    LOG.info("Status update {} for task {} of framework {} from executor", status.getState(),
        taskId.getValue(), ex.frameworkId().getValue());
    manager.tasks.record(ex, update);
    return Optional.empty();
  }

  void executorMessage(ExecutorState ex, ByteString data) {
    ctx.toMaster.accept(ExecutorToFrameworkMessage.newBuilder()
        .setSlaveId(ctx.slaveId()).setFrameworkId(ex.frameworkId()).setExecutorId(ex.id()).setData(data).build());
  }

  void deliver(ExecutorState ex, PendingLaunch launch) {
    for (TaskInfo t : launch.tasks().getTasksList()) {
      ex.launched.put(t.getTaskId(), manager.tasks.newTask(t, ex, TaskState.TASK_STAGING));
    }
    ex.container().setResources(ex.allocated());
    if (launch.group()) {
      ex.send(Event.newBuilder().setType(Event.Type.LAUNCH_GROUP)
          .setLaunchGroup(Event.LaunchGroup.newBuilder().setTaskGroup(launch.tasks())).build());
    } else {
      ex.send(Event.newBuilder().setType(Event.Type.LAUNCH)
          .setLaunch(Event.Launch.newBuilder().setTask(launch.tasks().getTasks(0))).build());
    }
  }

  private void scheduleHeartbeat(ExecutorState ex, ExecutorChannel channel) {
    ExecutorManager.cancel(ex.heartbeatTimer);
    ex.heartbeatTimer = ctx.actor.delay(ExecutorManager.HEARTBEAT_INTERVAL, () -> {
      if (ex.channel == channel && channel.isOpen()) {
        channel.send(Event.newBuilder().setType(Event.Type.HEARTBEAT).build());
        scheduleHeartbeat(ex, channel);
      }
    });
  }
}
