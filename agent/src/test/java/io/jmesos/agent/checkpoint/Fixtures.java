package io.jmesos.agent.checkpoint;

import com.google.protobuf.ByteString;
import io.jmesos.internal.Messages.StatusUpdate;
import io.jmesos.internal.Messages.StatusUpdateRecord;
import java.nio.charset.StandardCharsets;
import org.apache.mesos.Protos.CommandInfo;
import org.apache.mesos.Protos.ContainerID;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.ExecutorInfo;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.SlaveInfo;
import org.apache.mesos.Protos.Task;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;

/** Ids and messages for the checkpoint tests. */
final class Fixtures {
  static final SlaveID SID = SlaveID.newBuilder().setValue("S-1").build();
  static final FrameworkID FID = FrameworkID.newBuilder().setValue("F-1").build();
  static final ExecutorID EID = ExecutorID.newBuilder().setValue("E-1").build();
  static final ContainerID CID = ContainerID.newBuilder().setValue("C-1").build();
  static final TaskID TID = TaskID.newBuilder().setValue("T-1").build();

  private Fixtures() {}

  static SlaveID slaveId(String id) {
    return SlaveID.newBuilder().setValue(id).build();
  }

  static FrameworkID frameworkId(String id) {
    return FrameworkID.newBuilder().setValue(id).build();
  }

  static ExecutorID executorId(String id) {
    return ExecutorID.newBuilder().setValue(id).build();
  }

  static ContainerID containerId(String id) {
    return ContainerID.newBuilder().setValue(id).build();
  }

  static TaskID taskId(String id) {
    return TaskID.newBuilder().setValue(id).build();
  }

  static SlaveInfo slaveInfo(SlaveID id) {
    return SlaveInfo.newBuilder().setHostname("agent.example.org").setPort(5051).setId(id).build();
  }

  static FrameworkInfo frameworkInfo(FrameworkID id) {
    return FrameworkInfo.newBuilder().setUser("alice").setName("fw-" + id.getValue()).setId(id)
        .setCheckpoint(true).build();
  }

  static ExecutorInfo executorInfo(ExecutorID id) {
    return ExecutorInfo.newBuilder().setExecutorId(id).setName("custom " + id.getValue())
        .setCommand(CommandInfo.newBuilder().setValue("/bin/my-executor")).build();
  }

  static Task task(TaskID id, FrameworkID frameworkId, ExecutorID executorId) {
    return Task.newBuilder().setName("task-" + id.getValue()).setTaskId(id).setFrameworkId(frameworkId)
        .setExecutorId(executorId).setSlaveId(SID).setState(TaskState.TASK_STAGING).build();
  }

  static ByteString uuid(String s) {
    return ByteString.copyFrom(String.format("%-16s", s).substring(0, 16), StandardCharsets.US_ASCII);
  }

  static StatusUpdate update(TaskID taskId, TaskState state, ByteString uuid) {
    return StatusUpdate.newBuilder().setFrameworkId(FID).setExecutorId(EID).setSlaveId(SID)
        .setStatus(TaskStatus.newBuilder().setTaskId(taskId).setState(state).setUuid(uuid))
        .setTimestamp(1_700_000_000.5).setUuid(uuid).build();
  }

  static StatusUpdateRecord updateRecord(StatusUpdate update) {
    return StatusUpdateRecord.newBuilder().setType(StatusUpdateRecord.Type.UPDATE).setUpdate(update).build();
  }

  static StatusUpdateRecord ackRecord(ByteString uuid) {
    return StatusUpdateRecord.newBuilder().setType(StatusUpdateRecord.Type.ACK).setUuid(uuid).build();
  }
}
