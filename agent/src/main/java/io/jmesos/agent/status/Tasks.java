package io.jmesos.agent.status;

import com.google.protobuf.ByteString;
import io.jmesos.internal.Messages.StatusUpdate;
import java.nio.ByteBuffer;
import java.util.UUID;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskState;
import org.apache.mesos.Protos.TaskStatus;

/**
 * Status-update construction and uuids; task-state facts are {@link io.jmesos.protocol.TaskStates}. Pure
 * functions; thread-safe.
 */
public final class Tasks {
  private Tasks() {}

  /** A fresh random uuid in the 16 raw bytes Mesos puts in {@code TaskStatus.uuid}. */
  public static ByteString newUuid() {
    UUID uuid = UUID.randomUUID();
    ByteBuffer buffer = ByteBuffer.allocate(16);
    buffer.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
    return ByteString.copyFrom(buffer.array());
  }

  /** The canonical text form of a 16-byte uuid, for logs; other lengths print as hex. */
  public static String uuidString(ByteString bytes) {
    if (bytes.size() == 16) {
      ByteBuffer buffer = bytes.asReadOnlyByteBuffer();
      return new UUID(buffer.getLong(), buffer.getLong()).toString();
    }
    StringBuilder sb = new StringBuilder();
    for (byte b : bytes.toByteArray()) {
      sb.append(String.format("%02x", b));
    }
    return sb.toString();
  }

  /**
   * An update the agent itself generates (source SOURCE_SLAVE), e.g. TASK_FAILED when an executor exits.
   * {@code executorId} may be null.
   */
  public static StatusUpdate agentUpdate(FrameworkID frameworkId, SlaveID slaveId, ExecutorID executorId,
      TaskID taskId, TaskState state, TaskStatus.Reason reason, String message, double now) {
    ByteString uuid = newUuid();
    TaskStatus.Builder status = TaskStatus.newBuilder()
        .setTaskId(taskId)
        .setState(state)
        .setSource(TaskStatus.Source.SOURCE_SLAVE)
        .setSlaveId(slaveId)
        .setTimestamp(now)
        .setUuid(uuid);
    if (reason != null) {
      status.setReason(reason);
    }
    if (message != null) {
      status.setMessage(message);
    }
    if (executorId != null) {
      status.setExecutorId(executorId);
    }
    StatusUpdate.Builder update = StatusUpdate.newBuilder()
        .setFrameworkId(frameworkId)
        .setSlaveId(slaveId)
        .setStatus(status)
        .setTimestamp(now)
        .setUuid(uuid);
    if (executorId != null) {
      update.setExecutorId(executorId);
    }
    return update.build();
  }
}
