package io.jmesos.agent.executors;

import io.jmesos.internal.Messages.DrainSlaveMessage;
import io.jmesos.internal.Messages.KillTaskMessage;
import io.jmesos.internal.Messages.StatusUpdate;
import java.util.List;
import java.util.Optional;
import org.apache.mesos.Protos.DrainConfig;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.KillPolicy;
import org.apache.mesos.Protos.Task;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's side of draining, as Mesos 1.11's {@code Slave::drain} and {@code updateDrainStatus}: on a
 * {@code DrainSlaveMessage} every queued and live task is killed through the ordinary kill path, with a grace
 * period no longer than the drain's {@code max_grace_period}; while draining, KILLING and KILLED updates carry
 * {@code REASON_SLAVE_DRAINING} (and become TASK_GONE_BY_OPERATOR for partition-aware frameworks when the drain
 * marks the agent gone), and new tasks are dropped; once no framework is left the drain is over. Unlike Mesos the
 * drain configuration is not checkpointed: an agent restarted mid-drain is told again when it re-registers (the
 * master sends the message on every re-registration). Runs on the agent's actor.
 */
public final class AgentDrain {
  private static final Logger LOG = LoggerFactory.getLogger(AgentDrain.class);

  private final ExecutorManager manager;
  private DrainConfig config;
  private double startTime;

  AgentDrain(ExecutorManager manager) {
    this.manager = manager;
  }

  /** The master's DrainSlaveMessage. */
  public void drain(DrainSlaveMessage message) {
    if (manager.frameworks.isEmpty()) {
      LOG.info("Received DrainConfig {}; agent has no stored frameworks or tasks, so draining is already complete",
          summary(message.getConfig()));
      return;
    }
    LOG.info("Initiating drain with DrainConfig {}{}; agent has {} tasks", summary(message.getConfig()),
        config != null ? "; overwriting previous DrainConfig " + summary(config) : "", manager.tasks().size());
    config = message.getConfig();
    startTime = manager.ctx.now();
    for (FrameworkState framework : List.copyOf(manager.frameworks.values())) {
      for (ExecutorState executor : List.copyOf(framework.executors())) {
        for (TaskInfo task : executor.queuedTasks()) {
          kill(framework, task.getTaskId(), task.hasKillPolicy() ? task.getKillPolicy() : null);
        }
        for (Task task : executor.liveTasks()) {
          kill(framework, task.getTaskId(), task.hasKillPolicy() ? task.getKillPolicy() : null);
        }
      }
    }
  }

  /** The drain in progress, if any: over once no framework is left (Mesos' {@code updateDrainStatus}). */
  public Optional<DrainConfig> config() {
    if (config != null && manager.frameworks.isEmpty()) {
      LOG.info("Agent finished draining");
      config = null;
      startTime = 0;
    }
    return Optional.ofNullable(config);
  }

  /** When the drain started (seconds since the epoch); meaningful while {@link #config()} is present. */
  public double startTime() {
    return startTime;
  }

  /**
   * While draining, a KILLING or KILLED update says why (REASON_SLAVE_DRAINING), and a partition-aware framework
   * hears TASK_GONE_BY_OPERATOR when the drain marks the agent gone.
   */
  StatusUpdate rewrite(StatusUpdate update) {
    TaskState state = update.getStatus().getState();
    if (config == null || state != TaskState.TASK_KILLING && state != TaskState.TASK_KILLED) {
      return update;
    }
    TaskStatus.Builder status = update.getStatus().toBuilder().setReason(TaskStatus.Reason.REASON_SLAVE_DRAINING);
    FrameworkState framework = manager.frameworks.get(update.getFrameworkId());
    if (config.getMarkGone() && framework != null && framework.info().getCapabilitiesList().stream()
        .anyMatch(c -> c.getType() == FrameworkInfo.Capability.Type.PARTITION_AWARE)) {
      status.setState(TaskState.TASK_GONE_BY_OPERATOR);
    }
    StatusUpdate.Builder rewritten = update.toBuilder().setStatus(status);
    if (rewritten.hasLatestState() && rewritten.getLatestState() == state) {
      rewritten.setLatestState(status.getState());
    }
    return rewritten.build();
  }

  private void kill(FrameworkState framework, TaskID taskId, KillPolicy policy) {
    KillTaskMessage.Builder kill = KillTaskMessage.newBuilder().setFrameworkId(framework.id()).setTaskId(taskId);
    killPolicy(policy).ifPresent(kill::setKillPolicy);
    manager.killTask(kill.build());
  }

  /** The task's grace period capped by the drain's max_grace_period (none: the task's own policy). */
  private Optional<KillPolicy> killPolicy(KillPolicy policy) {
    if (!config.hasMaxGracePeriod()) {
      return Optional.empty();
    }
    KillPolicy capped = KillPolicy.newBuilder().setGracePeriod(config.getMaxGracePeriod()).build();
    if (policy == null || !policy.hasGracePeriod()
        || config.getMaxGracePeriod().getNanoseconds() < policy.getGracePeriod().getNanoseconds()) {
      return Optional.of(capped);
    }
    return Optional.empty();
  }

  private static String summary(DrainConfig config) {
    return "{mark_gone: " + config.getMarkGone() + (config.hasMaxGracePeriod()
        ? ", max_grace_period: " + config.getMaxGracePeriod().getNanoseconds() + "ns" : "") + "}";
  }
}
