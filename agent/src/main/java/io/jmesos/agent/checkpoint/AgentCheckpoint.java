package io.jmesos.agent.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.apache.mesos.Protos.ContainerID;
import org.apache.mesos.Protos.ExecutorID;
import org.apache.mesos.Protos.ExecutorInfo;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.SlaveID;
import org.apache.mesos.Protos.SlaveInfo;
import org.apache.mesos.Protos.Task;
import org.apache.mesos.Protos.TaskID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the agent checkpoints, in Mesos' layout ({@link MetaPaths}), in the order Mesos writes it; every write
 * is atomic and durable (fsync'ed, see {@link Checkpoints}) when the method returns, so the methods block on
 * the disk. {@link RecoveredState#recover} reads it all back.
 *
 * <p>The {@code latest} symlinks point at the directory's absolute path, as Mesos' do; recovery only takes
 * the last name of where they resolve, so Mesos' links and relative ones read as well.
 *
 * <p>Thread-safe: no state of its own beyond the files; the agent calls it from its actor.
 */
public final class AgentCheckpoint {
  private static final Logger LOG = LoggerFactory.getLogger(AgentCheckpoint.class);

  /**
   * The framework pid Mesos checkpoints for a scheduler without one (an HTTP scheduler): an empty libprocess
   * {@code UPID()}. Mesos' recovery stops at a framework whose pid file is empty, so {@link #framework} writes
   * this instead of an empty pid.
   */
  public static final String NO_PID = "@0.0.0.0:0";

  private final MetaPaths paths;

  public AgentCheckpoint(MetaPaths paths) {
    this.paths = Objects.requireNonNull(paths, "paths");
  }

  public MetaPaths paths() {
    return paths;
  }

  /** {@code meta/boot_id}, written once the agent has recovered (Mesos' {@code Slave::__recover}). */
  public void bootId(String bootId) throws IOException {
    Checkpoints.writeText(paths.bootIdFile(), bootId);
    LOG.debug("Checkpointed boot id {} to '{}'", bootId, paths.bootIdFile());
  }

  /**
   * On registration: creates the agent's directory, points {@code meta/slaves/latest} at it (replacing the
   * link atomically) and writes {@code slave.info}. The info must carry the agent id.
   */
  public void slave(SlaveInfo info) throws IOException {
    if (!info.hasId()) {
      throw new IllegalArgumentException("Cannot checkpoint an agent info without an agent id");
    }
    SlaveID slaveId = info.getId();
    Path dir = paths.slaveDir(slaveId);
    Checkpoints.createDirectories(dir);
    Checkpoints.symlink(paths.latestSlaveLink(), dir.toAbsolutePath());
    Checkpoints.writeMessage(paths.slaveInfo(slaveId), info);
    LOG.info("Checkpointed agent info of agent {} to '{}'", slaveId.getValue(), paths.slaveInfo(slaveId));
  }

  /** Removes {@code meta/slaves/latest}: the next start is a fresh agent (Mesos does so on a shutdown). */
  public void removeLatestSlave() throws IOException {
    if (Files.deleteIfExists(paths.latestSlaveLink())) {
      Checkpoints.fsyncDirectory(paths.slavesDir());
      LOG.info("Removed '{}'", paths.latestSlaveLink());
    }
  }

  /**
   * {@code framework.info}, then {@code framework.pid}. The info must carry the framework id. {@code pid} is
   * the scheduler's libprocess pid; empty (an HTTP scheduler) writes {@link #NO_PID}, as Mesos does.
   */
  public void framework(SlaveID slaveId, FrameworkInfo info, String pid) throws IOException {
    if (!info.hasId()) {
      throw new IllegalArgumentException("Cannot checkpoint a framework info without a framework id");
    }
    FrameworkID frameworkId = info.getId();
    Checkpoints.writeMessage(paths.frameworkInfo(slaveId, frameworkId), info);
    Checkpoints.writeText(paths.frameworkPid(slaveId, frameworkId), pid.isEmpty() ? NO_PID : pid);
    LOG.debug("Checkpointed framework {} with pid '{}' to '{}'", frameworkId.getValue(), pid,
        paths.frameworkDir(slaveId, frameworkId));
  }

  /**
   * {@code executor.info}, then the {@code executor_generated_for_command_task} marker ({@code 1} or
   * {@code 0}), as Mesos' {@code Executor::checkpointExecutor}; its run is {@link #run}.
   */
  public void executor(SlaveID slaveId, FrameworkID frameworkId, ExecutorInfo info,
      boolean generatedForCommandTask) throws IOException {
    ExecutorID executorId = info.getExecutorId();
    Checkpoints.writeMessage(paths.executorInfo(slaveId, frameworkId, executorId), info);
    Checkpoints.writeText(paths.generatedForCommandTask(slaveId, frameworkId, executorId),
        generatedForCommandTask ? "1" : "0");
    LOG.debug("Checkpointed executor '{}' of framework {} to '{}'", executorId.getValue(),
        frameworkId.getValue(), paths.executorDir(slaveId, frameworkId, executorId));
  }

  /**
   * Creates the run's directory, writes {@code http.marker} when {@code http}, then points
   * {@code runs/latest} at the run (replacing the link atomically).
   */
  public void run(SlaveID slaveId, FrameworkID frameworkId, ExecutorID executorId, ContainerID containerId,
      boolean http) throws IOException {
    Path dir = paths.runDir(slaveId, frameworkId, executorId, containerId);
    Checkpoints.createDirectories(dir);
    if (http) {
      Checkpoints.touch(paths.httpMarker(slaveId, frameworkId, executorId, containerId));
    }
    Checkpoints.symlink(paths.latestRunLink(slaveId, frameworkId, executorId), dir.toAbsolutePath());
    LOG.debug("Checkpointed run {} of executor '{}' of framework {}{}", containerId.getValue(),
        executorId.getValue(), frameworkId.getValue(), http ? " (HTTP executor)" : "");
  }

  /** {@code http.marker}: the run's executor subscribed over HTTP (Mesos writes it at subscription). */
  public void http(SlaveID slaveId, FrameworkID frameworkId, ExecutorID executorId, ContainerID containerId)
      throws IOException {
    Checkpoints.touch(paths.httpMarker(slaveId, frameworkId, executorId, containerId));
  }

  /** {@code pids/libprocess.pid}: the run's executor registered by libprocess message from {@code pid}. */
  public void libprocessPid(SlaveID slaveId, FrameworkID frameworkId, ExecutorID executorId,
      ContainerID containerId, String pid) throws IOException {
    Checkpoints.writeText(paths.libprocessPid(slaveId, frameworkId, executorId, containerId), pid);
  }

  /** {@code pids/forked.pid}: the pid of the run's executor process, in decimal. */
  public void forkedPid(SlaveID slaveId, FrameworkID frameworkId, ExecutorID executorId, ContainerID containerId,
      long pid) throws IOException {
    Checkpoints.writeText(paths.forkedPid(slaveId, frameworkId, executorId, containerId), Long.toString(pid));
    LOG.debug("Checkpointed forked pid {} of executor '{}' of framework {}", pid, executorId.getValue(),
        frameworkId.getValue());
  }

  /** {@code executor.sentinel}: the agent is done with the run (its executor terminated). */
  public void sentinel(SlaveID slaveId, FrameworkID frameworkId, ExecutorID executorId, ContainerID containerId)
      throws IOException {
    Checkpoints.touch(paths.executorSentinel(slaveId, frameworkId, executorId, containerId));
  }

  /** {@code task.info} of the task's run: a {@link Task}, as Mesos checkpoints it. */
  public void task(SlaveID slaveId, FrameworkID frameworkId, ExecutorID executorId, ContainerID containerId,
      Task task) throws IOException {
    Path file = paths.taskInfo(slaveId, frameworkId, executorId, containerId, task.getTaskId());
    Checkpoints.writeMessage(file, task);
    LOG.debug("Checkpointed task {} of framework {} to '{}'", task.getTaskId().getValue(),
        frameworkId.getValue(), file);
  }

  /**
   * The task's {@code task.updates}, open for appending (created when missing). The caller closes it; read
   * it (or recover) before, so that a partial record left by a crash is cut off first.
   */
  public UpdatesFile updates(SlaveID slaveId, FrameworkID frameworkId, ExecutorID executorId,
      ContainerID containerId, TaskID taskId) throws IOException {
    return UpdatesFile.open(paths.taskUpdates(slaveId, frameworkId, executorId, containerId, taskId));
  }

  /** Removes the framework's meta directory and all under it; nothing when it is gone already. */
  public void removeFramework(SlaveID slaveId, FrameworkID frameworkId) throws IOException {
    Path dir = paths.frameworkDir(slaveId, frameworkId);
    Checkpoints.deleteTree(dir);
    LOG.info("Removed checkpoint of framework {}: '{}'", frameworkId.getValue(), dir);
  }

  /** Removes the executor's meta directory (all its runs) and all under it; nothing when it is gone already. */
  public void removeExecutor(SlaveID slaveId, FrameworkID frameworkId, ExecutorID executorId) throws IOException {
    Path dir = paths.executorDir(slaveId, frameworkId, executorId);
    Checkpoints.deleteTree(dir);
    LOG.info("Removed checkpoint of executor '{}' of framework {}: '{}'", executorId.getValue(),
        frameworkId.getValue(), dir);
  }
}
