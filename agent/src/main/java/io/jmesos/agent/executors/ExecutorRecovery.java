package io.jmesos.agent.executors;

import com.google.protobuf.ByteString;
import io.jmesos.agent.checkpoint.ExecutorCheckpoint;
import io.jmesos.agent.checkpoint.FrameworkCheckpoint;
import io.jmesos.agent.checkpoint.RunCheckpoint;
import io.jmesos.agent.checkpoint.SlaveCheckpoint;
import io.jmesos.agent.checkpoint.TaskCheckpoint;
import io.jmesos.agent.containers.Container;
import io.jmesos.agent.containers.KnownContainer;
import io.jmesos.agent.containers.Launcher.LaunchedProcess;
import io.jmesos.agent.containers.Sandboxes;
import io.jmesos.agent.status.StreamLog;
import io.jmesos.flags.Durations;
import io.jmesos.internal.Messages.StatusUpdate;
import io.jmesos.internal.Messages.StatusUpdateRecord;
import io.jmesos.protocol.TaskStates;
import io.jmesos.resources.Resources;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.mesos.Protos.ContainerID;
import org.apache.mesos.Protos.ExecutorInfo;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.Task;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the agent's frameworks, executors and tasks from its checkpoint when it restarts (Mesos'
 * {@code Slave::recoverFramework} and {@code Executor::recoverTask}), then reconnects them to their containers'
 * processes: the embedded command executor takes its running command over at once; HTTP executors (custom ones,
 * the JVM command executor) are expected to re-subscribe within {@code --executor_reregistration_timeout} and
 * are destroyed otherwise, their tasks TASK_LOST (TASK_GONE for partition-aware frameworks) with
 * REASON_EXECUTOR_REREGISTRATION_TIMEOUT; with {@code --recover=cleanup} every recovered executor is shut down.
 *
 * <p>Not thread-safe: {@link #restore} and {@link #reconnect} run on the agent's actor.
 */
public final class ExecutorRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorRecovery.class);

  private final ExecutorManager manager;
  private final AgentContext ctx;
  private final List<ExecutorState> recovered = new ArrayList<>();
  /** Recovered executors whose fork was never checkpointed: the agent may have died before it launched them. */
  private final java.util.Set<ExecutorState> unforked = new java.util.HashSet<>();
  private boolean rebooted;

  public ExecutorRecovery(ExecutorManager manager) {
    this.manager = manager;
    this.ctx = manager.ctx;
  }

  /**
   * Re-creates every checkpointed framework, live executor and task, and their status update streams (paused
   * until the agent re-registers). Returns the containers the containerizer should find.
   */
  public List<KnownContainer> restore(SlaveCheckpoint slave) {
    return restore(slave, false);
  }

  /**
   * {@link #restore(SlaveCheckpoint)}; after a reboot ({@code rebooted}) no container survived, and a missing
   * forked pid (removed at recovery) does not mean that the agent died before launching the container.
   */
  public List<KnownContainer> restore(SlaveCheckpoint slave, boolean rebooted) {
    this.rebooted = rebooted;
    List<KnownContainer> known = new ArrayList<>();
    for (FrameworkCheckpoint framework : slave.frameworks().values()) {
      if (framework.info().isEmpty()) {
        LOG.warn("Skipping recovery of framework {}: its info cannot be recovered", framework.id().getValue());
        continue;
      }
      FrameworkInfo info = framework.info().get().toBuilder().setId(framework.id()).build();
      FrameworkState fw = null;
      for (ExecutorCheckpoint executor : framework.executors().values()) {
        ExecutorState ex = restore(info, executor);
        if (ex == null) {
          continue;
        }
        if (fw == null) {
          fw = new FrameworkState(info);
          manager.frameworks.put(info.getId(), fw);
        }
        fw.executors.put(ex.id(), ex);
        recovered.add(ex);
        known.add(new KnownContainer(ex.container(),
            hit -> ctx.actor.execute(() -> manager.launches.limited(ex, hit))));
      }
      if (fw != null) {
        LOG.info("Recovered framework {} with {} executors", fw.id().getValue(), fw.executors.size());
      }
    }
    return known;
  }

  private ExecutorState restore(FrameworkInfo framework, ExecutorCheckpoint executor) {
    String name = "executor " + executor.id().getValue() + " of framework " + framework.getId().getValue();
    if (executor.info().isEmpty()) {
      LOG.warn("Skipping recovery of {}: its info cannot be recovered", name);
      return null;
    }
    if (executor.latest().isEmpty() || !executor.runs().containsKey(executor.latest().get())) {
      LOG.warn("Skipping recovery of {}: it has no latest run", name);
      return null;
    }
    RunCheckpoint run = executor.runs().get(executor.latest().get());
    if (run.completed()) {
      LOG.info("Skipping recovery of {}: its run {} is completed", name, run.id().getValue());
      return null;
    }
    ExecutorInfo info = executor.info().get().toBuilder().setFrameworkId(framework.getId()).build();
    ContainerID containerId = run.id();
    Container container = new Container(containerId, Sandboxes.runDir(ctx.flags.workDir(), ctx.slaveId(),
        framework.getId(), info.getExecutorId(), containerId), info, Resources.of(info.getResourcesList()));
    container.setCgroups(ctx.containerizer.cgroupsFor(containerId));
    ExecutorState ex = new ExecutorState(info, executor.generatedForCommandTask(), container);
    ex.recovered = true;
    if (run.forkedPid().isEmpty() && !rebooted) {
      unforked.add(ex);
    }
    if (executor.generatedForCommandTask() && !run.http()) {
      ex.embedded = new EmbeddedCommandExecutor(ctx, new ExecutorCalls(manager), ex);
    }
    for (TaskCheckpoint task : run.tasks().values()) {
      restoreTask(ex, task);
    }
    container.setResources(ex.allocated());
    LOG.info("Recovered {} in container {} (pid {}) with {} live tasks", ex, containerId.getValue(),
        run.forkedPid().isPresent() ? run.forkedPid().getAsLong() : "none", ex.launched.size());
    return ex;
  }

  /** Mesos' {@code Executor::recoverTask}: the task's state is what its checkpointed updates say. */
  private void restoreTask(ExecutorState ex, TaskCheckpoint checkpoint) {
    if (checkpoint.info().isEmpty()) {
      LOG.warn("Skipping recovery of task {} of {}: its info cannot be recovered", checkpoint.id().getValue(), ex);
      return;
    }
    Task task = checkpoint.info().get();
    boolean completed = false;
    for (StatusUpdate update : checkpoint.updates()) {
      TaskStatus status = update.getStatus();
      task = task.toBuilder().setState(status.getState()).addStatuses(status.toBuilder().clearData()).build();
      if (TaskStates.isTerminal(status.getState())) {
        completed = checkpoint.acks().contains(update.getUuid());
        break;
      }
    }
    if (completed) {
      ex.complete(task);
      return;
    }
    if (TaskStates.isTerminal(task.getState())) {
      ex.terminated.put(task.getTaskId(), task);
    } else {
      ex.launched.put(task.getTaskId(), task);
    }
    StreamLog log;
    try {
      log = Checkpointer.log(ctx.checkpoint.updates(ctx.slaveId(), ex.frameworkId(), ex.id(), ex.container().id(),
          task.getTaskId()));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("Failed to reopen the status updates of task "
          + task.getTaskId().getValue(), e);
    }
    List<StatusUpdate> pending = ctx.updates.recover(ex.frameworkId(), task.getTaskId(), records(checkpoint), log);
    LOG.info("Recovered task {} of {} in state {} with {} unacknowledged updates", task.getTaskId().getValue(), ex,
        task.getState(), pending.size());
  }

  /** The stream's records in the order they were written: acknowledgements always follow their update. */
  private static List<StatusUpdateRecord> records(TaskCheckpoint checkpoint) {
    List<StatusUpdateRecord> records = new ArrayList<>();
    for (StatusUpdate update : checkpoint.updates()) {
      records.add(StatusUpdateRecord.newBuilder().setType(StatusUpdateRecord.Type.UPDATE).setUpdate(update).build());
    }
    for (StatusUpdate update : checkpoint.updates()) {
      ByteString uuid = update.getUuid();
      if (checkpoint.acks().contains(uuid)) {
        records.add(StatusUpdateRecord.newBuilder().setType(StatusUpdateRecord.Type.ACK).setUuid(uuid).build());
      }
    }
    return records;
  }

  /**
   * Attaches every recovered executor to what the containerizer found of its container. An executor whose
   * container is gone ends now; the embedded command executor takes its command over; an HTTP executor has
   * until the re-registration timeout to re-subscribe. With {@code cleanup} every executor is shut down instead.
   */
  public void reconnect(Map<ContainerID, LaunchedProcess> processes, boolean cleanup) {
    for (ExecutorState ex : recovered) {
      FrameworkState fw = manager.frameworks.get(ex.frameworkId());
      LaunchedProcess process = processes.get(ex.container().id());
      if (process == null || unforked.contains(ex) && neverRan(process)) {
        // RestartBeforeContainerizerLaunch: the agent died before the container was forked.
        LOG.warn("{} has no container to recover: the agent restarted before it was launched", ex);
        Terminations.setTermination(ex, TaskState.TASK_FAILED, TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED,
            "The agent restarted before the container was launched");
        manager.exits.exited(ex, null);
        continue;
      }
      manager.launches.watch(ex, process);
      if (cleanup) {
        LOG.info("Shutting down recovered {} (--recover=cleanup)", ex);
        Terminations.setTermination(ex, TaskState.TASK_KILLED, TaskStatus.Reason.REASON_EXECUTOR_TERMINATED,
            "Agent recovered with --recover=cleanup");
        manager.terminations.destroy(ex);
        continue;
      }
      if (ex.embedded != null) {
        TaskInfo task = commandTask(ex);
        if (task != null) {
          ex.embedded.recovered(process, task, !ex.terminated.isEmpty());
        } else {
          LOG.warn("Destroying recovered {}: it has no task", ex);
          manager.terminations.destroy(ex);
        }
        continue;
      }
      LOG.info("Waiting for {} to re-subscribe", ex);
      var timeout = ctx.flags.executorReregistrationTimeout();
      ex.registrationTimer = ctx.actor.delay(timeout, () -> {
        if (ex.state() == ExecutorState.State.REGISTERING) {
          LOG.warn("Killing {}: it did not re-subscribe within {}", ex, Durations.format(timeout));
          reregistrationFailed(ex, fw, ctx);
          manager.terminations.destroy(ex);
        }
      });
    }
    recovered.clear();
    unforked.clear();
  }

  /** Whether the containerizer found nothing of the container: it reports it ended, with no status. */
  private static boolean neverRan(LaunchedProcess process) {
    return process.onExit().isDone() && !process.onExit().isCompletedExceptionally()
        && process.onExit().getNow(0) == null;
  }

  /** Mesos' reregisterExecutorTimeout: tasks of an executor that did not come back are lost (gone). */
  static void reregistrationFailed(ExecutorState ex, FrameworkState fw, AgentContext ctx) {
    boolean partitionAware = fw != null && fw.info().getCapabilitiesList().stream()
        .anyMatch(c -> c.getType() == FrameworkInfo.Capability.Type.PARTITION_AWARE);
    Terminations.setTermination(ex, partitionAware ? TaskState.TASK_GONE : TaskState.TASK_LOST,
        TaskStatus.Reason.REASON_EXECUTOR_REREGISTRATION_TIMEOUT,
        "Executor did not reregister within " + Durations.format(ctx.flags.executorReregistrationTimeout()));
  }

  /** The command task of a recovered embedded command executor, as its executor knew it. */
  private static TaskInfo commandTask(ExecutorState ex) {
    List<Task> all = new ArrayList<>(ex.launched.values());
    all.addAll(ex.terminated.values());
    if (all.isEmpty()) {
      return null;
    }
    Task task = all.get(0);
    TaskInfo.Builder info = TaskInfo.newBuilder().setName(task.getName()).setTaskId(task.getTaskId())
        .setSlaveId(task.getSlaveId()).addAllResources(task.getResourcesList());
    if (task.hasKillPolicy()) {
      info.setKillPolicy(task.getKillPolicy());
    }
    return info.build();
  }
}
