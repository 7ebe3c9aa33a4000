package io.jmesos.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.Protos.TaskState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TaskStatesTest {

  /** Every v0 state with whether Mesos' {@code protobuf::isTerminalState} calls it terminal. */
  private static Map<TaskState, Boolean> expected() {
    Map<TaskState, Boolean> expected = new EnumMap<>(TaskState.class);
    expected.put(TaskState.TASK_STAGING, false);
    expected.put(TaskState.TASK_STARTING, false);
    expected.put(TaskState.TASK_RUNNING, false);
    expected.put(TaskState.TASK_KILLING, false);
    expected.put(TaskState.TASK_FINISHED, true);
    expected.put(TaskState.TASK_FAILED, true);
    expected.put(TaskState.TASK_KILLED, true);
    expected.put(TaskState.TASK_ERROR, true);
    expected.put(TaskState.TASK_LOST, true);
    expected.put(TaskState.TASK_DROPPED, true);
    expected.put(TaskState.TASK_UNREACHABLE, false);
    expected.put(TaskState.TASK_GONE, true);
    expected.put(TaskState.TASK_GONE_BY_OPERATOR, true);
    expected.put(TaskState.TASK_UNKNOWN, false);
    return expected;
  }

  @Test
  void everyV0StateIsClassified() {
    Map<TaskState, Boolean> expected = expected();
    assertThat(expected.keySet()).containsExactlyInAnyOrder(TaskState.values());
    for (TaskState state : TaskState.values()) {
      assertThat(TaskStates.isTerminal(state)).as(state.name()).isEqualTo(expected.get(state));
    }
  }

  @Test
  void everyV1StateAgreesWithItsV0Namesake() {
    Map<TaskState, Boolean> expected = expected();
    assertThat(org.apache.mesos.v1.Protos.TaskState.values()).hasSameSizeAs(TaskState.values());
    for (org.apache.mesos.v1.Protos.TaskState state : org.apache.mesos.v1.Protos.TaskState.values()) {
      assertThat(TaskStates.isTerminal(state)).as(state.name())
          .isEqualTo(expected.get(TaskState.valueOf(state.name())));
    }
  }
}
