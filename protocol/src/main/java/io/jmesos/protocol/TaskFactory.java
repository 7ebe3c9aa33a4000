package io.jmesos.protocol;

import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.Task;
import org.apache.mesos.Protos.TaskInfo;
import org.apache.mesos.Protos.TaskState;

/**
 * Builds the {@link Task} that the master and the agent keep for a launched {@link TaskInfo} (Mesos'
 * {@code protobuf::createTask}), so that both sides describe a task the same way in {@code /state}, in
 * re-registration and in reconciliation. Stateless and thread-safe.
 */
public final class TaskFactory {
  private TaskFactory() {}

  /**
   * @param executorId the executor that runs the task, or null for a command task (the command executor is
   *     not named in its tasks)
   */
  public static Task create(TaskInfo info, TaskState state, FrameworkID frameworkId, SlaveID slaveId,
      ExecutorID executorId) {
    Task.Builder task = Task.newBuilder()
        .setName(info.getName())
        .setTaskId(info.getTaskId())
        .setFrameworkId(frameworkId)
        .setSlaveId(slaveId)
        .setState(state)
        .addAllResources(info.getResourcesList());
    if (executorId != null) {
      task.setExecutorId(executorId);
    }
    if (info.hasLabels()) {
      task.setLabels(info.getLabels());
    }
    if (info.hasDiscovery()) {
      task.setDiscovery(info.getDiscovery());
    }
    if (info.hasContainer()) {
      task.setContainer(info.getContainer());
    }
    if (info.hasHealthCheck()) {
      task.setHealthCheck(info.getHealthCheck());
    }
    if (info.hasKillPolicy()) {
      task.setKillPolicy(info.getKillPolicy());
    }
    task.putAllLimits(info.getLimitsMap());
    return task.build();
  }
}
