package io.jmesos.master.authz;

import io.jmesos.resources.Resources;
import io.jmesos.security.authz.Action;
import io.jmesos.security.authz.AuthorizationObject;
import io.jmesos.security.authz.Authorizer.ObjectApprover;
import java.util.Optional;
import org.apache.mesos.Protos.ExecutorInfo;
import org.apache.mesos.Protos.FrameworkInfo;
import org.apache.mesos.Protos.Resource;
import org.apache.mesos.Protos.Task;

/**
 * What one reader of the master's state may see, as Mesos' {@code ObjectApprovers} filter {@code /state},
 * {@code /state-summary}, {@code /frameworks}, {@code /tasks}, {@code /roles}, the operator API's reads and the
 * operator event stream: frameworks by view_frameworks (the framework's user), tasks by view_tasks (the task's
 * user, else the framework's), executors by view_executors (the executor's command user, else the framework's),
 * roles and the resources reserved or allocated to them by view_roles, quotas by get_quotas, the flags by
 * view_flags. The approvers are made once per reader; deciding is pure. Used on the master's actor.
 */
public final class StateFilter {
  /** Sees everything (no {@code --acls}). */
  public static final StateFilter ALL = new StateFilter(o -> true, o -> true, o -> true, o -> true, o -> true, true);

  private final ObjectApprover frameworks;
  private final ObjectApprover tasks;
  private final ObjectApprover executors;
  private final ObjectApprover roles;
  private final ObjectApprover quotas;
  private final boolean flags;

  private StateFilter(ObjectApprover frameworks, ObjectApprover tasks, ObjectApprover executors,
      ObjectApprover roles, ObjectApprover quotas, boolean flags) {
    this.frameworks = frameworks;
    this.tasks = tasks;
    this.executors = executors;
    this.roles = roles;
    this.quotas = quotas;
    this.flags = flags;
  }

  /** The filter of {@code principal} (empty: an unauthenticated reader). */
  public static StateFilter of(MasterAuthorizer authz, Optional<String> principal) {
    if (!authz.enabled()) {
      return ALL;
    }
    return new StateFilter(authz.viewer(Action.VIEW_FRAMEWORK, principal), authz.viewer(Action.VIEW_TASK, principal),
        authz.viewer(Action.VIEW_EXECUTOR, principal), authz.viewer(Action.VIEW_ROLE, principal),
        authz.viewer(Action.GET_QUOTA, principal), authz.viewer(Action.VIEW_FLAGS, principal).approved(null));
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

  /** view_roles: the role's entry of {@code /roles}, GET_ROLES and the weights; its reservations. */
  public boolean role(String role) {
    return roles.approved(AuthorizationObject.value(role));
  }

  /** get_quotas: the role's quota in {@code GET /quota} and GET_QUOTA. */
  public boolean quota(String role) {
    return quotas.approved(AuthorizationObject.value(role));
  }

  /**
   * view_roles for a resource, as Mesos' {@code approved<VIEW_ROLE>(Resource)}: the reader must view its role
   * (unless {@code *}), every role of its reservations and the role it is allocated to.
   */
  @SuppressWarnings("deprecation") // Resource.role: the pre-refinement format of recovered agents, read as Mesos.
  public boolean resource(Resource resource) {
    if (resource.hasRole() && !resource.getRole().equals("*") && !role(resource.getRole())) {
      return false;
    }
    for (Resource.ReservationInfo reservation : resource.getReservationsList()) {
      if (!role(reservation.getRole())) {
        return false;
      }
    }
    return !resource.hasAllocationInfo() || !resource.getAllocationInfo().hasRole()
        || role(resource.getAllocationInfo().getRole());
  }

  /** The resources the reader may view (all of them for {@link #ALL}). */
  public Resources resources(Resources resources) {
    return this == ALL ? resources : resources.filter(this::resource);
  }

  /** Whether the reader sees the master's flags in {@code /state}. */
  public boolean flags() {
    return flags;
  }
}
