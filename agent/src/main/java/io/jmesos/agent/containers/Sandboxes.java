package io.jmesos.agent.containers;

import java.nio.file.Path;
import org.apache.mesos.Protos.ContainerID;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.SlaveID;

/**
 * Mesos' sandbox layout under {@code --work_dir}:
 * {@code slaves/<slave id>/frameworks/<framework id>/executors/<executor id>/runs/<container id>}. Pure
 * functions; thread-safe.
 */
public final class Sandboxes {
  private Sandboxes() {}

  public static Path slaveDir(Path workDir, SlaveID slaveId) {
    return workDir.resolve("slaves").resolve(slaveId.getValue());
  }

  public static Path frameworkDir(Path workDir, SlaveID slaveId, FrameworkID frameworkId) {
    return slaveDir(workDir, slaveId).resolve("frameworks").resolve(frameworkId.getValue());
  }

  public static Path executorDir(Path workDir, SlaveID slaveId, FrameworkID frameworkId, ExecutorID executorId) {
    return frameworkDir(workDir, slaveId, frameworkId).resolve("executors").resolve(executorId.getValue());
  }

  public static Path runDir(Path workDir, SlaveID slaveId, FrameworkID frameworkId, ExecutorID executorId,
      ContainerID containerId) {
    return executorDir(workDir, slaveId, frameworkId, executorId).resolve("runs").resolve(containerId.getValue());
  }
}
