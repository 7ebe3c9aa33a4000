package io.jmesos.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jmesos.agent.status.Tasks;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.executor.Protos.Call;
import org.junit.jupiter.api.Test;

class ExecutorCallValidatorTest {
  static Call.Builder call(Call.Type type) {
    return Call.newBuilder().setType(type).setFrameworkId(FrameworkID.newBuilder().setValue("f"))
        .setExecutorId(ExecutorID.newBuilder().setValue("e"));
  }

  static Call update(TaskStatus.Builder status) {
    return call(Call.Type.UPDATE).setUpdate(Call.Update.newBuilder().setStatus(status)).build();
  }

  static TaskStatus.Builder status(TaskState state) {
    return TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue("t")).setState(state)
        .setUuid(Tasks.newUuid());
  }

  @Test
  void acceptsWellFormedCalls() {
    assertThat(ExecutorCallValidator.validate(call(Call.Type.SUBSCRIBE)
        .setSubscribe(Call.Subscribe.getDefaultInstance()).build())).isEmpty();
    assertThat(ExecutorCallValidator.validate(update(status(TaskState.TASK_RUNNING)))).isEmpty();
    assertThat(ExecutorCallValidator.validate(call(Call.Type.HEARTBEAT).build())).isEmpty();
  }

  @Test
  void requiresTheSubMessageOfTheType() {
    assertThat(ExecutorCallValidator.validate(call(Call.Type.SUBSCRIBE).build()))
        .contains("Expecting 'subscribe' to be present");
    assertThat(ExecutorCallValidator.validate(call(Call.Type.UPDATE).build()))
        .contains("Expecting 'update' to be present");
    assertThat(ExecutorCallValidator.validate(call(Call.Type.MESSAGE).build()))
        .contains("Expecting 'message' to be present");
    assertThat(ExecutorCallValidator.validate(call(Call.Type.SUBSCRIBE).clearType().build()))
        .contains("Expecting 'type' to be present");
  }

  @Test
  void checksUpdates() {
    assertThat(ExecutorCallValidator.validate(update(status(TaskState.TASK_RUNNING).clearUuid())))
        .contains("'TaskStatus.uuid' must be set");
    assertThat(ExecutorCallValidator.validate(update(status(TaskState.TASK_STAGING))).orElseThrow())
        .contains("TASK_STAGING");
    assertThat(ExecutorCallValidator.validate(update(status(TaskState.TASK_RUNNING)
        .setExecutorId(ExecutorID.newBuilder().setValue("other")))).orElseThrow()).contains("does not match");
    assertThat(ExecutorCallValidator.validate(update(status(TaskState.TASK_RUNNING)
        .setSource(TaskStatus.Source.SOURCE_MASTER))).orElseThrow()).contains("invalid source");
  }
}
