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
}
