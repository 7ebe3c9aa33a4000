package io.jmesos.agent.checkpoint;

import com.google.protobuf.ByteString;
import io.jmesos.internal.Messages.StatusUpdate;
import io.jmesos.internal.Messages.StatusUpdateRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
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
 * One walk of the checkpoint tree, as Mesos' {@code state.cpp} ({@code SlaveState::recover} down to
 * {@code TaskState::recover}): what is missing ends its part with a warning, what is unreadable is an error
 * (thrown when strict, else counted and skipped), and a few errors end recovery regardless.
 *
 * <p>Not thread-safe: one instance per recovery, used once.
 */
final class Recovery {
  private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

  /** The command of the executor Mesos generates for a command task (its {@code MESOS_EXECUTOR}). */
  private static final String MESOS_EXECUTOR = "mesos-executor";

  private final MetaPaths paths;
  private final boolean strict;
  private final Optional<String> currentBootId;
  private int errors;
  private boolean rebooted;

  Recovery(MetaPaths paths, boolean strict, Optional<String> currentBootId) {
    this.paths = paths;
    this.strict = strict;
    this.currentBootId = currentBootId;
  }

  RecoveredState run() throws CheckpointException {
    LOG.info("Recovering state from '{}'{}", paths.metaDir(), strict ? " (strict)" : "");
    if (!exists(paths.metaDir())) {
      // First start, or a start after the meta directory was removed (e.g. --recover=cleanup).
      return new RecoveredState(Optional.empty(), Optional.empty(), 0, false);
    }

    Optional<String> bootId = Optional.empty();
    try {
      bootId = Checkpoints.readText(paths.bootIdFile()).map(String::trim);
    } catch (CheckpointException e) {
      // As Mesos: a warning, not a recovery error.
      LOG.warn("Failed to read the boot id: {}", e.getMessage());
    }
    if (bootId.isPresent() && currentBootId.isPresent() && !bootId.get().equals(currentBootId.get())) {
      LOG.info("Agent host rebooted (boot id {} was checkpointed, now {})", bootId.get(), currentBootId.get());
      rebooted = true;
    }

    Path latest = paths.latestSlaveLink();
    if (!exists(latest)) {
      // The agent was asked to shut down, or died before it registered and created the link.
      LOG.info("Failed to find the latest agent from '{}'", paths.metaDir());
      return new RecoveredState(bootId, Optional.empty(), 0, rebooted);
    }
    Path directory;
    try {
      directory = latest.toRealPath();
    } catch (IOException e) {
      throw new CheckpointException(latest, "Failed to find the latest agent: '" + latest + "' "
          + (e instanceof NoSuchFileException ? "points to nothing" : "cannot be resolved: " + e), e);
    }
    SlaveID slaveId = SlaveID.newBuilder().setValue(directory.getFileName().toString()).build();
    SlaveCheckpoint slave = slave(slaveId);
    if (errors > 0) {
      LOG.info("Recovered agent {} with {} recovery errors", slaveId.getValue(), errors);
    }
    return new RecoveredState(bootId, Optional.of(slave), errors, rebooted);
  }

  private SlaveCheckpoint slave(SlaveID slaveId) throws CheckpointException {
    String agent = "agent " + slaveId.getValue();
    SlaveCheckpoint none = new SlaveCheckpoint(slaveId, Optional.empty(), Map.of());
    Path file = paths.slaveInfo(slaveId);
    if (!exists(file)) {
      // The agent died before it checkpointed its info on registration.
      LOG.warn("Failed to find agent info file '{}'", file);
      return none;
    }
    Optional<SlaveInfo> info;
    try {
      info = Checkpoints.readMessage(file, SlaveInfo.parser());
    } catch (CheckpointException e) {
      error("Failed to read the info of " + agent, e);
      return none;
    }
    if (info.isEmpty()) {
      LOG.warn("Found empty agent info file '{}'", file);
      return none;
    }

    Map<FrameworkID, FrameworkCheckpoint> frameworks = new LinkedHashMap<>();
    for (String name : list(paths.frameworksDir(slaveId), "frameworks of " + agent)) {
      FrameworkID frameworkId = FrameworkID.newBuilder().setValue(name).build();
      frameworks.put(frameworkId, framework(slaveId, frameworkId));
    }
    return new SlaveCheckpoint(slaveId, info, frameworks);
  }

  private FrameworkCheckpoint framework(SlaveID slaveId, FrameworkID frameworkId) throws CheckpointException {
    String framework = "framework " + frameworkId.getValue();
    FrameworkCheckpoint none = new FrameworkCheckpoint(frameworkId, Optional.empty(), Optional.empty(), Map.of());
    Path file = paths.frameworkInfo(slaveId, frameworkId);
    if (!exists(file)) {
      // The agent died after it created the framework's directory but before it checkpointed the info.
      LOG.warn("Failed to find framework info file '{}'", file);
      return none;
    }
    Optional<FrameworkInfo> info;
    try {
      info = Checkpoints.readMessage(file, FrameworkInfo.parser());
    } catch (CheckpointException e) {
      error("Failed to read the info of " + framework, e);
      return none;
    }
    if (info.isEmpty()) {
      LOG.warn("Found empty framework info file '{}'", file);
      return none;
    }

    FrameworkCheckpoint withoutPid = new FrameworkCheckpoint(frameworkId, info, Optional.empty(), Map.of());
    Path pidFile = paths.frameworkPid(slaveId, frameworkId);
    if (!exists(pidFile)) {
      LOG.warn("Failed to find framework pid file '{}'", pidFile);
      return withoutPid;
    }
    String pid;
    try {
      pid = Checkpoints.readText(pidFile).orElse("");
    } catch (CheckpointException e) {
      error("Failed to read the pid of " + framework, e);
      return withoutPid;
    }
    if (pid.isEmpty()) {
      LOG.warn("Found empty framework pid file '{}'", pidFile);
      return withoutPid;
    }

    Map<ExecutorID, ExecutorCheckpoint> executors = new LinkedHashMap<>();
    for (String name : list(paths.executorsDir(slaveId, frameworkId), "executors of " + framework)) {
      ExecutorID executorId = ExecutorID.newBuilder().setValue(name).build();
      executors.put(executorId, executor(slaveId, frameworkId, executorId));
    }
    return new FrameworkCheckpoint(frameworkId, info, Optional.of(pid), executors);
  }

  private ExecutorCheckpoint executor(SlaveID slaveId, FrameworkID frameworkId, ExecutorID executorId)
      throws CheckpointException {
    String executor = "executor '" + executorId.getValue() + "' of framework " + frameworkId.getValue();
    Optional<ContainerID> latest = Optional.empty();
    Map<ContainerID, RunCheckpoint> runs = new LinkedHashMap<>();
    Path runsDir = paths.runsDir(slaveId, frameworkId, executorId);
    for (String name : list(runsDir, "runs of " + executor)) {
      if (name.equals(MetaPaths.LATEST)) {
        Path link = runsDir.resolve(name);
        try {
          latest = Optional.of(ContainerID.newBuilder()
              .setValue(link.toRealPath().getFileName().toString()).build());
        } catch (NoSuchFileException e) {
          // The agent died between removing the latest run and removing the executor's directory.
          LOG.warn("Dangling 'latest' run symlink of {}", executor);
        } catch (IOException e) {
          throw new CheckpointException(link, "Failed to find the latest run of " + executor + ": '" + link
              + "' cannot be resolved: " + e, e);
        }
      } else {
        ContainerID containerId = ContainerID.newBuilder().setValue(name).build();
        runs.put(containerId, run(slaveId, frameworkId, executorId, containerId));
      }
    }

    if (latest.isEmpty()) {
      // The agent died before it created the latest symlink.
      LOG.warn("Failed to find the latest run of {}", executor);
      return new ExecutorCheckpoint(executorId, Optional.empty(), false, latest, runs);
    }
    ExecutorCheckpoint withoutInfo = new ExecutorCheckpoint(executorId, Optional.empty(), false, latest, runs);
    Path file = paths.executorInfo(slaveId, frameworkId, executorId);
    if (!exists(file)) {
      LOG.warn("Failed to find executor info file '{}'", file);
      return withoutInfo;
    }
    Optional<ExecutorInfo> info;
    try {
      info = Checkpoints.readMessage(file, ExecutorInfo.parser());
    } catch (CheckpointException e) {
      error("Failed to read the info of " + executor, e);
      return withoutInfo;
    }
    if (info.isEmpty()) {
      LOG.warn("Found empty executor info file '{}'", file);
      return withoutInfo;
    }

    boolean generated;
    Path marker = paths.generatedForCommandTask(slaveId, frameworkId, executorId);
    if (exists(marker)) {
      // Unreadable or unparsable, this ends recovery even when not strict, as in Mesos.
      String text = Checkpoints.readText(marker).orElse("");
      try {
        generated = Integer.parseInt(text) != 0;
      } catch (NumberFormatException e) {
        throw new CheckpointException(marker, "Could not parse '" + marker + "': '" + text
            + "' is not an integer", e);
      }
    } else {
      // A checkpoint from before the marker existed: Mesos' heuristic.
      generated = info.get().getCommand().getValue().endsWith(MESOS_EXECUTOR)
          && info.get().getName().startsWith("Command Executor");
    }
    return new ExecutorCheckpoint(executorId, info, generated, latest, runs);
  }

  private RunCheckpoint run(SlaveID slaveId, FrameworkID frameworkId, ExecutorID executorId,
      ContainerID containerId) throws CheckpointException {
    String run = "run " + containerId.getValue() + " of executor '" + executorId.getValue() + "' of framework "
        + frameworkId.getValue();
    // Read first so that it is known even when the rest is not: the agent was done with the run.
    boolean completed = exists(paths.executorSentinel(slaveId, frameworkId, executorId, containerId));

    Map<TaskID, TaskCheckpoint> tasks = new LinkedHashMap<>();
    for (String name : list(paths.tasksDir(slaveId, frameworkId, executorId, containerId), "tasks of " + run)) {
      TaskID taskId = TaskID.newBuilder().setValue(name).build();
      tasks.put(taskId, task(slaveId, frameworkId, executorId, containerId, taskId));
    }

    RunCheckpoint unknown = new RunCheckpoint(containerId, OptionalLong.empty(), false, completed, tasks);
    Path pidFile = paths.forkedPid(slaveId, frameworkId, executorId, containerId);
    if (rebooted) {
      // The pids died with the host; the file goes so that a restart after this recovery does not read it.
      if (exists(pidFile)) {
        try {
          Files.delete(pidFile);
        } catch (IOException e) {
          throw new CheckpointException(pidFile, "Failed to remove the forked pid file '" + pidFile
              + "' after a reboot: " + e, e);
        }
      }
      return unknown;
    }
    if (!exists(pidFile)) {
      // The executor was never forked (the agent died before the containerizer checkpointed its pid).
      LOG.warn("Failed to find executor forked pid file '{}'", pidFile);
      return unknown;
    }
    String text;
    try {
      text = Checkpoints.readText(pidFile).orElse("");
    } catch (CheckpointException e) {
      error("Failed to read the forked pid of " + run, e);
      return unknown;
    }
    if (text.isEmpty()) {
      LOG.warn("Found empty executor forked pid file '{}'", pidFile);
      return unknown;
    }
    OptionalLong forkedPid;
    try {
      forkedPid = OptionalLong.of(Long.parseLong(text));
    } catch (NumberFormatException e) {
      // Ends recovery even when not strict, as in Mesos.
      throw new CheckpointException(pidFile, "Failed to parse forked pid '" + text + "' from pid file '"
          + pidFile + "'", e);
    }

    RunCheckpoint forked = new RunCheckpoint(containerId, forkedPid, false, completed, tasks);
    Path libprocessPidFile = paths.libprocessPid(slaveId, frameworkId, executorId, containerId);
    if (exists(libprocessPidFile)) {
      String pid;
      try {
        pid = Checkpoints.readText(libprocessPidFile).orElse("");
      } catch (CheckpointException e) {
        error("Failed to read the libprocess pid of " + run, e);
        return forked;
      }
      if (pid.isEmpty()) {
        LOG.warn("Found empty executor libprocess pid file '{}'", libprocessPidFile);
        return forked;
      }
      return new RunCheckpoint(containerId, forkedPid, false, completed, tasks, Optional.of(pid));
    }
    if (!exists(paths.httpMarker(slaveId, frameworkId, executorId, containerId))) {
      // The agent died before the executor subscribed.
      LOG.warn("Failed to find '{}' or '{}' of {}", MetaPaths.LIBPROCESS_PID_FILE, MetaPaths.HTTP_MARKER_FILE, run);
      return forked;
    }
    return new RunCheckpoint(containerId, forkedPid, true, completed, tasks);
  }

  private TaskCheckpoint task(SlaveID slaveId, FrameworkID frameworkId, ExecutorID executorId,
      ContainerID containerId, TaskID taskId) throws CheckpointException {
    String task = "task " + taskId.getValue() + " of framework " + frameworkId.getValue();
    TaskCheckpoint none = new TaskCheckpoint(taskId, Optional.empty(), List.of(), Set.of());
    Path file = paths.taskInfo(slaveId, frameworkId, executorId, containerId, taskId);
    if (!exists(file)) {
      // The agent died after it created the task's directory but before it checkpointed the task.
      LOG.warn("Failed to find task info file '{}'", file);
      return none;
    }
    Optional<Task> info;
    try {
      info = Checkpoints.readMessage(file, Task.parser());
    } catch (CheckpointException e) {
      error("Failed to read the info of " + task, e);
      return none;
    }
    if (info.isEmpty()) {
      LOG.warn("Found empty task info file '{}'", file);
      return none;
    }

    Path updatesFile = paths.taskUpdates(slaveId, frameworkId, executorId, containerId, taskId);
    if (!exists(updatesFile)) {
      // The agent died before it checkpointed an update of the task.
      LOG.warn("Failed to find status updates file '{}'", updatesFile);
      return new TaskCheckpoint(taskId, info, List.of(), Set.of());
    }
    UpdatesFile.Scan scan;
    try {
      scan = UpdatesFile.scan(updatesFile);
    } catch (CheckpointException e) {
      error("Failed to read the status updates of " + task, e);
      return new TaskCheckpoint(taskId, info, List.of(), Set.of());
    }
    List<StatusUpdate> updates = new ArrayList<>();
    Set<ByteString> acks = new LinkedHashSet<>();
    for (StatusUpdateRecord record : scan.records()) {
      if (record.getType() == StatusUpdateRecord.Type.UPDATE) {
        updates.add(record.getUpdate());
      } else {
        acks.add(record.getUuid());
      }
    }
    if (scan.error().isPresent()) {
      // The updates before the corrupt record are kept, as Mesos does.
      error("Failed to read the status updates of " + task, new CheckpointException(updatesFile, scan.error().get()));
    }
    return new TaskCheckpoint(taskId, info, updates, acks);
  }

  /** An error: thrown when strict, else counted and logged, and the caller skips the broken part. */
  private void error(String what, CheckpointException cause) throws CheckpointException {
    String message = what + ": " + cause.getMessage();
    if (strict) {
      throw new CheckpointException(cause.file(), message, cause);
    }
    errors++;
    LOG.warn("{} (skipped: recovery is not strict)", message);
  }

  /** The entries of a directory of ids; a directory that cannot be listed ends recovery, as in Mesos. */
  private static List<String> list(Path dir, String what) throws CheckpointException {
    try {
      return Checkpoints.list(dir);
    } catch (IOException e) {
      throw new CheckpointException(dir, "Failed to find the " + what + ": '" + dir + "' cannot be listed: " + e, e);
    }
  }

  /** As stout's {@code os::exists}: lstat, so a dangling symlink exists. */
  private static boolean exists(Path path) {
    return Files.exists(path, LinkOption.NOFOLLOW_LINKS);
  }
}
