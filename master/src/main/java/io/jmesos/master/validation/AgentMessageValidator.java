package io.jmesos.master.validation;

import io.jmesos.internal.Messages.RegisterSlaveMessage;
import io.jmesos.internal.Messages.ReregisterSlaveMessage;
import io.jmesos.resources.Resources;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.mesos.Protos.ExecutorInfo;
import org.apache.mesos.Protos.FrameworkID;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.SlaveInfo;
import org.apache.mesos.Protos.Task;
import org.apache.mesos.Protos.TaskState;

/**
 * Mesos' {@code validation::master::message}: checks of an agent's RegisterSlaveMessage and
 * ReregisterSlaveMessage before the master touches any state. Errors as values, with Mesos' messages.
 * Stateless and thread-safe.
 */
public final class AgentMessageValidator {
  private AgentMessageValidator() {}

  public static Optional<String> registerSlave(RegisterSlaveMessage message) {
    Optional<String> error = slaveInfo(message.getSlave());
    if (error.isPresent()) {
      return error;
    }
    if (message.getCheckpointedResourcesCount() > 0 && !message.getSlave().getCheckpoint()) {
      return Optional.of("Checkpointed resources provided when checkpointing is not enabled");
    }
    return resources(message.getCheckpointedResourcesList());
  }

  public static Optional<String> reregisterSlave(ReregisterSlaveMessage message) {
    SlaveInfo slave = message.getSlave();
    if (!slave.hasId()) {
      return Optional.of("Agent re-registered without an agent id");
    }
    Optional<String> error = slaveInfo(slave).or(() -> resources(message.getCheckpointedResourcesList()));
    if (error.isPresent()) {
      return error;
    }
    Set<FrameworkID> frameworkIds = new HashSet<>();
    for (FrameworkInfo framework : message.getFrameworksList()) {
      if (!framework.hasId()) {
        return Optional.of("Framework '" + framework.getName() + "' has no FrameworkID");
      }
      if (!frameworkIds.add(framework.getId())) {
        return Optional.of("Framework has a duplicate FrameworkID: '" + framework.getId().getValue() + "'");
      }
    }
    Set<List<String>> executorIds = new HashSet<>();
    for (ExecutorInfo executor : message.getExecutorInfosList()) {
      error = Ids.validate(executor.getExecutorId().getValue())
          .map(e -> "Executor has an invalid ExecutorID: " + e)
          .or(() -> resources(executor.getResourcesList()));
      if (error.isPresent()) {
        return error;
      }
      if (!frameworkIds.contains(executor.getFrameworkId())) {
        return Optional.of("Executor has an invalid FrameworkID '" + executor.getFrameworkId().getValue() + "'");
      }
      if (!executorIds.add(List.of(executor.getFrameworkId().getValue(), executor.getExecutorId().getValue()))) {
        return Optional.of("Framework '" + executor.getFrameworkId().getValue() + "' has a duplicate ExecutorID '"
            + executor.getExecutorId().getValue() + "'");
      }
    }
    for (Task task : message.getTasksList()) {
      error = Ids.validate(task.getTaskId().getValue()).map(e -> "Task has an invalid TaskID: " + e);
      if (error.isPresent()) {
        return error;
      }
      if (!task.getSlaveId().equals(slave.getId())) {
        return Optional.of("Task has an invalid SlaveID '" + task.getSlaveId().getValue() + "'");
      }
      if (!frameworkIds.contains(task.getFrameworkId())) {
        return Optional.of("Task has an invalid FrameworkID '" + task.getFrameworkId().getValue() + "'");
      }
      // Command tasks carry no executor id; only running tasks must have their executor.
      if (task.hasExecutorId() && task.getState() == TaskState.TASK_RUNNING
          && !executorIds.contains(List.of(task.getFrameworkId().getValue(), task.getExecutorId().getValue()))) {
        return Optional.of("Task has an invalid ExecutorID '" + task.getExecutorId().getValue() + "'");
      }
      error = resources(task.getResourcesList()).map(e -> "Task uses invalid resources: " + e);
      if (error.isPresent()) {
        return error;
      }
    }
    return Optional.empty();
  }

  private static Optional<String> slaveInfo(SlaveInfo info) {
    if (info.hasId()) {
      Optional<String> error = Ids.validate(info.getId().getValue());
      if (error.isPresent()) {
        return error;
      }
    }
    return resources(info.getResourcesList());
  }

  private static Optional<String> resources(List<Resource> resources) {
    return Resources.validate(resources);
  }
}
