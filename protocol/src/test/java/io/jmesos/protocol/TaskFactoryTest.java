package io.jmesos.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.HealthCheck;
import org.apache.mesos.Protos.KillPolicy;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.Task;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The task kept for a launched TaskInfo carries what Mesos' {@code protobuf::createTask} copies. */
@Timeout(30)
class TaskFactoryTest {
  @Test
  void healthCheckKillPolicyAndLimitsAreCopied() {
    TaskInfo info = TaskInfo.newBuilder()
        .setName("web")
        .setTaskId(TaskID.newBuilder().setValue("t1"))
        .setSlaveId(SlaveID.newBuilder().setValue("S0"))
        .setHealthCheck(HealthCheck.newBuilder().setType(HealthCheck.Type.TCP)
            .setTcp(HealthCheck.TCPCheckInfo.newBuilder().setPort(80)))
        .setKillPolicy(KillPolicy.newBuilder().setGracePeriod(
            org.apache.mesos.Protos.DurationInfo.newBuilder().setNanoseconds(1_000_000_000L)))
        .putLimits("cpus", Value.Scalar.newBuilder().setValue(2).build())
        .build();

    Task task = TaskFactory.create(info, TaskState.TASK_STAGING, FrameworkID.newBuilder().setValue("F").build(),
        info.getSlaveId(), null);

    assertThat(task.getHealthCheck()).isEqualTo(info.getHealthCheck());
    assertThat(task.getKillPolicy()).isEqualTo(info.getKillPolicy());
    assertThat(task.getLimitsMap()).isEqualTo(info.getLimitsMap());
    assertThat(task.hasExecutorId()).isFalse();
  }
}
