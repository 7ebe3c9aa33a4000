package io.jmesos.master.state;

import java.util.EnumMap;
import java.util.Map;
import org.apache.mesos.Protos.TaskState;

/** Counters behind /metrics/snapshot that are not derived from current state. Owned by the master's actor. */
public final class Metrics {
  public long validStatusUpdates;
  public long invalidStatusUpdates;
  public long validFrameworkToExecutorMessages;
  public long invalidFrameworkToExecutorMessages;
  public long validExecutorToFrameworkMessages;
  public long invalidExecutorToFrameworkMessages;
  public long slaveRegistrations;
  public long slaveReregistrations;
  public long slaveRemovals;
  public long slaveRemovalsReasonUnhealthy;
  public long slaveRemovalsReasonUnregistered;
  public long slaveUnreachableScheduled;
  public long slaveUnreachableCompleted;
  public long slaveUnreachableCanceled;
  public long frameworksTornDown;
  private final Map<TaskState, Long> terminalTasks = new EnumMap<>(TaskState.class);

  /** Counts a task reaching a terminal state. */
  public void taskTerminated(TaskState state) {
    terminalTasks.merge(state, 1L, Long::sum);
  }

  public long terminated(TaskState state) {
    return terminalTasks.getOrDefault(state, 0L);
  }
}
