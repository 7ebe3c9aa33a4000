package io.jmesos.agent.checkpoint;

import java.nio.file.Path;
import java.util.Objects;
import org.apache.mesos.Protos.ContainerID;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.TaskID;

/**
 * Mesos' checkpoint layout ({@code src/slave/paths.cpp}) under {@code <work_dir>/meta}:
 *
 * <pre>
 * meta/boot_id
 * meta/resources/resources.info
 * meta/slaves/latest -&gt; meta/slaves/&lt;sid&gt;
 * meta/slaves/&lt;sid&gt;/slave.info
 * meta/slaves/&lt;sid&gt;/frameworks/&lt;fid&gt;/{framework.info, framework.pid}
 * .../frameworks/&lt;fid&gt;/executors/&lt;eid&gt;/{executor.info, executor_generated_for_command_task}
 * .../executors/&lt;eid&gt;/runs/latest -&gt; .../runs/&lt;cid&gt;
 * .../runs/&lt;cid&gt;/{http.marker, executor.sentinel, pids/forked.pid, pids/libprocess.pid}
 * .../runs/&lt;cid&gt;/tasks/&lt;tid&gt;/{task.info, task.updates}
 * </pre>
 *
 * <p>Pure: computes paths and touches no file. An id becomes one directory name, so, like Mesos' id
 * validation before it creates a directory, an id that is empty, {@code .}, {@code ..} or holds a {@code /}
 * or a NUL is rejected with {@link IllegalArgumentException}. Immutable and thread-safe.
 */
public final class MetaPaths {
  /** The name of the symlinks to the latest agent and to an executor's latest run. */
  public static final String LATEST = "latest";

  static final String BOOT_ID_FILE = "boot_id";
  static final String SLAVE_INFO_FILE = "slave.info";
  static final String FRAMEWORK_INFO_FILE = "framework.info";
  static final String FRAMEWORK_PID_FILE = "framework.pid";
  static final String EXECUTOR_INFO_FILE = "executor.info";
  static final String GENERATED_FOR_COMMAND_TASK_FILE = "executor_generated_for_command_task";
  static final String EXECUTOR_SENTINEL_FILE = "executor.sentinel";
  static final String HTTP_MARKER_FILE = "http.marker";
  static final String FORKED_PID_FILE = "forked.pid";
  static final String LIBPROCESS_PID_FILE = "libprocess.pid";
  static final String TASK_INFO_FILE = "task.info";
  static final String TASK_UPDATES_FILE = "task.updates";

  private final Path workDir;
  private final Path metaDir;

  /** The layout under {@code workDir/meta}. */
  public MetaPaths(Path workDir) {
    this.workDir = Objects.requireNonNull(workDir, "workDir");
    this.metaDir = workDir.resolve("meta");
  }

  public Path workDir() {
    return workDir;
  }

  /** {@code <work_dir>/meta}. */
  public Path metaDir() {
    return metaDir;
  }

  /** {@code meta/boot_id}: the boot id of the host when the agent last recovered. */
  public Path bootIdFile() {
    return metaDir.resolve(BOOT_ID_FILE);
  }

  /** {@code meta/resources/resources.info}. */
  public Path resourcesInfo() {
    return metaDir.resolve("resources").resolve("resources.info");
  }

  /** {@code meta/slaves}. */
  public Path slavesDir() {
    return metaDir.resolve("slaves");
  }

  /** {@code meta/slaves/latest}: a symlink to the directory of the agent id in use. */
  public Path latestSlaveLink() {
    return slavesDir().resolve(LATEST);
  }

  public Path slaveDir(SlaveID slaveId) {
    return slavesDir().resolve(name("agent", slaveId.getValue()));
  }

  public Path slaveInfo(SlaveID slaveId) {
    return slaveDir(slaveId).resolve(SLAVE_INFO_FILE);
  }

  /** {@code meta/slaves/<sid>/frameworks}. */
  public Path frameworksDir(SlaveID slaveId) {
    return slaveDir(slaveId).resolve("frameworks");
  }

  public Path frameworkDir(SlaveID slaveId, FrameworkID frameworkId) {
    return frameworksDir(slaveId).resolve(name("framework", frameworkId.getValue()));
  }

  public Path frameworkInfo(SlaveID slaveId, FrameworkID frameworkId) {
    return frameworkDir(slaveId, frameworkId).resolve(FRAMEWORK_INFO_FILE);
  }

  public Path frameworkPid(SlaveID slaveId, FrameworkID frameworkId) {
    return frameworkDir(slaveId, frameworkId).resolve(FRAMEWORK_PID_FILE);
  }

  /** {@code .../frameworks/<fid>/executors}. */
  public Path executorsDir(SlaveID slaveId, FrameworkID frameworkId) {
    return frameworkDir(slaveId, frameworkId).resolve("executors");
  }

  public Path executorDir(SlaveID slaveId, FrameworkID frameworkId, ExecutorID executorId) {
    return executorsDir(slaveId, frameworkId).resolve(name("executor", executorId.getValue()));
  }

  public Path executorInfo(SlaveID slaveId, FrameworkID frameworkId, ExecutorID executorId) {
    return executorDir(slaveId, frameworkId, executorId).resolve(EXECUTOR_INFO_FILE);
  }

  /** The marker holding {@code 1} or {@code 0}: whether the agent generated the executor for a command task. */
  public Path generatedForCommandTask(SlaveID slaveId, FrameworkID frameworkId, ExecutorID executorId) {
    return executorDir(slaveId, frameworkId, executorId).resolve(GENERATED_FOR_COMMAND_TASK_FILE);
  }

  /** {@code .../executors/<eid>/runs}. */
  public Path runsDir(SlaveID slaveId, FrameworkID frameworkId, ExecutorID executorId) {
    return executorDir(slaveId, frameworkId, executorId).resolve("runs");
  }

  public Path runDir(SlaveID slaveId, FrameworkID frameworkId, ExecutorID executorId, ContainerID containerId) {
    return runsDir(slaveId, frameworkId, executorId).resolve(name("container", containerId.getValue()));
  }

  /** {@code .../runs/latest}: a symlink to the executor's latest run directory. */
  public Path latestRunLink(SlaveID slaveId, FrameworkID frameworkId, ExecutorID executorId) {
    return runsDir(slaveId, frameworkId, executorId).resolve(LATEST);
  }

  public Path forkedPid(SlaveID slaveId, FrameworkID frameworkId, ExecutorID executorId, ContainerID containerId) {
    return runDir(slaveId, frameworkId, executorId, containerId).resolve("pids").resolve(FORKED_PID_FILE);
  }

  /** {@code runs/<cid>/pids/libprocess.pid}: the pid of an executor that registered by libprocess message. */
  public Path libprocessPid(
      SlaveID slaveId, FrameworkID frameworkId, ExecutorID executorId, ContainerID containerId) {
    return runDir(slaveId, frameworkId, executorId, containerId).resolve("pids").resolve(LIBPROCESS_PID_FILE);
  }

  public Path httpMarker(SlaveID slaveId, FrameworkID frameworkId, ExecutorID executorId, ContainerID containerId) {
    return runDir(slaveId, frameworkId, executorId, containerId).resolve(HTTP_MARKER_FILE);
  }

  public Path executorSentinel(
      SlaveID slaveId, FrameworkID frameworkId, ExecutorID executorId, ContainerID containerId) {
    return runDir(slaveId, frameworkId, executorId, containerId).resolve(EXECUTOR_SENTINEL_FILE);
  }

  /** {@code runs/<cid>/tasks}. */
  public Path tasksDir(SlaveID slaveId, FrameworkID frameworkId, ExecutorID executorId, ContainerID containerId) {
    return runDir(slaveId, frameworkId, executorId, containerId).resolve("tasks");
  }

  public Path taskDir(
      SlaveID slaveId, FrameworkID frameworkId, ExecutorID executorId, ContainerID containerId, TaskID taskId) {
    return tasksDir(slaveId, frameworkId, executorId, containerId).resolve(name("task", taskId.getValue()));
  }

  public Path taskInfo(
      SlaveID slaveId, FrameworkID frameworkId, ExecutorID executorId, ContainerID containerId, TaskID taskId) {
    return taskDir(slaveId, frameworkId, executorId, containerId, taskId).resolve(TASK_INFO_FILE);
  }

  public Path taskUpdates(
      SlaveID slaveId, FrameworkID frameworkId, ExecutorID executorId, ContainerID containerId, TaskID taskId) {
    return taskDir(slaveId, frameworkId, executorId, containerId, taskId).resolve(TASK_UPDATES_FILE);
  }

  private static String name(String what, String id) {
    if (id.isEmpty() || id.equals(".") || id.equals("..") || id.indexOf('/') >= 0 || id.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("Invalid " + what + " id '" + id + "' for a checkpoint directory");
    }
    return id;
  }

  @Override
  public String toString() {
    return "MetaPaths[" + metaDir + "]";
  }
}
