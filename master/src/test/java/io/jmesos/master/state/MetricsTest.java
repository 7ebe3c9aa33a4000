package io.jmesos.master.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class MetricsTest {

  @Test
  void aStatusIsCountedByStateSourceAndReasonUnderMesosName() {
    Metrics metrics = new Metrics();

    metrics.taskReachedState(status(TaskState.TASK_LOST).setSource(TaskStatus.Source.SOURCE_SLAVE)
        .setReason(TaskStatus.Reason.REASON_RECONCILIATION).build());
    metrics.taskReachedState(status(TaskState.TASK_LOST).setSource(TaskStatus.Source.SOURCE_SLAVE)
        .setReason(TaskStatus.Reason.REASON_RECONCILIATION).build());
    metrics.taskReachedState(status(TaskState.TASK_UNREACHABLE)
        .setReason(TaskStatus.Reason.REASON_SLAVE_REMOVED).build()); // no source: SOURCE_MASTER, as in Mesos

    assertThat(metrics.tasksBySourceAndReason()).containsOnly(
        entry("task_lost/source_slave/reason_reconciliation", 2L),
        entry("task_unreachable/source_master/reason_slave_removed", 1L));
  }

  @Test
  void aStatusWithoutReasonIsNotCounted() {
    Metrics metrics = new Metrics();

    metrics.taskReachedState(status(TaskState.TASK_FINISHED).setSource(TaskStatus.Source.SOURCE_EXECUTOR).build());

    assertThat(metrics.tasksBySourceAndReason()).isEmpty();
  }

  private static TaskStatus.Builder status(TaskState state) {
    return TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue("t")).setState(state);
  }
}
