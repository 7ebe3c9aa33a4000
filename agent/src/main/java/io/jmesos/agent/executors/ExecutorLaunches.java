package io.jmesos.agent.executors;

import io.jmesos.agent.containers.Container;
import io.jmesos.agent.containers.Launcher.LaunchedProcess;
import io.jmesos.agent.containers.Launcher.Signal;
import io.jmesos.agent.containers.Limitation;
import io.jmesos.agent.containers.Sandboxes;
import io.jmesos.resources.Resources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.apache.mesos.Protos.ContainerID;
import org.apache.mesos.Protos.ExecutorInfo;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the agent starts executors and follows their containers: the framework and executor made or found for
 * a task or task group, tasks queued (checkpointed first) until their executor subscribes or delivered to a
 * running one, the container started (a few built-in command executors at a time), its process watched for
 * its exit and its resource limitations. Split out of {@link ExecutorManager}, whose state it works on.
 *
 * <p>Not thread-safe: every method runs on the agent's actor.
 */
final class ExecutorLaunches {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorLaunches.class);

  private final ExecutorManager manager;
  private final AgentContext ctx;
  private final ExecutorCalls calls;

  ExecutorLaunches(ExecutorManager manager, ExecutorCalls calls) {
    this.manager = manager;
    this.ctx = manager.ctx;
    this.calls = calls;
  }

  void launch(FrameworkInfo info, ExecutorInfo executorInfo, boolean command, PendingLaunch pending) {
    FrameworkState fw = manager.frameworks.get(info.getId());
    if (fw != null && fw.state() == FrameworkState.State.TERMINATING) {
      LOG.warn("Ignoring tasks for framework {}: it is terminating", info.getId().getValue());
      return;
    }
    if (fw == null) {
      fw = new FrameworkState(info);
      manager.frameworks.put(info.getId(), fw);
      manager.checkpoints.framework(fw);
    } else if (!fw.info().equals(info)) {
      fw.updateInfo(info);
      manager.checkpoints.framework(fw);
    }
    ExecutorState ex = fw.executors.get(executorInfo.getExecutorId());
    if (ex != null) {
      switch (ex.state()) {
        case REGISTERING:
          queue(fw, ex, pending);
          ex.container().setResources(ex.allocated());
          return;
        case RUNNING:
          checkpointTasks(fw, ex, pending);
          manager.sessions.deliver(ex, pending);
          return;
        default:
          ex.queued.add(pending);
          for (TaskInfo t : pending.tasks().getTasksList()) {
            manager.tasks.agentStatus(ex, t.getTaskId(), TaskState.TASK_LOST,
                TaskStatus.Reason.REASON_EXECUTOR_TERMINATED,
                "Executor terminating");
          }
          return;
      }
    }
    ContainerID containerId = ContainerID.newBuilder().setValue(UUID.randomUUID().toString()).build();
    Path sandbox = Sandboxes.runDir(ctx.flags.workDir(), ctx.slaveId(), info.getId(),
        executorInfo.getExecutorId(), containerId);
    Container container = new Container(containerId, sandbox, executorInfo,
        Resources.of(executorInfo.getResourcesList()));
    // The framework and executor directories are in use again (Mesos unschedules them on launch).
    ctx.sandboxes.gc.unschedule(Sandboxes.frameworkDir(ctx.flags.workDir(), ctx.slaveId(), info.getId()));
    ctx.sandboxes.gc.unschedule(Sandboxes.executorDir(ctx.flags.workDir(), ctx.slaveId(), info.getId(),
        executorInfo.getExecutorId()));
    ctx.sandboxes.gc.unschedule(ctx.checkpoint.paths().frameworkDir(ctx.slaveId(), info.getId()));
    ctx.sandboxes.gc.unschedule(ctx.checkpoint.paths().executorDir(ctx.slaveId(), info.getId(),
        executorInfo.getExecutorId()));
    ExecutorState created = new ExecutorState(executorInfo, command, container);
    fw.executors.put(executorInfo.getExecutorId(), created);
    if (command && ctx.flags.embeddedCommandExecutor()) {
      created.embedded = new EmbeddedCommandExecutor(ctx, calls, created);
    } else if (!command && executorInfo.getType() == ExecutorInfo.Type.DEFAULT) {
      created.defaultExecutor = new EmbeddedDefaultExecutor(ctx, calls, created, manager.nested);
    }
    manager.checkpoints.executor(fw, created);
    queue(fw, created, pending);
    container.setResources(created.allocated());
    Duration timeout = ctx.flags.executorRegistrationTimeout();
    created.registrationTimer = ctx.actor.delay(timeout, () -> {
      manager.terminations.registrationTimeout(created, timeout);
      endIfNeverStarted(created);
    });
    FrameworkInfo frameworkInfo = fw.info();
    if (!command) {
      new ContainerStarter(manager).start(created, frameworkInfo);
      return;
    }
    if (created.embedded != null) {
      // No executor JVM to wait for: the container's process is the task's command.
      new ContainerStarter(manager).start(created, frameworkInfo);
      return;
    }
    // Built-in command executors start a few at a time; each counts as starting until it subscribes or
    // exits, or for START_ALLOWANCE at most.
    manager.starts.submit(created, () -> {
      if (created.container().isDestroying()) {
        // Destroyed while it waited for its turn: nothing to fork; ends now, freeing the slot.
        manager.exits.exited(created, null);
        return;
      }
      new ContainerStarter(manager).start(created, frameworkInfo);
      ctx.actor.delay(ExecutorManager.START_ALLOWANCE, () -> manager.starts.done(created));
    });
  }

  /** Queues tasks for an executor that has not subscribed, once they are checkpointed. */
  private void queue(FrameworkState fw, ExecutorState ex, PendingLaunch pending) {
    checkpointTasks(fw, ex, pending);
    ex.queued.add(pending);
  }

  private void checkpointTasks(FrameworkState fw, ExecutorState ex, PendingLaunch pending) {
    for (TaskInfo t : pending.tasks().getTasksList()) {
      manager.checkpoints.task(fw, ex, manager.tasks.newTask(t, ex, TaskState.TASK_STAGING));
    }
  }

  /**
   * A built-in command executor destroyed (registration timeout, shutdown, kill) while its start still waits
   * in the {@link StartGate} never starts: it is taken out of the queue and ends now, so that its tasks get
   * their terminal updates at once rather than after a fork that would only be killed.
   */
  void endIfNeverStarted(ExecutorState ex) {
    if (ex.container().isDestroying() && manager.starts.withdraw(ex)) {
      LOG.info("{} was destroyed before its container started", ex);
      manager.exits.exited(ex, null);
    }
  }

  /** Re-entry from the container starter, on the actor. */
  void launched(ExecutorState ex, LaunchedProcess process, Throwable error,
      Resources launchedWith) {
    if (error != null) {
      manager.starts.done(ex);
      ctx.metrics.containerLaunchErrors++;
      LOG.error("Failed to launch container {} for {}: {}", ex.container().id().getValue(), ex, error.getMessage());
      if (ex.state() != ExecutorState.State.TERMINATED) {
        Terminations.setTermination(ex, TaskState.TASK_FAILED, TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED,
            "Failed to launch container: " + error.getMessage());
        manager.exits.exited(ex, null);
      }
      return;
    }
    Container container = ex.container();
    container.setProcess(process);
    FrameworkState owner = manager.frameworks.get(ex.frameworkId());
    if (owner != null) {
      manager.checkpoints.forkedPid(owner, ex, process.pid());
    }
    LOG.info("Launched {} in container {} with pid {}", ex, container.id().getValue(), process.pid());
    watch(ex, process);
    if (launchedWith.scalar("cpus") != container.resources().scalar("cpus")
        || launchedWith.scalar("mem") != container.resources().scalar("mem")) {
      ctx.containerizer.update(container, container.resources());
    }
    if (ex.container().isDestroying()) {
      process.kill(Signal.KILL);
    } else if (ex.embedded != null) {
      ex.embedded.forked(process);
    } else if (ex.defaultExecutor != null) {
      ex.defaultExecutor.forked(process);
    }
  }

  /**
   * Follows a container's process: resource changes are applied to it as they happen, and its exit is the
   * executor's (the embedded command executor's task's terminal update first).
   */
  void watch(ExecutorState ex, LaunchedProcess process) {
    Container container = ex.container();
    container.setProcess(process);
    container.onResourcesChanged(resources -> {
      if (!container.isDestroying()) {
        ctx.containerizer.update(container, resources);
      }
    });
    process.onExit().whenCompleteAsync((exitStatus, e) -> {
      Integer status = exitStatus;
      if (ex.embedded != null) {
        // The task's terminal update first: the executor "exits" with no live task.
        ex.embedded.exited(status);
      }
      if (ex.defaultExecutor != null) {
        status = ex.defaultExecutor.containerExited(status);
      }
      // Nested containers end with their root (under posix isolation they are not in its process tree).
      manager.nested.rootEnded(ex);
      if (ex.recovered && ex.state() == ExecutorState.State.REGISTERING && ex.embedded == null) {
        ExecutorRecovery.reregistrationFailed(ex, manager.frameworks.get(ex.frameworkId()), ctx);
      }
      manager.exits.exited(ex, status);
    }, ctx.actor);
  }

  /**
   * Re-entry from the containerizer: the container hit a resource limit. As Mesos, its tasks fail with the
   * limitation's reason and message, whatever the executor reports, and the container is destroyed.
   */
  void limited(ExecutorState ex, Limitation limitation) {
    if (ex.limitation != null || ex.state() == ExecutorState.State.TERMINATED) {
      return;
    }
    ex.limitation = limitation;
    LOG.warn("Destroying container {} of {}: it exceeded its {} limit", ex.container().id().getValue(), ex,
        limitation.resource());
    ex.terminationState = TaskState.TASK_FAILED;
    ex.terminationReason = limitation.reason();
    ex.terminationMessage = limitation.message();
    manager.terminations.destroy(ex);
  }
}
