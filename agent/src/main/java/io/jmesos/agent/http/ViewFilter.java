package io.jmesos.agent.http;

import io.jmesos.security.authz.Action;
import io.jmesos.security.authz.AuthorizationObject;
import io.jmesos.security.authz.Authorizer;
import io.jmesos.security.authz.Authorizer.ObjectApprover;
import java.util.Optional;
import org.apache.mesos.Protos.ExecutorInfo;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.Task;
import org.apache.mesos.Protos.TaskInfo;

/**
 * What one reader of the agent's state may see, as Mesos' agent filters {@code /state}, {@code /containers} and
 * its operator API's reads with its {@code ObjectApprovers}: frameworks by view_frameworks (the framework's
 * user), tasks by view_tasks (the task's user, else the framework's), executors by view_executors and their
 * containers by view_containers (the executor's command user, else the framework's), reservations by view_roles,
 * the flags by view_flags. The approvers are made once per request; deciding is pure and thread-safe.
 */
final class ViewFilter {
  /** Sees everything (no {@code --acls}). */
  static final ViewFilter ALL = new ViewFilter(o -> true, o -> true, o -> true, o -> true, o -> true, true);

  private final ObjectApprover frameworks;
  private final ObjectApprover tasks;
  private final ObjectApprover executors;
  private final ObjectApprover containers;
  private final ObjectApprover roles;
  private final boolean flags;

  private ViewFilter(ObjectApprover frameworks, ObjectApprover tasks, ObjectApprover executors,
      ObjectApprover containers, ObjectApprover roles, boolean flags) {
    this.frameworks = frameworks;
    this.tasks = tasks;
    this.executors = executors;
    this.containers = containers;
    this.roles = roles;
    this.flags = flags;
  }

  /** The filter of {@code principal} (empty: an unauthenticated reader). */
  static ViewFilter of(Authorizer authorizer, Optional<String> principal) {
    if (authorizer == Authorizer.ALLOW_ALL) {
      return ALL;
    }
    return new ViewFilter(authorizer.approver(Action.VIEW_FRAMEWORK, principal),
        authorizer.approver(Action.VIEW_TASK, principal), authorizer.approver(Action.VIEW_EXECUTOR, principal),
        authorizer.approver(Action.VIEW_CONTAINER, principal), authorizer.approver(Action.VIEW_ROLE, principal),
        authorizer.approver(Action.VIEW_FLAGS, principal).approved(null));
  }

  boolean framework(FrameworkInfo framework) {
    return frameworks.approved(AuthorizationObject.framework(framework));
  }

  boolean task(Task task, FrameworkInfo framework) {
    return tasks.approved(AuthorizationObject.task(task, framework));
  }

  /** A task still queued for its executor. */
  boolean task(TaskInfo task, FrameworkInfo framework) {
    return tasks.approved(AuthorizationObject.taskInfo(task, framework));
  }

  boolean executor(ExecutorInfo executor, FrameworkInfo framework) {
    return executors.approved(AuthorizationObject.executor(executor, framework));
  }

  /** view_containers: the executor's container in {@code /containers} and GET_CONTAINERS. */
  boolean container(ExecutorInfo executor, FrameworkInfo framework) {
    return containers.approved(AuthorizationObject.executor(executor, framework));
  }

  boolean role(String role) {
    return roles.approved(AuthorizationObject.value(role));
  }

  boolean flags() {
    return flags;
  }
}
