package io.jmesos.protocol;

import java.util.EnumSet;
import java.util.Set;

/**
 * Facts about task states, as Mesos' {@code protobuf::isTerminalState}: a task in a terminal state is no
 * longer running and its resources are free. TASK_LOST counts as terminal even though a partitioned task may
 * come back. Stateless and thread-safe.
 */
public final class TaskStates {
  private static final Set<org.apache.mesos.Protos.TaskState> TERMINAL = EnumSet.of(
      org.apache.mesos.Protos.TaskState.TASK_FINISHED,
      org.apache.mesos.Protos.TaskState.TASK_FAILED,
      org.apache.mesos.Protos.TaskState.TASK_KILLED,
      org.apache.mesos.Protos.TaskState.TASK_LOST,
      org.apache.mesos.Protos.TaskState.TASK_ERROR,
      org.apache.mesos.Protos.TaskState.TASK_DROPPED,
      org.apache.mesos.Protos.TaskState.TASK_GONE,
      org.apache.mesos.Protos.TaskState.TASK_GONE_BY_OPERATOR);

  private static final Set<org.apache.mesos.v1.Protos.TaskState> TERMINAL_V1 = EnumSet.of(
      org.apache.mesos.v1.Protos.TaskState.TASK_FINISHED,
      org.apache.mesos.v1.Protos.TaskState.TASK_FAILED,
      org.apache.mesos.v1.Protos.TaskState.TASK_KILLED,
      org.apache.mesos.v1.Protos.TaskState.TASK_LOST,
      org.apache.mesos.v1.Protos.TaskState.TASK_ERROR,
      org.apache.mesos.v1.Protos.TaskState.TASK_DROPPED,
      org.apache.mesos.v1.Protos.TaskState.TASK_GONE,
      org.apache.mesos.v1.Protos.TaskState.TASK_GONE_BY_OPERATOR);

  private TaskStates() {}

  /** Whether {@code state} is terminal: FINISHED, FAILED, KILLED, LOST, ERROR, DROPPED, GONE, GONE_BY_OPERATOR. */
  public static boolean isTerminal(org.apache.mesos.Protos.TaskState state) {
    return TERMINAL.contains(state);
  }

  /** The v1 API's counterpart of {@link #isTerminal(org.apache.mesos.Protos.TaskState)}. */
  public static boolean isTerminal(org.apache.mesos.v1.Protos.TaskState state) {
    return TERMINAL_V1.contains(state);
  }
}
