package io.jmesos.agent.executors;

import io.jmesos.agent.containers.Container;
import io.jmesos.agent.containers.Launcher.Signal;
import io.jmesos.internal.Messages.FrameworkToExecutorMessage;
import io.jmesos.internal.Messages.KillTaskMessage;
import io.jmesos.internal.Messages.RunTaskGroupMessage;
import io.jmesos.internal.Messages.RunTaskMessage;
import io.jmesos.internal.Messages.StatusUpdate;
import io.jmesos.internal.Messages.StatusUpdateAcknowledgementMessage;
import io.jmesos.internal.Messages.UpdateFrameworkMessage;
import io.jmesos.protocol.TaskStates;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.mesos.Protos.ContainerID;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.ExecutorInfo;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.Task;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.executor.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's frameworks, executors and tasks, and what the master asks of them: run tasks (starting an
 * executor's container when needed), kill tasks, shut executors and frameworks down, relay framework
 * messages and acknowledgements; and what the executors' lives do to them: subscription, status updates,
 * registration timeouts and exits. Executor API calls enter through {@link ExecutorCalls}.
 *
 * <p>Not thread-safe: every method runs on the agent's actor. Container launches and process waits run on
 * the context's blocking pool and re-enter the actor with their result.
 */
public final class ExecutorManager {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorManager.class);
  static final int MAX_COMPLETED_FRAMEWORKS = 50;
  /** How often subscribed executors hear a HEARTBEAT event. */
  static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(30);
  /** How long a command executor may hold a {@link StartGate} slot before it subscribes. */
  static final Duration START_ALLOWANCE = Duration.ofSeconds(10);

  final AgentContext ctx;
  final TaskBook tasks;
  final Checkpointer checkpoints;
  final Terminations terminations;
  final Map<FrameworkID, FrameworkState> frameworks = new LinkedHashMap<>();
  final ArrayDeque<FrameworkState> completedFrameworks = new ArrayDeque<>();
  final StartGate starts = new StartGate(StartGate.defaultMax());
  /** How the embedded command executors make their calls: the way HTTP executors' calls are applied. */
  private final ExecutorCalls calls;
  /** How executors end and are completed. */
  final ExecutorExits exits;
  /** What subscribed executors say and are told. */
  final ExecutorSessions sessions;
  /** How executors' containers are started and followed. */
  final ExecutorLaunches launches;
  /** The containers nested in executors' containers. */
  final NestedContainers nested;
  /** DrainSlaveMessage. */
  public final AgentDrain drain;

  public ExecutorManager(AgentContext ctx) {
    this.ctx = ctx;
    this.checkpoints = new Checkpointer(ctx, ctx.checkpoint);
    this.tasks = new TaskBook(ctx, (ex, taskId) -> checkpoints.streamLog(frameworks.get(ex.frameworkId()), ex, taskId));
    this.terminations = new Terminations(ctx);
    this.calls = new ExecutorCalls(this);
    this.sessions = new ExecutorSessions(this);
    this.exits = new ExecutorExits(this);
    this.launches = new ExecutorLaunches(this, calls);
    this.nested = new NestedContainers(this);
    this.drain = new AgentDrain(this);
    this.tasks.drain = drain;
  }

  // ---- Views (for /state, metrics and re-registration).

  public Collection<FrameworkState> frameworks() {
    return frameworks.values();
  }

  public Collection<FrameworkState> completedFrameworks() {
    return completedFrameworks;
  }

  /**
   * Every task the agent knows that is not completed, as re-registration reports them: launched ones with their
   * status-update state (Mesos' {@code status_update_state}/{@code status_update_uuid}: the update at the head of
   * the task's status update stream, i.e. the one the master last saw or will see next, or the latest state once
   * every update is acknowledged), then queued ones in TASK_STAGING.
   */
  public List<Task> tasks() {
    List<Task> all = new ArrayList<>();
    for (FrameworkState fw : frameworks.values()) {
      for (ExecutorState ex : fw.executors()) {
        for (Task task : ex.launchedTasks()) {
          List<io.jmesos.internal.Messages.StatusUpdate> pending = ctx.updates.pending(fw.id(), task.getTaskId());
          Task.Builder reported = task.toBuilder().setStatusUpdateState(task.getState());
          if (!pending.isEmpty()) {
            reported.setStatusUpdateState(pending.get(0).getStatus().getState())
                .setStatusUpdateUuid(pending.get(0).getUuid());
          }
          all.add(reported.build());
        }
        for (TaskInfo t : ex.queuedTasks()) {
          all.add(tasks.newTask(t, ex, TaskState.TASK_STAGING));
        }
      }
    }
    return all;
  }

  /** A task still queued for its executor as Mesos reports it: a Task in TASK_STAGING. */
  public Task queuedTask(ExecutorState executor, TaskInfo task) {
    return tasks.newTask(task, executor, TaskState.TASK_STAGING);
  }

  /** Executors a framework asked for (not those made up for command tasks) that are still alive. */
  public List<ExecutorInfo> executorInfos() {
    List<ExecutorInfo> infos = new ArrayList<>();
    for (FrameworkState fw : frameworks.values()) {
      for (ExecutorState ex : fw.executors()) {
        if (!ex.isCommandExecutor() && ex.state() != ExecutorState.State.TERMINATED) {
          infos.add(ex.info());
        }
      }
    }
    return infos;
  }

  public List<FrameworkInfo> frameworkInfos() {
    List<FrameworkInfo> infos = new ArrayList<>();
    frameworks.values().forEach(fw -> infos.add(fw.info()));
    return infos;
  }

  public ExecutorState executor(FrameworkID frameworkId, ExecutorID executorId) {
    FrameworkState fw = frameworks.get(frameworkId);
    return fw == null ? null : fw.executors.get(executorId);
  }

  /** Whether the agent knows the task (queued, launched or terminated but not yet acknowledged). */
  public boolean hasTask(FrameworkID frameworkId, TaskID taskId) {
    return executorOfTask(frameworkId, taskId) != null;
  }

  public boolean hasFramework(FrameworkID frameworkId) {
    return frameworks.containsKey(frameworkId);
  }

  /** Told (on the actor) whenever a recovered executor re-subscribes or terminates. */
  Runnable recoveryListener;

  public void onRecoveryProgress(Runnable listener) {
    this.recoveryListener = listener;
  }

  /** Whether a recovered executor is still expected to re-subscribe. */
  public boolean awaitingReregistration() {
    for (FrameworkState fw : frameworks.values()) {
      for (ExecutorState ex : fw.executors()) {
        if (ex.recovered && ex.state() == ExecutorState.State.REGISTERING) {
          return true;
        }
      }
    }
    return false;
  }

  /** The containers nested in executors' containers (the operator API's nested container calls). */
  public NestedContainers nestedContainers() {
    return nested;
  }

  // ---- Master messages.

  public void runTask(RunTaskMessage message) {
    TaskInfo task = message.getTask();
    FrameworkInfo info = message.getFramework().toBuilder().setId(message.getFrameworkId()).build();
    boolean command = !task.hasExecutor();
    ExecutorInfo executor = command
        ? CommandExecutors.executorFor(task, message.getFrameworkId(), ctx.commandExecutorCommand)
        : task.getExecutor().toBuilder().setFrameworkId(message.getFrameworkId()).build();
    LOG.info("Got assigned task {} for framework {}", task.getTaskId().getValue(),
        message.getFrameworkId().getValue());
    launches.launch(info, executor, command, PendingLaunch.task(task));
  }

  public void runTaskGroup(RunTaskGroupMessage message) {
    FrameworkInfo info = message.getFramework();
    ExecutorInfo executor = message.getExecutor().toBuilder().setFrameworkId(info.getId()).build();
    LOG.info("Got assigned task group of {} tasks for executor {} of framework {}",
        message.getTaskGroup().getTasksCount(), executor.getExecutorId().getValue(), info.getId().getValue());
    launches.launch(info, executor, false, PendingLaunch.group(message.getTaskGroup()));
  }

  public void killTask(KillTaskMessage message) {
    FrameworkID frameworkId = message.getFrameworkId();
    TaskID taskId = message.getTaskId();
    ExecutorState ex = executorOfTask(frameworkId, taskId);
    if (ex == null) {
      LOG.warn("Cannot kill task {} of framework {}: no such task", taskId.getValue(), frameworkId.getValue());
      return;
    }
    if (isTerminating(frameworkId)) {
      LOG.warn("Ignoring kill of task {}: framework {} is terminating", taskId.getValue(), frameworkId.getValue());
      return;
    }
    LOG.info("Asked to kill task {} of framework {}", taskId.getValue(), frameworkId.getValue());
    if (ex.queuedTask(taskId) != null) {
      tasks.agentStatus(ex, taskId, TaskState.TASK_KILLED, TaskStatus.Reason.REASON_TASK_KILLED_DURING_LAUNCH,
          "Killed before delivery to the executor");
      if (ex.state() == ExecutorState.State.REGISTERING && ex.queued.isEmpty() && ex.launched.isEmpty()) {
        LOG.info("Destroying {}: no tasks left to run", ex);
        terminations.destroy(ex);
        launches.endIfNeverStarted(ex);
      }
      return;
    }
    Task task = ex.launched.get(taskId);
    if (task == null) {
      LOG.info("Task {} of framework {} is already terminal", taskId.getValue(), frameworkId.getValue());
      return;
    }
    ex.killRequested.add(taskId);
    if (ex.state() == ExecutorState.State.RUNNING) {
      Event.Kill.Builder kill = Event.Kill.newBuilder().setTaskId(taskId);
      if (message.hasKillPolicy()) {
        kill.setKillPolicy(message.getKillPolicy());
      } else if (task.hasKillPolicy()) {
        kill.setKillPolicy(task.getKillPolicy());
      }
      ex.send(Event.newBuilder().setType(Event.Type.KILL).setKill(kill).build());
    }
  }

  /** Mesos' {@code Slave::updateFramework}: the master's current FrameworkInfo of a framework running here. */
  public void updateFramework(UpdateFrameworkMessage message) {
    FrameworkState fw = frameworks.get(message.getFrameworkId());
    if (fw == null) {
      LOG.info("Ignoring info update for framework {} because it does not exist",
          message.getFrameworkId().getValue());
      return;
    }
    if (fw.state() == FrameworkState.State.TERMINATING) {
      LOG.warn("Ignoring info update for framework {} because it is terminating", fw.id().getValue());
      return;
    }
    if (message.hasFrameworkInfo()) {
      LOG.info("Updating info for framework {}", fw.id().getValue());
      fw.updateInfo(message.getFrameworkInfo());
    }
  }

  public void shutdownFramework(FrameworkID frameworkId) {
    FrameworkState fw = frameworks.get(frameworkId);
    if (fw == null) {
      LOG.warn("Cannot shut down unknown framework {}", frameworkId.getValue());
      return;
    }
    if (fw.state() == FrameworkState.State.TERMINATING) {
      LOG.warn("Ignoring shutdown of framework {}: it is terminating", frameworkId.getValue());
      return;
    }
    LOG.info("Shutting down framework {}", frameworkId.getValue());
    fw.terminate();
    // Nobody acknowledges the updates of a framework that is gone: stop retrying them now (Mesos'
    // executorTerminated relies on the same, and its removeFramework cleans up the streams again).
    ctx.updates.cleanup(frameworkId);
    for (ExecutorState ex : new ArrayList<>(fw.executors())) {
      if (ex.state() == ExecutorState.State.TERMINATED) {
        // Terminated but waiting for acknowledgements that will never come.
        exits.completeExecutor(fw, ex);
      } else {
        terminations.shutdown(ex);
        launches.endIfNeverStarted(ex);
      }
    }
    exits.maybeRemove(fw);
  }

  public void shutdownExecutor(FrameworkID frameworkId, ExecutorID executorId) {
    ExecutorState ex = executor(frameworkId, executorId);
    if (ex == null) {
      LOG.warn("Cannot shut down unknown executor {} of framework {}", executorId.getValue(),
          frameworkId.getValue());
      return;
    }
    if (isTerminating(frameworkId)) {
      LOG.warn("Ignoring shutdown of {}: the framework is terminating", ex);
      return;
    }
    terminations.shutdown(ex);
    launches.endIfNeverStarted(ex);
  }

  /**
   * The operator's KILL_CONTAINER on an executor's container: SIGKILL destroys it (its tasks end as when an
   * executor dies), SIGTERM is sent to its processes. False when no live executor runs in {@code containerId}.
   */
  public boolean killContainer(ContainerID containerId, Signal signal) {
    for (FrameworkState fw : frameworks.values()) {
      for (ExecutorState ex : fw.executors()) {
        if (ex.state() != ExecutorState.State.TERMINATED && ex.container().id().equals(containerId)) {
          LOG.info("Sending SIG{} to container {} of {} (KILL_CONTAINER)", signal, containerId.getValue(), ex);
          if (signal == Signal.KILL) {
            terminations.destroy(ex);
          } else if (ex.container().process() != null) {
            ex.container().process().kill(signal);
          }
          return true;
        }
      }
    }
    return false;
  }

  public void frameworkMessage(FrameworkToExecutorMessage message) {
    ExecutorState ex = executor(message.getFrameworkId(), message.getExecutorId());
    if (ex == null || ex.state() != ExecutorState.State.RUNNING) {
      LOG.warn("Dropping message for executor {} of framework {}: not running", message.getExecutorId().getValue(),
          message.getFrameworkId().getValue());
      ctx.metrics.invalidFrameworkMessages++;
      return;
    }
    ctx.metrics.validFrameworkMessages++;
    ex.send(Event.newBuilder().setType(Event.Type.MESSAGE)
        .setMessage(Event.Message.newBuilder().setData(message.getData())).build());
  }

  public void acknowledgement(StatusUpdateAcknowledgementMessage message) {
    Optional<StatusUpdate> acked =
        ctx.updates.acknowledge(message.getFrameworkId(), message.getTaskId(), message.getUuid());
    if (acked.isEmpty()) {
      return;
    }
    ExecutorState ex = executorOfTask(message.getFrameworkId(), message.getTaskId());
    if (ex == null) {
      return;
    }
    TaskStatus status = acked.get().getStatus();
    // A terminated executor has no stream left to hear it (an embedded one exits with its task).
    if (status.getSource() == TaskStatus.Source.SOURCE_EXECUTOR && ex.state() != ExecutorState.State.TERMINATED) {
      ex.send(Event.newBuilder().setType(Event.Type.ACKNOWLEDGED)
          .setAcknowledged(Event.Acknowledged.newBuilder().setTaskId(message.getTaskId())
              .setUuid(message.getUuid())).build());
    }
    if (TaskStates.isTerminal(status.getState())) {
      Task task = ex.terminated.remove(message.getTaskId());
      if (task != null) {
        ex.complete(task);
      }
    }
    exits.maybeComplete(ex);
  }

  /** Kills the containers of frameworks that do not checkpoint: a restarted agent would not recover them. */
  public void destroyUnrecoverable() {
    for (FrameworkState fw : frameworks.values()) {
      if (!Checkpointer.checkpoints(fw)) {
        for (ExecutorState ex : fw.executors()) {
          ex.container().markDestroying();
          if (ex.container().process() != null) {
            ex.container().process().kill(Signal.KILL);
          }
        }
      }
    }
  }

  /** Kills every container now; used when the agent stops. */
  public void destroyAll() {
    nested.killAll();
    for (FrameworkState fw : frameworks.values()) {
      for (ExecutorState ex : fw.executors()) {
        ex.container().markDestroying();
        if (ex.container().process() != null) {
          ex.container().process().kill(Signal.KILL);
        }
      }
    }
  }

  boolean isTerminating(FrameworkID frameworkId) {
    FrameworkState fw = frameworks.get(frameworkId);
    return fw != null && fw.state() == FrameworkState.State.TERMINATING;
  }

  private ExecutorState executorOfTask(FrameworkID frameworkId, TaskID taskId) {
    FrameworkState fw = frameworks.get(frameworkId);
    if (fw == null) {
      return null;
    }
    // A command task's executor is named after it: found without looking at every executor of a framework
    // that may run thousands of them.
    ExecutorState named = fw.executors.get(ExecutorID.newBuilder().setValue(taskId.getValue()).build());
    if (named != null && named.hasTask(taskId)) {
      return named;
    }
    for (ExecutorState ex : fw.executors()) {
      if (ex.hasTask(taskId)) {
        return ex;
      }
    }
    return null;
  }

  static void cancel(io.jmesos.actor.Clock.Timer timer) {
    if (timer != null) {
      timer.cancel();
    }
  }
}
