package io.jmesos.agent.executors;

/**
 * Counters behind {@code /metrics/snapshot} that cannot be computed from current state (Mesos counts
 * terminal tasks and terminated executors over the agent's life).
 *
 * <p>Not thread-safe: written and read on the agent's actor.
 */
public final class AgentMetrics {
  long tasksFinished;
  long tasksFailed;
  long tasksKilled;
  long tasksLost;
  long executorsTerminated;
  long validStatusUpdates;
  long invalidStatusUpdates;
  long tasksGone;
  long validFrameworkMessages;
  long invalidFrameworkMessages;
  long containerLaunchErrors;
  long slowExecutorSubscribersDisconnected;

  public long tasksGone() {
    return tasksGone;
  }

  public long validFrameworkMessages() {
    return validFrameworkMessages;
  }

  public long invalidFrameworkMessages() {
    return invalidFrameworkMessages;
  }

  /** Mesos' {@code slave/container_launch_errors}: containers that failed to launch. */
  public long containerLaunchErrors() {
    return containerLaunchErrors;
  }

  /** Executor event streams closed because their executor left too much unread (jmesos only). */
  public long slowExecutorSubscribersDisconnected() {
    return slowExecutorSubscribersDisconnected;
  }

  public long tasksFinished() {
    return tasksFinished;
  }

  public long tasksFailed() {
    return tasksFailed;
  }

  public long tasksKilled() {
    return tasksKilled;
  }

  public long tasksLost() {
    return tasksLost;
  }

  public long executorsTerminated() {
    return executorsTerminated;
  }

  public long validStatusUpdates() {
    return validStatusUpdates;
  }

  public long invalidStatusUpdates() {
    return invalidStatusUpdates;
  }

  public void invalidStatusUpdate() {
    invalidStatusUpdates++;
  }

  private volatile long recoveryErrors;
  private volatile double recoveryTimeSecs = -1;

  /** Mesos' {@code slave/recovery_errors}: checkpoint parts skipped by a non-strict recovery. */
  public long recoveryErrors() {
    return recoveryErrors;
  }

  /** Mesos' {@code slave/recovery_time_secs}: from start to recovery over; negative until then. */
  public double recoveryTimeSecs() {
    return recoveryTimeSecs;
  }

  public void recovered(long errors, double seconds) {
    recoveryErrors = errors;
    recoveryTimeSecs = seconds;
  }
}
