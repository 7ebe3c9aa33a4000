package io.jmesos.master.validation;

import io.jmesos.master.state.Agent;
import io.jmesos.master.state.Framework;
import io.jmesos.protocol.CheckValidation;
import io.jmesos.resources.Resources;
import java.util.Optional;
import java.util.Set;
import org.apache.mesos.Protos.ExecutorInfo;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.TaskGroupInfo;
import org.apache.mesos.Protos.TaskID;
import org.apache.mesos.Protos.TaskInfo;

/**
 * Tasks of LAUNCH and LAUNCH_GROUP, as Mesos' {@code validation::task}: ids, agent, checks and health checks,
 * command xor executor, executor compatibility, resources valid, allocated to one of the framework's roles and
 * contained in what is left of the offers. Runs on the master's actor.
 */
public final class TaskValidator {
  private TaskValidator() {}

  /**
   * @param launched task ids already accepted earlier in the same call
   * @param available what is left of the offered resources
   * @param executorResources resources of the task's executor that the task must also fit, empty if the
   *     executor already runs
   */
  public static Optional<String> validate(TaskInfo task, Framework framework, Agent agent, Set<TaskID> launched,
      Resources available, Resources executorResources) {
    Optional<String> error = validateTask(task, framework, agent, launched);
    if (error.isPresent()) {
      return error;
    }
    if (task.hasCommand() == task.hasExecutor()) {
      return Optional.of("Task should have at least one (but not both) of CommandInfo or ExecutorInfo present");
    }
    if (task.hasExecutor()) {
      error = validateExecutor(task.getExecutor(), framework, agent);
      if (error.isPresent()) {
        return error;
      }
    }
    return validateResources(task, framework, available, executorResources);
  }

  /** A task group: every task valid without an executor of its own, and all of them fit together. */
  public static Optional<String> validateGroup(ExecutorInfo executor, TaskGroupInfo group, Framework framework,
      Agent agent, Set<TaskID> launched, Resources available, Resources executorResources) {
    if (group.getTasksCount() == 0) {
      return Optional.of("Task group cannot be empty");
    }
    if (executor.hasType() && executor.getType() != ExecutorInfo.Type.DEFAULT) {
      return Optional.of("'ExecutorInfo.type' must be 'DEFAULT'");
    }
    Optional<String> error = validateExecutor(executor, framework, agent);
    if (error.isPresent()) {
      return error;
    }
    Resources total = Resources.empty();
    Set<TaskID> ids = new java.util.HashSet<>(launched);
    for (TaskInfo task : group.getTasksList()) {
      error = validateTask(task, framework, agent, ids);
      if (error.isPresent()) {
        return Optional.of("Task '" + task.getTaskId().getValue() + "' is invalid: " + error.get());
      }
      if (task.hasExecutor()) {
        return Optional.of("Task '" + task.getTaskId().getValue() + "' should not have 'ExecutorInfo' set");
      }
      ids.add(task.getTaskId());
      total = total.plus(Resources.of(task.getResourcesList()));
    }
    Resources needed = total.plus(executorResources);
    if (!available.contains(needed)) {
      return Optional.of("Task group uses more resources " + needed + " than available " + available);
    }
    return Optional.empty();
  }

  private static Optional<String> validateTask(TaskInfo task, Framework framework, Agent agent,
      Set<TaskID> launched) {
    Optional<String> id = Ids.validate(task.getTaskId().getValue());
    if (id.isPresent()) {
      return Optional.of("Task ID '" + task.getTaskId().getValue() + "' is invalid: " + id.get());
    }
    if (!task.getSlaveId().equals(agent.id())) {
      return Optional.of("Task uses invalid agent: " + task.getSlaveId().getValue());
    }
    if (framework.tasks.containsKey(task.getTaskId()) || launched.contains(task.getTaskId())) {
      return Optional.of("Task has duplicate ID: " + task.getTaskId().getValue());
    }
    if (task.hasCheck()) {
      Optional<String> check = CheckValidation.validateCheckInfo(task.getCheck());
      if (check.isPresent()) {
        return Optional.of("Task uses invalid check: " + check.get());
      }
    }
    if (task.hasHealthCheck()) {
      Optional<String> check = CheckValidation.validateHealthCheck(task.getHealthCheck());
      if (check.isPresent()) {
        return Optional.of("Task uses invalid health check: " + check.get());
      }
    }
    Optional<String> invalid = Resources.validate(task.getResourcesList());
    if (invalid.isPresent()) {
      return Optional.of("Task uses invalid resources: " + invalid.get());
    }
    for (Resource r : task.getResourcesList()) {
      if (r.hasAllocationInfo() && !framework.roles().contains(r.getAllocationInfo().getRole())) {
        return Optional.of("Task resources are allocated to role '" + r.getAllocationInfo().getRole()
            + "' which is not one of the framework's roles");
      }
    }
    return Optional.empty();
  }

  private static Optional<String> validateExecutor(ExecutorInfo executor, Framework framework, Agent agent) {
    Optional<String> id = Ids.validate(executor.getExecutorId().getValue());
    if (id.isPresent()) {
      return Optional.of("Executor ID '" + executor.getExecutorId().getValue() + "' is invalid: " + id.get());
    }
    if (executor.hasFrameworkId() && !executor.getFrameworkId().equals(framework.id())) {
      return Optional.of("ExecutorInfo has an invalid FrameworkID (Actual: "
          + executor.getFrameworkId().getValue() + " vs Expected: " + framework.id().getValue() + ")");
    }
    Optional<String> invalid = Resources.validate(executor.getResourcesList());
    if (invalid.isPresent()) {
      return Optional.of("Executor uses invalid resources: " + invalid.get());
    }
    ExecutorInfo existing = agent.executor(framework.id(), executor.getExecutorId());
    if (existing != null && !sameExecutor(existing, executor, framework)) {
      return Optional.of("ExecutorInfo is not compatible with existing ExecutorInfo with same ExecutorID");
    }
    return Optional.empty();
  }

  private static boolean sameExecutor(ExecutorInfo a, ExecutorInfo b, Framework framework) {
    return a.toBuilder().setFrameworkId(framework.id()).build()
        .equals(b.toBuilder().setFrameworkId(framework.id()).build());
  }

  private static Optional<String> validateResources(TaskInfo task, Framework framework, Resources available,
      Resources executorResources) {
    Resources taskResources = Resources.of(task.getResourcesList());
    Resources needed = taskResources.plus(executorResources);
    if (needed.isEmpty()) {
      return Optional.of("Task and its executor use no resources");
    }
    if (!available.contains(needed)) {
      return Optional.of("Task uses more resources " + needed + " than available " + available);
    }
    return Optional.empty();
  }
}
