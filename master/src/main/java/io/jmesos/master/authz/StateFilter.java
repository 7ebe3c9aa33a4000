package io.jmesos.master.authz;

import io.jmesos.security.authz.Action;
import io.jmesos.security.authz.AuthorizationObject;
import io.jmesos.security.authz.Authorizer.ObjectApprover;
import java.util.Optional;
import org.apache.mesos.Protos.ExecutorInfo;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.Task;

/**
 * What one reader of the master's state may see, as Mesos filters {@code /state}, {@code /frameworks} and
 * {@code /tasks}: frameworks by view_frameworks (the framework's user), tasks by view_tasks (the task's user,
 * else the framework's), executors by view_executors (the executor's command user, else the framework's), the
 * flags by view_flags. The approvers are made once per request; deciding is pure. Used on the master's actor.
 */
public final class StateFilter {
  /** Sees everything (no {@code --acls}). */
  public static final StateFilter ALL = new StateFilter(o -> true, o -> true, o -> true, true);

  private final ObjectApprover frameworks;
  private final ObjectApprover tasks;
  private final ObjectApprover executors;
  private final boolean flags;

  private StateFilter(ObjectApprover frameworks, ObjectApprover tasks, ObjectApprover executors, boolean flags) {
    this.frameworks = frameworks;
    this.tasks = tasks;
    this.executors = executors;
    this.flags = flags;
  }

  /** The filter of {@code principal} (empty: an unauthenticated reader). */
  public static StateFilter of(MasterAuthorizer authz, Optional<String> principal) {
    if (!authz.enabled()) {
      return ALL;
    }
    return new StateFilter(authz.viewer(Action.VIEW_FRAMEWORK, principal), authz.viewer(Action.VIEW_TASK, principal),
        authz.viewer(Action.VIEW_EXECUTOR, principal), authz.viewer(Action.VIEW_FLAGS, principal).approved(null));
  }

  public boolean framework(FrameworkInfo framework) {
    return frameworks.approved(AuthorizationObject.framework(framework));
  }

  public boolean task(Task task, FrameworkInfo framework) {
    return tasks.approved(AuthorizationObject.task(task, framework));
  }

  public boolean executor(ExecutorInfo executor, FrameworkInfo framework) {
    return executors.approved(AuthorizationObject.executor(executor, framework));
  }

  /** Whether the reader sees the master's flags in {@code /state}. */
  public boolean flags() {
    return flags;
  }
}
