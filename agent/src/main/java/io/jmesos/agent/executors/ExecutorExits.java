package io.jmesos.agent.executors;

import io.jmesos.agent.containers.Limitation;
import io.jmesos.agent.containers.Sandboxes;
import io.jmesos.internal.Messages.ExitedExecutorMessage;
import java.util.ArrayList;
import java.util.List;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How executors end (Mesos' {@code executorTerminated}, {@code removeExecutor}, {@code removeFramework}): the
 * tasks that die with an executor get their terminal updates, the master hears of a framework's executor exit,
 * and an executor whose tasks are all acknowledged is completed (its sentinel checkpointed, its sandbox and meta
 * directories scheduled for garbage collection), then its framework once it has none left.
 *
 * <p>Not thread-safe: every method runs on the agent's actor.
 */
final class ExecutorExits {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorExits.class);

  private final ExecutorManager manager;
  private final AgentContext ctx;

  ExecutorExits(ExecutorManager manager) {
    this.manager = manager;
    this.ctx = manager.ctx;
  }

  void exited(ExecutorState ex, Integer status) {
    manager.starts.done(ex);
    if (ex.state() == ExecutorState.State.TERMINATED) {
      return;
    }
    LOG.info("{} in container {} exited with status {}", ex, ex.container().id().getValue(), status);
    ex.transition(ExecutorState.State.TERMINATED);
    ex.exitStatus = status;
    Limitation hit = ex.container().limitation();
    if (hit != null && ex.limitation == null) {
      ex.limitation = hit;
      ex.terminationState = TaskState.TASK_FAILED;
      ex.terminationReason = hit.reason();
      ex.terminationMessage = hit.message();
    }
    ExecutorManager.cancel(ex.registrationTimer);
    ExecutorManager.cancel(ex.shutdownTimer);
    ExecutorManager.cancel(ex.heartbeatTimer);
    if (ex.channel != null) {
      ex.channel.close();
      ex.channel = null;
    }
    ctx.metrics.executorsTerminated++;
    if (ex.recovered && manager.recoveryListener != null) {
      ctx.actor.execute(manager.recoveryListener);
    }
    TaskState state = ex.terminationState != null ? ex.terminationState : TaskState.TASK_FAILED;
    TaskStatus.Reason reason = ex.terminationReason != null
        ? ex.terminationReason : TaskStatus.Reason.REASON_EXECUTOR_TERMINATED;
    String message = ex.terminationMessage != null ? ex.terminationMessage : "Abnormal executor termination";
    // No updates for a terminating framework: nobody would acknowledge them.
    if (!manager.isTerminating(ex.frameworkId())) {
      List<TaskID> dying = new ArrayList<>();
      ex.queuedTasks().forEach(t -> dying.add(t.getTaskId()));
      dying.addAll(ex.launched.keySet());
      for (TaskID taskId : dying) {
        TaskState taskState = ex.killRequested.contains(taskId) ? TaskState.TASK_KILLED : state;
        manager.tasks.agentStatus(ex, taskId, taskState, reason, message, ex.limitation);
      }
    }
    // The master knows nothing of the executors the agent makes up for command tasks (Mesos sends this
    // only when !isGeneratedForCommandTask()); it would report a spurious executor loss to the framework.
    if (!ex.isCommandExecutor()) {
      ctx.toMaster.accept(ExitedExecutorMessage.newBuilder()
          .setSlaveId(ctx.slaveId())
          .setFrameworkId(ex.frameworkId())
          .setExecutorId(ex.id())
          .setStatus(status == null ? -1 : status)
          .build());
    }
    maybeComplete(ex);
  }

  /**
   * Completes a terminated executor once none of its tasks awaits an acknowledgement, or at once when its
   * framework is terminating (no acknowledgements will come), then removes the framework if that was its
   * last executor.
   */
  void maybeComplete(ExecutorState ex) {
    if (ex.state() != ExecutorState.State.TERMINATED) {
      return;
    }
    FrameworkState fw = manager.frameworks.get(ex.frameworkId());
    if (fw == null || fw.executors.get(ex.id()) != ex) {
      return;
    }
    if (!ex.isIdle() && fw.state() != FrameworkState.State.TERMINATING) {
      return;
    }
    completeExecutor(fw, ex);
    maybeRemove(fw);
  }

  /**
   * Moves a terminated executor to the framework's completed ones and schedules its run directory and its
   * executor directory for garbage collection (Mesos' removeExecutor).
   */
  void completeExecutor(FrameworkState fw, ExecutorState ex) {
    manager.checkpoints.completed(fw, ex);
    fw.completeExecutor(ex);
    // The container's runtime checkpoint goes once the executor is completed (a few small files: off the actor).
    org.apache.mesos.Protos.ContainerID containerId = ex.container().id();
    ctx.blocking.execute(() -> ctx.containerizer.forget(containerId));
    if (Checkpointer.checkpoints(fw)) {
      ctx.sandboxes.gc.schedule(ctx.sandboxes.gcDelay,
          ctx.checkpoint.paths().executorDir(ctx.slaveId(), fw.id(), ex.id()));
    }
    ctx.sandboxes.gc.schedule(ctx.sandboxes.gcDelay, ex.container().sandbox());
    ctx.sandboxes.gc.schedule(ctx.sandboxes.gcDelay,
        Sandboxes.executorDir(ctx.flags.workDir(), ctx.slaveId(), fw.id(), ex.id()));
  }

  /** Removes a framework with no executors left, as Mesos' removeFramework. */
  void maybeRemove(FrameworkState fw) {
    if (!fw.executors.isEmpty() || manager.frameworks.get(fw.id()) != fw) {
      return;
    }
    LOG.info("Removing framework {}: no executors left", fw.id().getValue());
    ctx.sandboxes.gc.schedule(ctx.sandboxes.gcDelay,
        Sandboxes.frameworkDir(ctx.flags.workDir(), ctx.slaveId(), fw.id()));
    if (Checkpointer.checkpoints(fw)) {
      ctx.sandboxes.gc.schedule(ctx.sandboxes.gcDelay, ctx.checkpoint.paths().frameworkDir(ctx.slaveId(), fw.id()));
    }
    ctx.updates.cleanup(fw.id());
    manager.frameworks.remove(fw.id());
    manager.completedFrameworks.addLast(fw);
    while (manager.completedFrameworks.size() > ExecutorManager.MAX_COMPLETED_FRAMEWORKS) {
      manager.completedFrameworks.pollFirst();
    }
  }
}
