package io.jmesos.master.state;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;

/** Counters behind /metrics/snapshot that are not derived from current state. Owned by the master's actor. */
public final class Metrics {
  public long validStatusUpdates;
  public long invalidStatusUpdates;
  public long validFrameworkToExecutorMessages;
  public long invalidFrameworkToExecutorMessages;
  public long validExecutorToFrameworkMessages;
  public long invalidExecutorToFrameworkMessages;
  public long validStatusUpdateAcknowledgements;
  public long invalidStatusUpdateAcknowledgements;
  /** Mesos' {@code master/messages_*}. */
  public final MessageCounters messages = new MessageCounters();
  public long slaveRegistrations;
  public long slaveReregistrations;
  public long slaveRemovals;
  public long slaveRemovalsReasonUnhealthy;
  public long slaveRemovalsReasonUnregistered;
  public long slaveUnreachableScheduled;
  public long slaveUnreachableCompleted;
  public long slaveUnreachableCanceled;
  public long frameworksTornDown;
  /** Recovered agents that did not re-register in time after a master failover and became unreachable. */
  public long recoverySlaveRemovals;
  /** Internal messages dropped because this master did not act as the leader. */
  public long droppedMessages;
  /** Scheduler event streams closed because their framework left too much unread (jmesos only). */
  public long slowSchedulerSubscribersDisconnected;
  /** Operator event streams closed because their subscriber left too much unread (jmesos only). */
  public long slowOperatorSubscribersDisconnected;
  private final Map<TaskState, Long> terminalTasks = new EnumMap<>(TaskState.class);
  private final Map<String, Long> tasksBySourceAndReason = new TreeMap<>();

  /** Counts a task reaching a terminal state. */
  public void taskTerminated(TaskState state) {
    terminalTasks.merge(state, 1L, Long::sum);
  }

  public long terminated(TaskState state) {
    return terminalTasks.getOrDefault(state, 0L);
  }

  /**
   * Counts the status that made a task terminal or unreachable by its state, source and reason, as Mesos'
   * {@code master/<state>/<source>/<reason>} counters (e.g. {@code task_lost/source_slave/reason_reconciliation}),
   * which exist from their first count on; a status without a reason is not counted, as in Mesos.
   */
  public void taskReachedState(TaskStatus status) {
    if (status.hasReason()) {
      String name = lower(status.getState().name()) + "/" + lower(status.getSource().name()) + "/"
          + lower(status.getReason().name());
      tasksBySourceAndReason.merge(name, 1L, Long::sum);
    }
  }

  /** The counters of {@link #taskReachedState}, by name without the {@code master/} prefix. */
  public Map<String, Long> tasksBySourceAndReason() {
    return Collections.unmodifiableMap(tasksBySourceAndReason);
  }

  private static String lower(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
